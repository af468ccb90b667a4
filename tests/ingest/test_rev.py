"""Rev / Descript ``Name (00:01:02):`` transcripts."""

from __future__ import annotations

import pytest

from assistant.errors import ParseError
from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_rev_header_on_its_own_line_crlf() -> None:
    t = parse_file(format_fixture("rev.txt"))
    assert t.format == "rev" and t.verbatim
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Speaker 1", 0.0),
        ("Tomas Ruiz", 7.0),
        ("Speaker 1", 15.0),
        ("Tomas Ruiz", 3751.0),
    ]
    assert t.turns[1].role is SpeakerRole.participant
    assert_clean(t)
    check_offsets(t)


def test_rev_bold_header_before_the_words_with_entities() -> None:
    t = parse_file(format_fixture("rev__inline.md"))
    assert t.format == "rev"
    assert t.title == "Harbor Point call"
    assert [x.start for x in t.turns] == [2.0, 9.0, 75.0, 80.0]
    assert t.turns[1].text == "Better than we hoped — we cleared the backlog in nine days."
    assert_clean(t)


def test_rev_without_words_is_an_error(write) -> None:
    with pytest.raises(ParseError, match="no text found"):
        parse_file(write("rev.txt", "Speaker 1 (00:00):\n\nSpeaker 2 (00:04):\n"))


def test_clock_times_from_meeting_capture_extensions(write) -> None:
    text = (
        "Alice Smith (3/4/2025, 10:02:31 AM)\nHow do you approve invoices?\n\n"
        "Bob Jones (3/4/2025, 10:02:40 AM)\nBy email.\n\nAlice Smith (10:03 PM)\nWhy?\n"
    )
    t = parse_file(write("ext.txt", text))
    assert t.format == "rev"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Alice Smith", 36151.0),
        ("Bob Jones", 36160.0),
        ("Alice Smith", 79380.0),
    ]


def test_generated_markdown_with_summary_and_speaker_list_before_the_transcript(write) -> None:
    text = (
        "# Transcription: call.m4a\n\n## Summary\n\n- Pricing was discussed.\n\n## Speakers\n\n"
        "- Speaker 1\n- Unknown Speaker\n\n## Transcript\n\n**Speaker 1 (00:00):**  \nHow did you hear about us?\n\n"
        "**Unknown Speaker (00:15):**  \nA colleague told me.\n"
    )
    t = parse_file(write("gen.md", text))
    assert t.format == "rev"
    assert [x.speaker for x in t.turns] == ["Speaker 1", "Unknown Speaker"]
    assert t.title == "Transcription: call.m4a"
    assert any("Pricing was discussed" in w for w in t.warnings)
