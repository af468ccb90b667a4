"""Interview (land on the quote), Runs, Ask, navigation, palette, themes, demo mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static

from assistant.ask import DEMO_QUESTION
from assistant.extract import list_insights
from assistant.workspace import Workspace
from tests.support.tui import SIZE, AppFactory, settle
from tui.screens.ask import AskScreen
from tui.screens.interview import InterviewScreen
from tui.screens.runs import RunsScreen
from tui.widgets.turn import TurnView

pytestmark = pytest.mark.anyio


async def test_insight_lands_on_its_quote(extracted_ws: Workspace, app_for: AppFactory) -> None:
    iid = "northwind-cfo"
    insights = list_insights(extracted_ws, interview_id=iid)
    # the last verified insight: its quote sits far down the transcript
    target = max(
        (i for i in insights if i.evidence[0]["status"] == "verified"),
        key=lambda i: i.evidence[0]["turn"],
    )
    ev = target.evidence[0]
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        app.push_screen(InterviewScreen(extracted_ws, iid))
        await settle(app)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        options = screen.query_one("#insights", OptionList)
        options.highlighted = [i.id for i in insights].index(target.id)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.highlighted_turn == ev["turn"]
        view = screen.query_one(f"#turn-{ev['turn']}", TurnView)
        assert view.has_class("-highlight")
        assert view.span == (ev["start"], ev["end"])
        assert screen.query_one("#transcript").scroll_y > 0
        assert len(screen.query(".-highlight")) == 1


async def test_unverified_quote_is_marked(extracted_ws: Workspace, app_for: AppFactory) -> None:
    iid = "northwind-cfo"
    insights = list_insights(extracted_ws, interview_id=iid)
    bad = next(i for i in insights if i.evidence[0]["status"] == "unverified")
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        app.push_screen(InterviewScreen(extracted_ws, iid))
        await settle(app)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        screen.open_insight(bad.id)
        await pilot.pause()
        text = str(screen.query_one("#evidence", Static).render())
        assert "UNVERIFIED" in text
        assert screen.highlighted_turn == bad.evidence[0]["turn"]


async def test_set_interviewer(extracted_ws: Workspace, app_for: AppFactory) -> None:
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        app.push_screen(InterviewScreen(extracted_ws, "northwind-cfo"))
        await settle(app)
        screen = app.screen
        speakers = screen.detail.transcript.speakers()  # type: ignore[attr-defined]
        participant = next(label for label, role, _ in speakers if role == "participant")
        await pilot.press("w")
        await pilot.pause()
        picker = app.screen.query_one("#speakers", OptionList)
        picker.highlighted = [s[0] for s in speakers].index(participant)
        await pilot.press("enter")
        await settle(app)
        row = extracted_ws.conn.execute(
            "SELECT speaker_override FROM interviews WHERE id = 'northwind-cfo'"
        ).fetchone()
        assert json.loads(row[0])["roles"][participant] == "interviewer"


async def test_runs_shows_fixture_calls(extracted_ws: Workspace, app_for: AppFactory) -> None:
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("r")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, RunsScreen)
        assert len(screen.calls) == 12
        assert all(c["fixture"] and c["model"] == "authored-fixture" for c in screen.calls)
        totals = str(screen.query_one("#runs-totals").render())
        assert "12 calls" in totals and "12 fixture, 0 live" in totals
        assert "warnings" not in totals and not screen.query_one("#run-warnings").display


async def test_runs_counts_and_lists_a_runs_warnings(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    from assistant.llm.runlog import RunLog, RunWarning

    log = RunLog(extracted_ws.conn)
    (run_id,) = {c["run_id"] for c in log.calls()}
    log.add_warnings(
        run_id,
        [
            RunWarning("extract", 'dropped insights[4] "A finding" (quotes: got 0)', "acme-cfo"),
            RunWarning("themes", "the model gave no name", "theme:pain:x", incomplete=True),
        ],
    )
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("r")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, RunsScreen)
        assert "2 warnings" in str(screen.query_one("#runs-totals").render())
        table = screen.query_one("#calls", DataTable)
        assert str(table.get_row_at(0)[-1]).endswith("⚠ 2")  # the count per run
        listed = screen.query_one("#run-warnings")
        assert listed.display
        text = str(listed.render())
        assert f"2 warnings in run {run_id}" in text
        assert 'extract: acme-cfo: dropped insights[4] "A finding"' in text
        assert "themes: theme:pain:x: the model gave no name (incomplete" in text


async def test_ask_answers_with_verified_citations(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    from assistant.ask import Answer

    app = app_for(extracted_ws, demo=True, autorun=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("a")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, AskScreen)
        assert screen.query_one("#ask-box").value == DEMO_QUESTION  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app)
        answer = screen.answer
        assert isinstance(answer, Answer)
        assert answer.fixture and answer.model == "authored-fixture"
        assert answer.verified >= 3 and answer.unverified == 1
        listed = screen.query_one("#citations", OptionList)
        assert listed.option_count == len(answer.citations)
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert sum("UNVERIFIED" in line for line in shown) == 1


async def test_palette_theme_and_review_sections(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Go to Runs", "Library: run analysis", "Library: add files…"} <= titles
        assert {"Library: cancel job", "Toggle dark/light", "Help: keys"} <= titles
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        await pilot.press("i")
        await settle(app)
        assert type(app.screen).__name__ == "IcpScreen"
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_demo_mode_runs_the_pipeline(tmp_path: Path, app_for: AppFactory) -> None:
    """Demo mode: samples ingested and extracted in workers, replayed fixtures, said on screen."""
    from assistant.demo import prepare_demo_workspace
    from assistant.workspace import Workspace as Ws

    root = prepare_demo_workspace(tmp_path / "demo")
    ws = Ws(root)
    app = app_for(ws, demo=True, settings=None)
    async with app.run_test(size=SIZE):
        await settle(app)
        screen = app.screen
        assert "replayed recorded fixtures" in str(screen.query_one("#demo-note").render())
        assert len(screen.rows) == 12  # type: ignore[attr-defined]
        assert {r.status for r in screen.rows} == {"extracted"}  # type: ignore[attr-defined]
    ws.close()
