"""A name alone on its line, the words below (Meet/Zoom/Teams copy-paste)."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import check_offsets, format_fixture


def test_name_lines_with_you_for_the_recorder() -> None:
    t = parse_file(format_fixture("name-lines.txt"))
    assert t.format == "name-lines" and t.verbatim
    assert [x.speaker for x in t.turns] == ["Maya Chen", "You"] * 2 + ["Maya Chen"]
    assert t.turns[3].text == "The site managers. Okay That is the slow part."
    check_offsets(t)


def test_labelled_text_wins_over_name_lines(write) -> None:
    text = "Ana Ruiz\nAna Ruiz: Hello?\nBo Lee: Hi.\nAna Ruiz: Why?\nBo Lee: Cost.\n"
    assert parse_file(write("x.txt", text)).format == "labelled"


def test_notes_with_repeated_short_headings_stay_notes(write) -> None:
    text = "Pricing\nThey found it fair.\n\nOnboarding\nTook two weeks.\n"
    assert parse_file(write("x.md", text)).format == "notes"


def test_names_as_markdown_headings(write) -> None:
    text = "### Interviewer\nHow do you approve?\n\n### Participant\nBy email.\n\n" * 2
    t = parse_file(write("x.md", text))
    assert t.format == "name-lines"
    assert [x.speaker for x in t.turns] == ["Interviewer", "Participant"] * 2
    assert t.turns[0].role.value == "interviewer"


def test_numbered_speaker_names_on_their_own_lines(write) -> None:
    text = "SPEAKER 1\nHello and welcome.\nSPEAKER 2\nThanks for having me.\nSPEAKER 1\nLet us begin.\nSPEAKER 2\nSure.\n"
    t = parse_file(write("x.txt", text))
    assert t.format == "name-lines"
    assert [x.speaker for x in t.turns] == ["SPEAKER 1", "SPEAKER 2"] * 2


def test_names_with_a_parenthesis(write) -> None:
    text = "Jane Doe (Guest)\nHello there.\nYou\nHi Jane.\nJane Doe (Guest)\nShall we start?\nYou\nSure.\n"
    t = parse_file(write("x.txt", text))
    assert [x.speaker for x in t.turns] == ["Jane Doe (Guest)", "You"] * 2
