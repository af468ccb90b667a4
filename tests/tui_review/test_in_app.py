"""The review screens open inside the real app shell (tui.app.make_app)."""

from __future__ import annotations

import pytest

from assistant.workspace import Workspace
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.icp import IcpScreen
from tui.screens.messaging import MessagingScreen
from tui.screens.personas import PersonasScreen
from tui.screens.themes import ThemesScreen

pytestmark = pytest.mark.anyio


async def test_shell_switches_to_review_screens(review_ws: Workspace) -> None:
    app_module = pytest.importorskip("tui.app")
    app = app_module.make_app(review_ws, cursor_blink=False, autorun=False, pipeline=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for mode, screen in (
            ("themes", ThemesScreen),
            ("personas", PersonasScreen),
            ("icp", IcpScreen),
            ("messaging", MessagingScreen),
        ):
            app.action_goto(mode)
            await settle(pilot)
            assert isinstance(app.screen, screen), mode
