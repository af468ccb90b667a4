"""Dash labels declared by a legend (``[I] – Interviewer [C] – Client``)."""

from __future__ import annotations

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_legend_names_the_speakers() -> None:
    t = parse_file(format_fixture("legend.txt"))
    assert t.format == "legend"
    assert t.title == "Interview 3 – regional logistics firm"
    assert [x.speaker for x in t.turns] == ["Interviewer", "Client"] * 3
    assert t.turns[1].text == "Mostly as PDF attachments – around four hundred a month."
    assert t.turns[1].role is SpeakerRole.participant
    assert_clean(t)
    check_offsets(t)


def test_legend_on_separate_lines(write) -> None:
    text = "[R] – Researcher\n[P] – Pat Doyle\n\nR – Why switch?\nP – Cost.\nR – Anything else?\nP – Speed.\n"
    t = parse_file(write("x.txt", text))
    assert t.format == "legend"
    assert [x.speaker for x in t.turns] == ["Researcher", "Pat Doyle"] * 2


def test_dashes_inside_labelled_prose_are_not_a_legend(write) -> None:
    text = (
        "User: When it writes them, it sounds like AI - less personal, more distant.\nAI: Why?\n"
        * 2
    )
    assert parse_file(write("x.md", text)).format == "labelled"
