"""Focus is always visible: a pane whose border the app sets changes colour when focused."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.containers import VerticalScroll

from assistant.workspace import Workspace
from tests.tui_review.review_app import ReviewTestApp
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.icp import IcpScreen

pytestmark = pytest.mark.anyio

APP_CSS = Path(__file__).resolve().parents[2] / "tui" / "persona.tcss"


class StyledApp(ReviewTestApp):
    """The review test app with the real app's stylesheet."""

    CSS_PATH = APP_CSS


async def test_focused_statistics_pane_shows_the_accent(review_ws: Workspace) -> None:
    app = StyledApp(review_ws, IcpScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#icp-stats", VerticalScroll)
        blurred = pane.styles.border_left
        pane.focus()
        await settle(pilot)
        assert app.screen.focused is pane
        kind, colour = pane.styles.border_left
        assert kind == blurred[0]  # same border kind: the layout does not move
        assert colour != blurred[1]
        assert colour == Color.parse(app.current_theme.to_color_system().generate()["accent"])
