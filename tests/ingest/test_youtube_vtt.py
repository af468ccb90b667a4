"""YouTube auto-captions: inline word times stripped, rolling duplicates removed."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, check_offsets, parse_error


def test_rolling_lines_are_read_once_without_tags():
    t = parse_file(FORMATS / "youtube-vtt.vtt")
    check_offsets(t)
    assert (t.format, t.verbatim, t.diarized) == ("youtube-vtt", True, False)
    assert [x.text for x in t.turns] == [
        "so the reason we switched was the month end close it took nine days every time"
        " and nobody trusted the numbers"
    ]
    assert (t.turns[0].start, t.turns[0].end) == (0.16, 10.95)
    assert "<" not in t.text and "align:" not in t.text


def test_timing_lines_only(write):
    text = (
        "WEBVTT\n\n00:00:00.160 --> 00:00:02.790 align:start position:0%\n<00:00:00.640><c></c>\n"
    )
    assert (
        parse_error(write("empty.vtt", text)) == "no captions with text found in this WebVTT file"
    )


def test_truncated_timing_line(write):
    text = (FORMATS / "youtube-vtt.vtt").read_text()
    cut = text[: text.index("00:00:05.200 -->") + 20]
    assert "broken cue timing" in parse_error(write("cut.vtt", cut))


def test_space_lines_inside_cues_are_not_cue_ends():
    t = parse_file(FORMATS / "youtube-vtt.vtt")
    assert t.warnings == []  # YouTube opens cues with a line of one space
