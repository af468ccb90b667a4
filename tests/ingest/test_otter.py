"""Otter.ai text exports."""

from __future__ import annotations

import pytest
from docx import Document

from assistant.errors import ParseError
from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import assert_clean, check_offsets, format_fixture

OTTER = """Speaker 1  0:03
Thanks for making time. How do you handle approvals today?

Jane Doe  0:12
We route invoices by email.
It is slow.

Speaker 1  12:45
What would you change?

Jane Doe  1:02:03
Automatic routing.

Transcribed by https://otter.ai
"""


def test_otter_headers_and_timestamps(write):
    t = parse_file(write("otter.txt", OTTER))
    assert t.format == "otter"
    assert [x.speaker for x in t.turns] == ["Speaker 1", "Jane Doe"] * 2
    assert [x.start for x in t.turns] == [3.0, 12.0, 765.0, 3723.0]
    assert t.turns[1].text == "We route invoices by email. It is slow."
    assert "otter.ai" not in t.text
    assert t.turns[0].role is SpeakerRole.interviewer
    assert t.turns[1].role is SpeakerRole.participant
    assert t.role_method == "content"
    check_offsets(t)


def test_otter_title_line(write):
    t = parse_file(write("o.txt", "Acme discovery call\n\n" + OTTER))
    assert t.title == "Acme discovery call"
    assert t.turns[0].speaker == "Speaker 1"


def test_single_space_is_not_an_otter_header(write):
    text = "Sam: We met at 10:30\nDana: ok 0:03\nSam: fine?\n"
    assert parse_file(write("x.txt", text)).format == "labelled"


def test_bold_otter_markdown_with_group_and_unknown_speakers() -> None:
    t = parse_file(format_fixture("otter__bold.md"))
    assert t.format == "otter" and t.verbatim and t.diarized
    assert [x.speaker for x in t.turns] == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 3",
        "Unknown Speaker",
        "Speaker 1",
        "Speaker 2",
    ]
    assert [x.start for x in t.turns] == [4.0, 15.0, 24.0, 31.0, 36.0, 3727.0]
    assert t.title == "Brightline AP group interview"
    assert "otter.ai" not in t.text
    assert any("Transcribed by" in w for w in t.warnings)
    assert_clean(t)
    check_offsets(t)


def test_otter_in_word_with_soft_line_breaks(tmp_path) -> None:
    doc = Document()
    for header, words in [
        ("Speaker 1  0:03", "How long is your close?"),
        ("Jo Park  0:09", "Nine days."),
    ]:
        p = doc.add_paragraph()
        p.add_run(header).add_break()
        p.add_run(words)
    doc.add_paragraph("Transcribed by https://otter.ai")
    path = tmp_path / "otter.docx"
    doc.save(str(path))
    t = parse_file(path)
    assert t.format == "otter"
    assert [(x.speaker, x.start, x.text) for x in t.turns] == [
        ("Speaker 1", 3.0, "How long is your close?"),
        ("Jo Park", 9.0, "Nine days."),
    ]


def test_otter_headers_without_words_are_an_error(write) -> None:
    with pytest.raises(ParseError, match="no text found"):
        parse_file(write("empty.txt", "Speaker 1  0:03\n\nSpeaker 2  0:09\n"))


def test_truncated_otter_export_keeps_what_is_there(write) -> None:
    t = parse_file(write("cut.txt", OTTER[: OTTER.index("Automatic")]))
    assert [x.speaker for x in t.turns] == ["Speaker 1", "Jane Doe", "Speaker 1"]


def test_only_unknown_speaker_is_unattributed(write) -> None:
    text = "Unknown Speaker  0:00\nSo the invoices arrive by email.\n\nUnknown Speaker  0:12\nThen we key them.\n"
    t = parse_file(write("solo.txt", text))
    assert (t.format, t.verbatim, t.diarized) == ("otter", True, False)
    assert {x.speaker for x in t.turns} == {"Unattributed"}
    assert any("Unknown Speaker" in w for w in t.warnings)


def test_export_header_is_title_and_warning_not_a_turn(write) -> None:
    text = (
        "Acme discovery call\nTue, Sep 9, 2025 2:31PM • 45:13\nSUMMARY KEYWORDS\ninvoices, approvals\n"
        "SPEAKERS\nSpeaker 1, Dana Lee\n\n" + OTTER
    )
    t = parse_file(write("header.txt", text))
    assert t.title == "Acme discovery call"
    assert [x.speaker for x in t.turns] == ["Speaker 1", "Jane Doe"] * 2
    assert any("SUMMARY KEYWORDS" in w for w in t.warnings)


def test_teams_transcript_in_the_same_shape(tmp_path) -> None:
    doc = Document()
    for line in [
        "Pricing review",
        "Alex Kim started transcription",
        "Alex Kim   0:03",
        "Why did you pick the annual plan?",
        "Rosa Diaz   0:09",
        "The discount, honestly.",
        "Alex Kim stopped transcription",
    ]:
        doc.add_paragraph(line)
    path = tmp_path / "teams.docx"
    doc.save(str(path))
    t = parse_file(path)
    assert t.format == "otter"
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Alex Kim", "Why did you pick the annual plan?"),
        ("Rosa Diaz", "The discount, honestly."),
    ]


def test_time_token_repeated_before_every_line_is_removed(write) -> None:
    text = (
        "0:00 Dana Lee  00:00\n\n0:00 Hello, and welcome.\n\n0:00 Unknown Speaker  00:10\n\n"
        "0:00 Thanks for having me.\n\n0:00 Dana Lee  00:13\n\n0:00 Let us start.\n\n"
        "0:00 Transcribed by https://otter.ai\n"
    )
    t = parse_file(write("converted.txt", text))
    assert t.format == "otter"
    assert [(x.speaker, x.start, x.text) for x in t.turns] == [
        ("Dana Lee", 0.0, "Hello, and welcome."),
        ("Unknown Speaker", 10.0, "Thanks for having me."),
        ("Dana Lee", 13.0, "Let us start."),
    ]


def test_otter_without_speaker_names_is_unattributed(write) -> None:
    text = "0:01  \nWhen I was a kid, invoices came by post.\n\n0:15  \nNow by email.\n\n0:24\nThanks.\n\nTranscribed by https://otter.ai\n"
    t = parse_file(write("solo.txt", text))
    assert (t.verbatim, t.diarized) == (True, False)
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Unattributed", 1.0),
        ("Unattributed", 15.0),
        ("Unattributed", 24.0),
    ]
    assert "otter.ai" not in t.text


def test_teams_copy_with_single_spaces(write) -> None:
    text = "Alice Smith 0:03\nHow did the rollout go?\nBob Jones 0:09\nWell.\nAlice Smith 0:15\nAny issues?\nBob Jones 0:20\nNone.\n"
    t = parse_file(write("teams.txt", text))
    assert t.format == "otter"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Alice Smith", 3.0),
        ("Bob Jones", 9.0),
        ("Alice Smith", 15.0),
        ("Bob Jones", 20.0),
    ]


def test_stray_name_and_time_lines_do_not_make_an_otter_file(write) -> None:
    text = "Sam: When is it?\nCall Tomorrow 10:30\nDana: Fine.\nSam: And then?\nMeet Friday 11:00\nDana: Ok.\n"
    assert parse_file(write("x.txt", text)).format == "labelled"
