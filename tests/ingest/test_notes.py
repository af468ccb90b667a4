"""Interviewer notes without speaker labels."""

from __future__ import annotations

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import check_offsets

NOTES = """# Visit notes: Harbor Point

Spoke with the IT lead. They need SSO before anything else.
Budget sits with procurement.

---

## Risks

Pain: month-end takes 9 days.
"""


def test_notes_markdown(write):
    t = parse_file(write("visit.md", NOTES))
    assert t.format == "notes"
    assert t.verbatim is False
    assert t.title == "Visit notes: Harbor Point"
    assert [x.text for x in t.turns] == [
        "Spoke with the IT lead. They need SSO before anything else. Budget sits with procurement.",
        "Risks",
        "Pain: month-end takes 9 days.",
    ]
    assert {x.speaker for x in t.turns} == {"Notes"}
    assert {x.role for x in t.turns} == {SpeakerRole.unknown}
    assert t.role_method == "none"
    check_offsets(t)


def test_prose_txt_is_notes(write):
    t = parse_file(write("prose.txt", "They liked the demo.\n\nFollow up in May.\n"))
    assert t.format == "notes"
    assert len(t.turns) == 2


def test_front_matter_kind_notes_overrides_labels(write):
    text = "---\nkind: notes\ntitle: Debrief\n---\nSam: seemed keen\nDana: asked about SSO\n"
    t = parse_file(write("debrief.md", text))
    assert t.format == "notes"
    assert t.verbatim is False
    assert t.title == "Debrief"
    assert [x.text for x in t.turns] == ["Sam: seemed keen Dana: asked about SSO"]
