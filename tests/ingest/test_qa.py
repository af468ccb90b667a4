"""Q&A documents: bold questions, unlabelled answers (Markdown and Word)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from assistant.ingest import parse_file
from assistant.models import SpeakerRole
from tests.support.ingest import assert_clean, check_offsets, format_fixture


def test_bold_questions_are_the_interviewer_answers_the_participant() -> None:
    t = parse_file(format_fixture("qa.md"))
    assert t.format == "qa" and t.verbatim
    assert t.title == "Customer discovery – interview 7"
    assert [x.speaker for x in t.turns] == ["Interviewer", "Participant"] * 3 + ["Notes"]
    assert t.turns[0].text == "How do you handle supplier invoices today?"
    assert t.turns[1].text == (
        "We get them by email & forward them to the site manager. It is slow."
    )
    assert t.turns[0].role is SpeakerRole.interviewer
    assert t.turns[1].role is SpeakerRole.participant
    assert t.turns[-1].role is SpeakerRole.unknown
    assert "Interviewee" not in {x.speaker for x in t.turns}
    assert any("Interviewee: Jack" in w for w in t.warnings)
    assert_clean(t)
    check_offsets(t)


def test_word_document_with_bold_question_paragraphs(tmp_path: Path) -> None:
    doc = Document()
    doc.add_heading("Interview 2", level=1)
    doc.add_paragraph("Interviewee: Jack (26, analyst)")
    for question, answer in [
        ("How do invoices reach you?", "By email, mostly."),
        ("Who approves them?", "The site managers."),
    ]:
        doc.add_paragraph().add_run(question).bold = True
        doc.add_paragraph(answer)
    doc.add_heading("Notes", level=2)
    doc.add_paragraph("Follow up in June.")
    path = tmp_path / "qa.docx"
    doc.save(str(path))
    t = parse_file(path)
    assert t.format == "qa"
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Interviewer", "How do invoices reach you?"),
        ("Participant", "By email, mostly."),
        ("Interviewer", "Who approves them?"),
        ("Participant", "The site managers."),
        ("Notes", "Notes Follow up in June."),
    ]


def test_answers_in_quote_blocks_lose_the_quote_marks(write) -> None:
    text = "**What tools do you use?**\n\n> NetSuite and an inbox.\n> Not great.\n\n**What would you change?**\n\n> Matching &amp; routing.\n"
    t = parse_file(write("q.md", text))
    assert t.format == "qa"
    assert [x.text for x in t.turns] == [
        "What tools do you use?",
        "NetSuite and an inbox. Not great.",
        "What would you change?",
        "Matching & routing.",
    ]


def test_q_labels_with_unlabelled_answers(write) -> None:
    text = "Q: How do you approve invoices?\nWe use email.\n\nQ: Why?\nHabit, mostly.\n"
    t = parse_file(write("q.txt", text))
    assert t.format == "qa"
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Interviewer", "How do you approve invoices?"),
        ("Participant", "We use email."),
        ("Interviewer", "Why?"),
        ("Participant", "Habit, mostly."),
    ]


def test_q_and_a_labels_stay_labelled(write) -> None:
    text = "Q: How do you approve invoices?\nA: By email.\nQ: Why?\nA: Habit.\n"
    assert parse_file(write("q.txt", text)).format == "labelled"


def test_bold_question_with_the_answer_on_the_same_line(write) -> None:
    text = "**How long have you been there?** Five years.\n\n**Why stay?** The team.\n"
    t = parse_file(write("q.md", text))
    assert t.format == "qa"
    assert [x.text for x in t.turns] == [
        "How long have you been there?",
        "Five years.",
        "Why stay?",
        "The team.",
    ]
