"""Google Meet transcripts: one line per utterance, markers and boilerplate dropped."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_meet_text_merges_lines_and_drops_markers_and_boilerplate() -> None:
    t = parse_file(format_fixture("meet.txt"))
    assert t.format == "meet" and t.verbatim
    assert t.title == "abc-defg-hij (2025-03-04 10:02 GMT+1)"
    assert [x.speaker for x in t.turns] == ["Sofia Marin", "Jonas Berg"] * 2
    assert (
        t.turns[0].text == "Thanks for making the time, Jonas. What does your team look like today?"
    )
    assert t.turns[3].text == "Matching invoices to receipts. Note: we still print some."
    for gone in ("00:05:00", "editable transcript", "Meeting ended"):
        assert gone not in t.text
    assert any("dropped" in w for w in t.warnings)
    assert any("Attendees" in w for w in t.warnings)
    assert_clean(t)
    check_offsets(t)


def test_meet_markdown_export_unescapes() -> None:
    t = parse_file(format_fixture("meet__markdown.md"))
    assert t.format == "meet"
    assert [x.speaker for x in t.turns] == ["Rita Okafor", "Dev Patel"] * 2
    assert t.turns[1].text == "Yes. Loud and clear."
    assert t.turns[3].text == "Faster & fewer reminders."
    assert_clean(t)


def test_a_transcript_heading_alone_does_not_make_a_meet_file(write) -> None:
    text = "Transcript\n\nInterviewer: Why?\nJack: Cost.\nInterviewer: And?\nJack: Speed.\n"
    assert parse_file(write("x.txt", text)).format == "labelled"


def test_a_mention_of_gemini_is_not_meet_boilerplate(write) -> None:
    text = "AI: Which tools?\nUser: Gemini and NotebookLM.\nAI: Why?\nUser: Speed.\n"
    assert parse_file(write("x.md", text)).format == "labelled"
