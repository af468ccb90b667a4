"""Every screen at 80×24: an SVG snapshot each, and checks that keep it usable.

The footer of every screen that has one starts with Help and Quit, both fully
on screen; the Library keeps its key columns; Help fits without scrolling.
Update the snapshots after an intended change:
``pytest tests/tui_review/test_80x24.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from textual.widgets._footer import FooterKey

from assistant.workspace import Workspace
from tests.support.screens import OPENERS, build_app
from tests.support.tui import settle
from tui.app import PersonaApp
from tui.widgets.footer import AppFooter

SIZE = (80, 24)

LIBRARY_KEY_COLUMNS = {"title", "company", "status", "dmu_role"}
NO_HELP = {
    *("HelpScreen", "SpeakerPicker", "NamePicker", "EditDialog", "ConfirmDialog"),
    *("ChoiceDialog", "HighlightDialog", "LinkDialog", "PickManyDialog"),
}
"""Small dialogs that answer one question (Esc closes them); Help itself."""


def steady_run_log(ws: Workspace) -> None:
    """One run id, latency and time, and tokens by call id, so the Runs snapshot is stable
    (parallel extraction logs its calls in any order)."""
    ws.conn.execute(
        "INSERT INTO runs (id, label, started_at, status) "
        "VALUES ('run-0001', 'extract', '2026-01-05T09:00:00', 'ok')"
    )
    ws.conn.execute(
        "UPDATE llm_calls SET run_id = 'run-0001', latency_ms = 1250, "
        "created_at = '2026-01-05T09:00:00', input_tokens = 5000 + 7 * id, "
        "output_tokens = 3000 + 5 * id"
    )
    ws.conn.commit()


def check_usable(app: PersonaApp, name: str) -> None:
    """What makes a screen usable at 80×24 (raises AssertionError otherwise)."""
    screen = app.screen
    width = app.size.width
    footers = list(screen.query(AppFooter))
    if footers:
        pinned = [k for k in footers[0].query(FooterKey) if k.has_class("-pinned")]
        assert [k.description for k in pinned] == ["Help", "Quit"], name
        for key in pinned:
            assert key.region.width > 0 and key.region.right <= width, (name, key.region)
    if name == "LibraryScreen":
        table = screen.query_one("#interviews", DataTable)
        shown = {str(k.value) for k in table.columns}
        assert shown >= LIBRARY_KEY_COLUMNS, shown
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= width
    if name == "HelpScreen":
        help_box = screen.query_one("#help", VerticalScroll)
        assert help_box.max_scroll_y == 0, "Help scrolls at 80×24"


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_screen_at_80x24(snap_compare: Any, review_ws: Workspace, name: str) -> None:
    if name == "RunsScreen":
        steady_run_log(review_ws)
    app = build_app(review_ws)

    async def before(pilot: Pilot[None]) -> None:
        await OPENERS[name](app, review_ws, pilot)
        await settle(app)
        assert type(app.screen).__name__ == name
        check_usable(app, name)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(OPENERS))
async def test_help_fits_80x24_on_every_screen(review_ws: Workspace, name: str) -> None:
    """? on any screen that takes it: the screen's keys and the app's, without scrolling."""
    from tui.screens.help import HelpScreen

    app = build_app(review_ws)
    async with app.run_test(size=SIZE) as pilot:
        await OPENERS[name](app, review_ws, pilot)
        if isinstance(app.screen.focused, Input):
            app.screen.set_focus(None)  # ? would type into the box
        await pilot.press("question_mark")
        await settle(app)
        if not isinstance(app.screen, HelpScreen):
            assert name in NO_HELP, f"? does not open Help on {name}"
            return
        help_box = app.screen.query_one("#help", VerticalScroll)
        assert help_box.max_scroll_y == 0, f"Help scrolls at 80×24 on {name}"
