"""Bold labels with a bracketed time, in either order."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_file
from tests.support.ingest import assert_clean, check_offsets, format_fixture


@pytest.mark.parametrize(
    ("name", "speakers", "starts"),
    [
        ("bold-time.md", ["Interviewer", "Kai Berger"], [0.0, 6.0, 14.0, 3729.0]),
        ("bold-time__time-first.md", ["SPEAKER_01", "SPEAKER_02"], [0.0, 5.0, 134.0, 140.0]),
        ("bold-time__escaped.md", ["Interviewer", "Noor Aziz"], [12.0, 18.0, 238.0, 243.0]),
    ],
)
def test_bold_label_and_time(name: str, speakers: list[str], starts: list[float]) -> None:
    t = parse_file(format_fixture(name))
    assert t.format == "bold-time"
    assert [x.speaker for x in t.turns] == speakers * 2
    assert [x.start for x in t.turns] == starts
    assert_clean(t)
    check_offsets(t)


def test_words_below_the_bold_header(write) -> None:
    text = "**Ana** *(00:00:04)*\nHello.\n\n**Bo** *(00:00:09)*\nHi there.\n"
    t = parse_file(write("x.md", text))
    assert [(x.speaker, x.start, x.text) for x in t.turns] == [
        ("Ana", 4.0, "Hello."),
        ("Bo", 9.0, "Hi there."),
    ]
