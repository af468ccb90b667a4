"""Plain Whisper JSON: segments without speakers → sentence-sized Unattributed turns."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, check_offsets, load_format_fixture, parse_error


def test_segments_join_into_sentence_turns():
    t = parse_file(FORMATS / "whisper-json.json")
    check_offsets(t)
    assert (t.format, t.verbatim, t.diarized, t.role_method) == (
        "whisper-json",
        True,
        False,
        "none",
    )
    assert [(x.speaker, x.start, x.end) for x in t.turns] == [
        ("Unattributed", 0.0, 13.5),
        ("Unattributed", 14.0, 18.6),
    ]
    assert t.turns[0].text.endswith("nobody could tell me what we owed at any moment.")


BAD = [
    (
        lambda d: d["segments"][2].update(end="13.5"),
        "segments[2].end: expected a number (seconds), got text",
    ),
    (lambda d: d["segments"][0].pop("text"), "segments[0].text: expected text, got nothing"),
    (lambda d: [s.update(text=" ") for s in d["segments"]], "segments: no segment has text"),
]


@pytest.mark.parametrize(("change", "reason"), BAD, ids=[r for _c, r in BAD])
def test_bad_input_gives_one_line(write, change, reason):
    data = copy.deepcopy(load_format_fixture("whisper-json.json"))
    change(data)
    assert reason in parse_error(write("bad.json", json.dumps(data)))
