"""The review screens open inside the real app shell (tui.app.make_app)."""

from __future__ import annotations

import pytest

from assistant import review
from assistant.workspace import Workspace
from tests.support.tui_review import ICP_KEY
from tests.tui_review.test_personas import SIZE, settle
from tui.app import make_app
from tui.screens.icp import IcpScreen
from tui.screens.interview import InterviewScreen
from tui.screens.messaging import MessagingScreen
from tui.screens.personas import PersonasScreen
from tui.screens.themes import ThemesScreen
from tui.widgets.claims import EvidenceRow
from tui.widgets.dialogs import ConfirmDialog

pytestmark = pytest.mark.anyio


async def test_shell_switches_to_review_screens(review_ws: Workspace) -> None:
    app = make_app(review_ws, cursor_blink=False, autorun=False, pipeline=False)
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


async def test_claim_evidence_jumps_to_the_quote_in_the_transcript(review_ws: Workspace) -> None:
    app = make_app(review_ws, cursor_blink=False, autorun=False, pipeline=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_goto("personas")
        await settle(pilot)
        await pilot.press("enter")  # open the persona card: focus its first claim
        await settle(pilot)
        await pilot.press("enter")  # expand the claim's evidence
        await pilot.press("down")
        evidence = app.screen.focused
        assert isinstance(evidence, EvidenceRow) and evidence.link.turn is not None
        await pilot.press("j")  # jump to the transcript
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.interview_id == evidence.link.interview_id
        assert screen.highlighted_turn == evidence.link.turn


async def test_palette_has_the_review_actions_and_they_work(review_ws: Workspace) -> None:
    app = make_app(review_ws, cursor_blink=False, autorun=False, pipeline=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for mode, prefix in (
            ("themes", "Themes:"),
            ("personas", "Personas:"),
            ("icp", "ICP:"),
            ("messaging", "Messaging:"),
        ):
            app.action_goto(mode)
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert any(t.startswith(prefix) for t in titles), (mode, titles)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Messaging: open cell" in commands
        app.action_goto("icp")
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        result = commands["ICP: approve"].callback()
        if result is not None:
            await result
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # assumptions remain: it asks first
        await pilot.press("y")
        await settle(pilot)
        assert review.get_item(review_ws, ICP_KEY).status == "approved"
