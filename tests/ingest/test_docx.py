"""Word documents built in the test with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from assistant.errors import ParseError
from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def _save(doc: object, path: Path) -> Path:
    doc.save(str(path))  # type: ignore[attr-defined]
    return path


def test_docx_bold_labels_heading_and_table(tmp_path):
    doc = Document()
    doc.add_heading("Keystone AP interview", level=1)
    for label, text in [
        ("Interviewer:", " How long does month-end take?"),
        ("Maria Gomez:", " Eight days."),
        ("Interviewer:", " What slows it down?"),
    ]:
        p = doc.add_paragraph()
        p.add_run(label).bold = True
        p.add_run(text)
    doc.add_paragraph("Chasing approvals.")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Maria Gomez"
    table.rows[0].cells[1].text = "And vendor statements."
    t = parse_file(_save(doc, tmp_path / "keystone.docx"))
    assert t.format == "labelled"
    assert t.title == "Keystone AP interview"
    assert [x.speaker for x in t.turns] == [
        "Interviewer",
        "Maria Gomez",
        "Interviewer",
        "Maria Gomez",
    ]
    assert t.turns[2].text == "What slows it down? Chasing approvals."
    assert t.turns[3].text == "And vendor statements."
    assert t.turns[1].role is SpeakerRole.participant
    check_offsets(t)


def test_docx_without_labels_is_notes(tmp_path):
    doc = Document()
    doc.add_paragraph("Met the controller on site.")
    doc.add_paragraph("They want fewer manual journal entries.")
    t = parse_file(_save(doc, tmp_path / "notes.docx"))
    assert t.format == "notes"
    assert t.verbatim is False
    assert [x.text for x in t.turns] == [
        "Met the controller on site.",
        "They want fewer manual journal entries.",
    ]


def test_not_a_docx(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("just text", encoding="utf-8")
    with pytest.raises(ParseError, match=r"not a valid \.docx"):
        parse_file(path)


def test_empty_docx(tmp_path):
    with pytest.raises(ParseError, match="no text"):
        parse_file(_save(Document(), tmp_path / "blank.docx"))


def test_docx_metadata_header_and_notes_section_are_not_speakers(tmp_path):
    doc = Document()
    doc.add_paragraph("Interviewee: Jack (26, operations analyst)")
    doc.add_paragraph("Date: 3 March 2025")
    for label, text in [
        ("Interviewer", "How do invoices reach you?"),
        ("Jack", "By email."),
        ("Interviewer", "Who approves them?"),
        ("Jack", "The site managers."),
    ]:
        p = doc.add_paragraph()
        p.add_run(f"{label}:").bold = True
        p.add_run(f" {text}")
    doc.add_heading("Notes", level=2)
    doc.add_paragraph("Keen on a pilot.")
    t = parse_file(_save(doc, tmp_path / "header.docx"))
    assert t.format == "labelled"
    assert [x.speaker for x in t.turns] == ["Interviewer", "Jack"] * 2 + ["Notes"]
    assert t.turns[3].text == "The site managers."
    assert t.turns[-1].role is SpeakerRole.unknown
    assert any("Interviewee: Jack (26, operations analyst)" in w for w in t.warnings)


def test_docx_soft_line_breaks_start_new_lines(tmp_path):
    doc = Document()
    p = doc.add_paragraph()
    for i, line in enumerate(["Ana: Hello?", "Bo: Hi.", "Ana: Why?", "Bo: Cost."]):
        run = p.add_run(line)
        if i < 3:
            run.add_break()
    t = parse_file(_save(doc, tmp_path / "soft.docx"))
    assert [x.speaker for x in t.turns] == ["Ana", "Bo", "Ana", "Bo"]


def test_docx_with_only_empty_paragraphs_is_an_error(tmp_path):
    doc = Document()
    for _ in range(5):
        doc.add_paragraph("")
    doc.add_paragraph("   ")
    with pytest.raises(ParseError, match="has no text"):
        parse_file(_save(doc, tmp_path / "blank.docx"))


def test_word_fixtures_of_the_text_layouts():
    otter = parse_file(format_fixture("otter__word.docx"))
    assert (otter.format, otter.title) == ("otter", "Keystone close review")
    assert [(x.speaker, x.start) for x in otter.turns] == [
        ("Speaker 1", 2.0),
        ("Mira Sol", 9.0),
        ("Speaker 1", 15.0),
        ("Mira Sol", 3724.0),
    ]
    qa = parse_file(format_fixture("qa__word.docx"))
    assert [x.speaker for x in qa.turns] == ["Interviewer", "Participant"] * 3 + ["Notes"]
    labelled = parse_file(format_fixture("labelled__word-header.docx"))
    assert [x.speaker for x in labelled.turns] == ["Interviewer", "Lena"] * 2 + ["Notes"]
    assert labelled.turns[0].text == "What made you look for a new tool?"
    for t in (otter, qa, labelled):
        assert_clean(t)
        check_offsets(t)
