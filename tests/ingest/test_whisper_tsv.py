"""Whisper TSV: start/end milliseconds and text → Unattributed sentence turns."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, check_offsets, parse_error


def test_rows_join_into_sentence_turns_with_times():
    t = parse_file(FORMATS / "whisper-tsv.tsv")
    check_offsets(t)
    assert (t.format, t.diarized) == ("whisper-tsv", False)
    assert [(x.speaker, x.start, x.end) for x in t.turns] == [
        ("Unattributed", 0.0, 3.8),
        ("Unattributed", 3.8, 10.9),
        ("Unattributed", 11.4, 14.0),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("start\tend\ttext\n0\tsoon\thello\n", "line 2: expected whole milliseconds, got 'soon'"),
        ("start\tend\ttext\n0\t4200\n", "line 2: expected start<TAB>end<TAB>text"),
        ("start\tend\ttext\n0\t4200\t \n", "no segment has text (only the header or timings)"),
        ("start\tend\ttext\n5000\t4200\thi\n", "line 2: segment ends before it starts"),
    ],
)
def test_bad_input_gives_one_line(write, text, reason):
    assert parse_error(write("bad.tsv", text)) == reason
