"""ICP screen: the canvas groups, caveats, edit and approve."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from assistant import review
from assistant.workspace import Workspace
from tests.support.tui_review import ICP_KEY
from tests.tui_review.review_app import ReviewTestApp
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.icp import IcpScreen
from tui.widgets.claims import ClaimRow

pytestmark = pytest.mark.anyio


async def test_canvas_caveats_edit_approve(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, IcpScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [str(s.render()) for s in app.screen.query(".field-title")]
        assert titles == [
            "Summary",
            "Firmographics",
            "Challenges and goals",
            "Tech stack",
            "Behaviours",
            "Disqualifiers",
            "Neighbourhoods",
        ]
        stats = str(app.screen.query_one("#icp-stats-text", Static).render())
        assert "Best accounts" in stats and "Cedar Ridge" in stats
        assert "Caveats" in stats and "warning" in stats
        focused = app.screen.focused
        assert isinstance(focused, ClaimRow) and focused.claim.field == "firmographics"
        assert "1 interview, 1 account" in str(focused.render())
        await pilot.press("e")
        await pilot.pause()
        dialog_input = app.screen.query_one(Input)
        dialog_input.value += " (multi-entity)"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("v")  # assumptions remain: confirm
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    item = review.get_item(review_ws, ICP_KEY)
    assert item.status == "approved"
    assert item.fields["firmographics"][0].text.endswith("(multi-entity)")
