"""WebVTT from Zoom (``Name: text``) and Teams (``<v Name>``)."""

from __future__ import annotations

import pytest

from assistant.errors import ParseError
from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import check_offsets
from tests.support.paths import FIXTURES

TEAMS = """WEBVTT

0a1b/12-0
00:00:01.000 --> 00:00:04.500
<v Sam Patel>Thanks for joining. What tools do you use?</v>

0a1b/13-0
00:00:05.000 --> 00:00:07.000
<v Dana Whitfield>We use NetSuite &amp; Excel.</v>

00:00:07.000 --> 00:00:09.250
<v Dana Whitfield>Mostly <i>Excel</i>.</v>

00:00:10.000 --> 00:01:02.000
<v Sam Patel>Why?</v>
"""

FORMATS = FIXTURES / "formats"
ZOOM = """WEBVTT

1
00:00:00.500 --> 00:00:03.000
Sam Patel: How do you approve invoices?

2
00:00:03.500 --> 00:00:06.000
Dana Whitfield: By email.

3
00:00:06.000 --> 00:00:08.000
It takes days.

4
00:00:08.500 --> 00:00:09.000
Sam Patel: Why is that?
"""


def test_teams_voice_tags_timings_and_merging(write):
    t = parse_file(write("teams.vtt", TEAMS))
    assert t.format == "vtt"
    assert [x.speaker for x in t.turns] == ["Sam Patel", "Dana Whitfield", "Sam Patel"]
    dana = t.turns[1]
    assert dana.text == "We use NetSuite & Excel. Mostly Excel."
    assert (dana.start, dana.end) == (5.0, 9.25)
    assert (t.turns[2].start, t.turns[2].end) == (10.0, 62.0)
    assert dana.role is SpeakerRole.participant
    assert t.turns[0].role is SpeakerRole.interviewer
    check_offsets(t)


def test_zoom_payload_labels_and_unlabelled_continuation(write):
    t = parse_file(write("zoom.vtt", ZOOM))
    assert [x.speaker for x in t.turns] == ["Sam Patel", "Dana Whitfield", "Sam Patel"]
    assert t.turns[1].text == "By email. It takes days."
    assert (t.turns[1].start, t.turns[1].end) == (3.5, 8.0)
    check_offsets(t)


def test_several_voices_in_one_cue(write):
    vtt = "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Sam>Ready?</v>\n<v Dana>Yes.</v>\n"
    t = parse_file(write("multi.vtt", vtt))
    assert [(x.speaker, x.text) for x in t.turns] == [("Sam", "Ready?"), ("Dana", "Yes.")]


@pytest.mark.parametrize(
    ("timing", "reason"),
    [
        ("00:00:0x.000 --> 00:00:06.000", "line 8 (cue 2): broken cue timing"),
        ("01.000 --> 00:04.000", "line 8 (cue 2): broken cue timing"),
        ("00:00:09.000 --> 00:00:06.000", "line 8 (cue 2): cue ends before it starts"),
    ],
)
def test_broken_timings_name_the_line(write, timing, reason):
    bad = ZOOM.replace("00:00:03.500 --> 00:00:06.000", timing)
    with pytest.raises(ParseError) as err:
        parse_file(write("bad.vtt", bad))
    assert reason in err.value.reason


def test_missing_header(write):
    with pytest.raises(ParseError, match="first line must be WEBVTT"):
        parse_file(write("nohead.vtt", ZOOM.replace("WEBVTT\n", "")))


def test_whisper_vtt_without_hours_is_unattributed():
    t = parse_file(FORMATS / "vtt__whisper-no-hours.vtt")
    assert (t.format, t.verbatim, t.diarized) == ("vtt", True, False)
    assert [(turn.speaker, turn.start, turn.end) for turn in t.turns] == [
        ("Unattributed", 0.0, 3.8),
        ("Unattributed", 3.8, 10.9),
        ("Unattributed", 11.4, 14.0),
    ]
    assert t.role_method == "none"


def test_youtube_turn_dashes_start_new_turns():
    t = parse_file(FORMATS / "vtt__youtube-dashes.vtt")
    assert [turn.text for turn in t.turns] == [
        "How many people touch an invoice?",
        "At least four, sometimes six.",
        "And how long does that take?",
        "About a week on a good month. That is the part we wanted gone.",
    ]
    assert [turn.start for turn in t.turns] == [1.2, 1.2, 4.3, 4.3]
    assert not any(turn.text.startswith("-") for turn in t.turns)


def test_captions_with_only_timing_lines(write):
    vtt = "WEBVTT\n\n00:01.000 --> 00:03.000\n\n00:03.000 --> 00:04.000\n"
    with pytest.raises(ParseError, match="no captions with text found in this WebVTT file"):
        parse_file(write("timings.vtt", vtt))


def test_no_cues(write):
    with pytest.raises(ParseError, match="no captions with text"):
        parse_file(write("empty.vtt", "WEBVTT\n\n"))
