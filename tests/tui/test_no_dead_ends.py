"""No dead ends: the demo says in plain words what needs a live model, Ask without a model
answers with quotes, a failed job is reported as Failed, citations open their transcript,
find in the transcript."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from assistant.ask import QUOTES_ONLY, Answer
from assistant.demo import NEEDS_LIVE_MODEL, demo_message
from assistant.llm.cassettes import MissingFixtureError
from assistant.models import EvidenceStatus
from assistant.workspace import Workspace
from tests.support.corpus import replay_settings
from tests.support.tui import SIZE, AppFactory, settle
from tui.app import PersonaApp
from tui.screens.ask import AskScreen
from tui.screens.interview import InterviewScreen
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.jobbar import JobBar
from tui.widgets.turn import TurnView

pytestmark = pytest.mark.anyio


def test_demo_message_hides_paths_and_record() -> None:
    err = MissingFixtureError("name_themes", "name_themes:abc:ThemeNames", Path("/opt/x/cassettes"))
    shown = demo_message(f"Regenerate failed: {err}")
    assert shown == f"Regenerate failed: {NEEDS_LIVE_MODEL}."
    assert "/opt/x" not in shown and "--record" not in shown and "persona init" in shown
    assert demo_message("the question is empty") == "the question is empty"


async def ask(app: PersonaApp, pilot: Pilot[None], question: str | None = None) -> AskScreen:
    """Open Ask, ask ``question`` (default: the demo's suggested one), wait for the answer."""
    await settle(app)
    await pilot.press("a")
    await settle(app)
    screen = app.screen
    assert isinstance(screen, AskScreen)
    if question is not None:
        screen.query_one("#ask-box", Input).value = question
    await pilot.press("enter")
    await settle(app)
    return screen


async def test_demo_ask_any_question_gets_quotes(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    """A question the demo has no recorded answer for: the best quotes, labelled, openable."""
    app = app_for(extracted_ws, demo=True, autorun=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(app, pilot, "what did they say about NetSuite approvals?")
        answer = screen.answer
        assert isinstance(answer, Answer) and answer.quotes_only
        assert answer.text.startswith(QUOTES_ONLY)
        assert answer.citations and all(
            c.status == EvidenceStatus.verified for c in answer.citations
        )
        shown = str(screen.query_one("#answer-text", Static).render())
        assert QUOTES_ONLY in shown and "persona init" in shown
        assert "no recorded LLM response" not in shown and "--record" not in shown
        first = answer.citations[0]
        await pilot.press("1")
        await settle(app)
        view = app.screen
        assert isinstance(view, InterviewScreen) and view.interview_id == first.interview_id
        assert view.highlighted_turn == first.turn
        assert view.query_one(f"#turn-{first.turn}", TurnView).has_class("-highlight")


async def test_citations_are_numbered_in_answer_order_and_open(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    """The demo question's recorded answer: [1], [2]… in reading order, Enter opens one."""
    app = app_for(extracted_ws, demo=True, autorun=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(app, pilot)
        answer = screen.answer
        assert isinstance(answer, Answer) and not answer.quotes_only
        import re

        marks = [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)]
        assert marks[0] == 1
        assert sorted(set(marks)) == list(range(1, max(marks) + 1))
        firsts = list(dict.fromkeys(marks))
        assert firsts == sorted(firsts)  # first citations appear as 1, 2, 3…
        assert [c.number for c in answer.citations] == sorted(c.number for c in answer.citations)
        citations = screen.query_one("#citations", OptionList)
        assert citations.has_focus and citations.option_count == len(answer.citations)
        verified = next(
            i for i, c in enumerate(answer.citations) if c.status == EvidenceStatus.verified
        )
        citations.highlighted = verified
        await pilot.press("enter")
        await settle(app)
        view = app.screen
        assert isinstance(view, InterviewScreen)
        assert view.highlighted_turn == answer.citations[verified].turn
        await pilot.press("escape")
        await settle(app)
        assert app.screen is screen
        assert isinstance(screen, AskScreen) and screen.answer is answer  # still there
        await pilot.press("escape")  # Esc never discards a finished answer
        await settle(app)
        assert "Cancelled" not in str(screen.query_one("#answer-text", Static).render())


async def test_failed_pipeline_is_reported_as_failed_in_plain_words(
    extracted_ws: Workspace, app_for: AppFactory, tmp_path: Path
) -> None:
    """Extraction is current, the later steps have no recording: Failed, not Done."""
    empty = tmp_path / "no-cassettes"
    empty.mkdir()
    app = app_for(
        extracted_ws,
        demo=True,
        autorun=False,
        pipeline=True,
        settings=replay_settings(cassette_dir=str(empty)),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("x")
        await settle(app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app)
        toasts = list(app._notifications)
        finished = [n for n in toasts if n.title.startswith("Analysis")]
        assert [n.title for n in finished] == ["Analysis: Failed"]
        assert finished[0].severity == "error"
        text = finished[0].message
        assert NEEDS_LIVE_MODEL in text
        assert str(empty) not in text and "--record" not in text
        bar = app.screen.query_one(JobBar)
        assert bar.has_class("-failed")
        assert "Analysis: Failed" in str(bar.query_one("#job-label").render())


async def test_find_in_transcript_steps_through_matches(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    """/ opens the find box; Enter lands on each match in turn; Esc closes, then goes back."""
    from assistant.library import get_interview
    from assistant.search import find_in_transcript
    from tui.widgets.find import FindBox

    transcript = get_interview(extracted_ws, "northwind-cfo").transcript
    expected = find_in_transcript(transcript, "business days")
    assert len(expected) >= 2
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        library = app.screen
        app.push_screen(InterviewScreen(extracted_ws, "northwind-cfo"))
        await settle(app)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await pilot.press("slash", *"Business   DAYS", "enter")
        await settle(app)
        first = expected[0]
        view = screen.query_one(f"#turn-{first.turn}", TurnView)
        assert screen.highlighted_turn == first.turn and view.span == (first.start, first.end)
        text = transcript.text[first.start : first.end]
        assert text.casefold() == "business days"
        await pilot.press("enter")
        await settle(app)
        second = expected[1]
        assert screen.highlighted_turn == second.turn
        assert screen.query_one(f"#turn-{second.turn}", TurnView).span == (
            second.start,
            second.end,
        )
        assert screen.query_one(FindBox).border_title == f"match 2 of {len(expected)}"
        await pilot.press("escape")
        await settle(app)
        assert app.screen is screen and not screen.query_one(FindBox).is_open
        await pilot.press("escape")
        await settle(app)
        assert app.screen is library


async def test_ask_with_a_tag_answers_from_the_tagged_interviews_only(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    """The Ask screen's tag box selects interviews as `persona ask --tag` does."""
    from assistant.selection import InterviewFilter, select_interviews
    from assistant.tags import write_tags

    first = extracted_ws.conn.execute(
        "SELECT id, interview_id FROM insights ORDER BY interview_id, position LIMIT 1"
    ).fetchone()
    with extracted_ws.conn:
        write_tags(extracted_ws.conn, first["id"], ["zebra"])
    tagged = set(select_interviews(extracted_ws, InterviewFilter(tag="zebra")))
    assert first["interview_id"] in tagged and len(tagged) < 12
    app = app_for(extracted_ws, demo=True, autorun=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("a")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, AskScreen)
        screen.query_one("#ask-tag", Input).value = "zebra"
        screen.query_one("#ask-box", Input).focus()
        screen.query_one("#ask-box", Input).value = "what did they say about approvals?"
        await pilot.press("enter")
        await settle(app)
        answer = screen.answer
        assert isinstance(answer, Answer) and answer.citations
        assert {c.interview_id for c in answer.citations} <= tagged
