"""SRT subtitles."""

from __future__ import annotations

import pytest

from assistant.errors import ParseError
from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import check_offsets
from tests.support.paths import FIXTURES

SRT = """1
00:00:01,000 --> 00:00:04,000
Interviewer: What made you switch?

2
00:00:04,500 --> 00:00:06,000
Priya: Audit findings.

3
00:00:06,000 --> 00:00:08,250
<i>Two years in a row.</i>

4
00:01:00,000 --> 00:01:02,000
Interviewer: And the budget?
"""


FORMATS = FIXTURES / "formats"


def test_srt_speakers_timings_merging(write):
    t = parse_file(write("call.srt", SRT))
    assert t.format == "srt"
    assert [x.speaker for x in t.turns] == ["Interviewer", "Priya", "Interviewer"]
    assert t.turns[1].text == "Audit findings. Two years in a row."
    assert (t.turns[1].start, t.turns[1].end) == (4.5, 8.25)
    assert t.turns[2].start == 60.0
    assert t.turns[1].role is SpeakerRole.participant
    check_offsets(t)


def test_srt_broken_timing(write):
    with pytest.raises(ParseError, match=r"line 6 \(cue 2\): broken cue timing"):
        parse_file(write("bad.srt", SRT.replace("00:00:04,500 -->", "00:00:0x,500 -->")))


def test_srt_cue_without_timing_line(write):
    bad = SRT.replace("00:00:04,500 --> 00:00:06,000\n", "")
    with pytest.raises(ParseError, match="line 5: cue has no timing line"):
        parse_file(write("bad.srt", bad))


def test_whisper_srt_is_verbatim_but_unattributed():
    t = parse_file(FORMATS / "srt__whisper.srt")
    assert (t.format, t.verbatim, t.diarized, t.warnings) == ("srt", True, False, [])
    assert {turn.speaker for turn in t.turns} == {"Unattributed"}
    assert {turn.role for turn in t.turns} == {SpeakerRole.unknown}
    # cues joined into sentences; each turn keeps its first cue's start and last cue's end
    assert [(turn.start, turn.end) for turn in t.turns] == [(0.0, 3.8), (3.8, 10.9), (11.4, 14.0)]
    assert t.turns[1].text == (
        "Some invoices sat for two weeks because the approver was travelling and nobody knew."
    )


def test_srt_with_only_timing_lines(write):
    srt = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n"
    with pytest.raises(ParseError, match="no captions with text found in this SRT file"):
        parse_file(write("timings.srt", srt))


def test_cues_without_blank_lines_between_them(write):
    text = "1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n2\n00:00:02,000 --> 00:00:03,000\nSecond one here.\n"
    t = parse_file(write("tight.srt", text))
    assert t.text == "Unattributed: First line. Second one here."
    assert t.warnings == []
