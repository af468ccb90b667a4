"""SVG snapshots of the main screens at 120×40 (cursor blink off).

Update after an intended change: ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from assistant.workspace import Workspace
from tests.support.tui import SIZE, AppFactory, settle
from tui.screens.interview import InterviewScreen
from tui.screens.library import FILTER_DEBOUNCE_S


def test_library(snap_compare: Any, extracted_ws: Workspace, app_for: AppFactory) -> None:
    app = app_for(extracted_ws)

    async def before(pilot: Pilot[None]) -> None:
        await settle(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_library_filtered_80x24(
    snap_compare: Any, extracted_ws: Workspace, app_for: AppFactory
) -> None:
    app = app_for(extracted_ws)

    async def before(pilot: Pilot[None]) -> None:
        await settle(app)
        await pilot.press("slash", *"cfo")
        await pilot.pause(FILTER_DEBOUNCE_S + 0.2)  # the filter runs once typing pauses
        await settle(app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_interview_on_a_quote(
    snap_compare: Any, extracted_ws: Workspace, app_for: AppFactory
) -> None:
    app = app_for(extracted_ws)

    async def before(pilot: Pilot[None]) -> None:
        await settle(app)
        app.push_screen(InterviewScreen(extracted_ws, "northwind-cfo"))
        await settle(app)
        await pilot.press("down", "down", "enter")
        await settle(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_help(snap_compare: Any, extracted_ws: Workspace, app_for: AppFactory) -> None:
    app = app_for(extracted_ws)

    async def before(pilot: Pilot[None]) -> None:
        await settle(app)
        await pilot.press("question_mark")
        await settle(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_ask_demo_answer(snap_compare: Any, extracted_ws: Workspace, app_for: AppFactory) -> None:
    app = app_for(extracted_ws, demo=True, autorun=False)

    async def before(pilot: Pilot[None]) -> None:
        await settle(app)
        await pilot.press("a")
        await settle(app)
        await pilot.press("enter")
        await settle(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)
