"""Fathom transcripts: ``@0:00 - Name (email)`` markers, highlights dropped."""

from __future__ import annotations

from assistant.ingest import parse_file
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_fathom_text_export() -> None:
    t = parse_file(format_fixture("fathom.txt"))
    assert t.format == "fathom"
    assert t.title == "Cedar Ridge discovery call - March 12"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Hana Sato", 0.0),
        ("Luis Ortega", 9.0),
        ("Hana Sato", 72.0),
        ("Luis Ortega", 75.0),
    ]
    for gone in ("ACTION ITEM", "REACTION", "VIEW RECORDING", "WATCH", "@"):
        assert gone not in t.text
    assert any("ACTION ITEM" in w or "VIEW RECORDING" in w for w in t.warnings)
    assert_clean(t)
    check_offsets(t)


def test_fathom_markdown_export_links_and_bold_names() -> None:
    t = parse_file(format_fixture("fathom__markdown.md"))
    assert t.format == "fathom"
    assert [(x.speaker, x.start) for x in t.turns] == [
        ("Hana Sato", 3.0),
        ("Luis Ortega", 8.0),
        ("Hana Sato", 20.0),
    ]
    assert "fathom.video" not in t.text
    assert_clean(t)


def test_a_time_and_dash_inside_the_words_is_not_a_header(write) -> None:
    text = (
        "VIEW RECORDING - 9 mins\n\n0:00 - Kim Lee\n  When did it start?\n\n0:04 - Ravi Patel\n"
        "  Last spring.\n  12:30 - that was when the audit began.\n\n0:09 - Kim Lee\n  I see.\n"
    )
    t = parse_file(write("f.txt", text))
    assert [x.speaker for x in t.turns] == ["Kim Lee", "Ravi Patel", "Kim Lee"]
    assert t.turns[1].text == "Last spring. 12:30 - that was when the audit began."
