"""Messaging screen: the matrix, a cell's draft, approve, copy and export."""

from __future__ import annotations

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from assistant import review
from assistant.workspace import Workspace
from tests.support.tui_review import PERSONA_KEY
from tests.tui_review.review_app import ReviewTestApp
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.messaging import MessagingScreen, split_key
from tui.widgets.item_modal import ItemModal

pytestmark = pytest.mark.anyio


def test_split_key() -> None:
    assert split_key("messaging:persona:champion:economic_buyer") == (
        "persona:champion",
        "economic_buyer",
    )
    assert split_key("messaging:persona-x:user") == ("persona-x", "user")


async def test_matrix_open_approve_copy_export(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, MessagingScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert [c.label.plain for c in table.columns.values()] == [
            "persona",
            "economic buyer",
            "champion",
        ]
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ItemModal)
        assert modal.item.key == f"messaging:{PERSONA_KEY}:economic_buyer"
        await pilot.press("v")
        await settle(pilot)
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign,assignment]
        await pilot.press("c")
        await pilot.press("o")
        await settle(pilot)
        assert copied and copied[0].startswith("# Controller champion — economic buyer")
        exported = review_ws.exports_dir / "messaging-persona-champion-economic-buyer.md"
        assert exported.read_text(encoding="utf-8") == copied[0]
        assert "Status: approved" in copied[0]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MessagingScreen)
        assert "app" in str(table.get_cell_at(Coordinate(0, 1)))
    item = review.get_item(review_ws, f"messaging:{PERSONA_KEY}:economic_buyer")
    assert item.status == "approved"
