"""Messaging screen: the grid of every persona × role, a cell's draft, approve, copy and
export, and drafting an empty (off-diagonal) cell through the fake LLM server."""

from __future__ import annotations

import json

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from assistant import review
from assistant.generate.messaging import split_messaging_key
from assistant.workspace import Workspace
from tests.support.tui_review import PERSONA_KEY
from tests.tui_review.review_app import ReviewTestApp
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.messaging import MessagingScreen
from tui.widgets.item_modal import ItemModal

pytestmark = pytest.mark.anyio


def test_split_key() -> None:
    assert split_messaging_key("messaging:persona:champion:economic_buyer") == (
        "persona:champion",
        "economic_buyer",
    )
    assert split_messaging_key("messaging:persona-x:user") == ("persona-x", "user")


async def test_matrix_open_approve_copy_export(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, MessagingScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        # every role present in the workspace is a column, drafted or not
        assert [c.label.plain for c in table.columns.values()] == [
            "persona",
            "economic buyer",
            "champion",
            "technical buyer",
            "end user",
            "other",
        ]
        assert "n drafts" in str(table.get_cell_at(Coordinate(0, 5)))
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ItemModal)
        assert modal.item.key == f"messaging:{PERSONA_KEY}:economic_buyer"
        await pilot.press("v")  # assumptions remain: confirm
        await settle(pilot)
        await pilot.press("y")
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


async def test_an_off_diagonal_cell_is_drafted_after_its_estimate(
    generated_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The champion persona's messaging for the economic buyer: estimate, yes, one call."""
    from assistant.llm.fake_server import FakeLlmServer
    from assistant.settings import load_settings
    from tests.generate.helpers import generation_responder
    from tests.support.screens import build_app
    from tui.widgets.dialogs import ConfirmDialog

    key = "messaging:persona:champion:economic_buyer"
    assert key not in {i.key for i in review.list_items(generated_ws, "messaging")}
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-secret")
    with FakeLlmServer(responder=generation_responder(), model="authored-fixture") as server:
        settings = load_settings(
            {"llm": {"base_url": server.base_url, "server": "openai", "max_output_tokens": 16000}}
        )
        app = build_app(generated_ws)
        app._settings = settings
        async with app.run_test(size=SIZE) as pilot:
            app.action_goto("messaging")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MessagingScreen)
            rows = [p.key for p in screen.grid.personas]
            table = screen.query_one(DataTable)
            table.cursor_coordinate = Coordinate(
                rows.index("persona:champion"), 1 + screen.grid.roles.index("economic_buyer")
            )
            assert screen.selected() is None
            await pilot.press("n")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog)
            assert "total" in "\n".join(dialog.lines) and server.request_count == 0
            await pilot.press("y")
            await settle(pilot)
            assert server.request_count == 1
            sent = json.dumps(server.requests[0].body)
            assert "Roles to write for: economic_buyer" in sent
            assert screen.selected() is not None
    item = review.get_item(generated_ws, key)
    assert item.status == "draft"
    assert any(c.evidence for c in item.claims())


async def test_tag_filter_keeps_personas_and_cells_with_tagged_evidence(
    review_ws: Workspace,
) -> None:
    from assistant.selection import tag_marks
    from assistant.tags import write_tags

    app = ReviewTestApp(review_ws, MessagingScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MessagingScreen)
        every = list(screen.grid.personas)
        cells = list(screen.grid.cells.values())
        insight = next(
            e.insight_id
            for item in cells
            for c in item.claims()
            for e in c.evidence
            if e.insight_id
        )
        assert insight is not None
        with review_ws.conn:
            write_tags(review_ws.conn, insight, ["zebra"])
        marks = tag_marks(review_ws, "zebra")
        marked_cells = {k for k, item in screen.grid.cells.items() if marks.claims(item)}
        assert marked_cells
        rows = {p.key for p in marks.items(every)} | {persona for persona, _ in marked_cells}

        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"zebra", "enter")
        await settle(pilot)
        assert {p.key for p in screen.grid.personas} == rows
        table = screen.query_one(DataTable)
        assert table.row_count == len(rows)
        texts = [str(table.get_cell_at(Coordinate(r, c))) for r in range(table.row_count)
                 for c in range(1, len(screen.grid.roles) + 1)]  # fmt: skip
        hidden = [k for k in screen.grid.cells if k[0] in rows and k not in marked_cells]
        assert sum("(no evidence tagged zebra)" in t for t in texts) == len(hidden)

        await pilot.press("escape")
        await settle(pilot)
        assert [p.key for p in screen.grid.personas] == [p.key for p in every]
        assert screen.query_one(DataTable).row_count == len(every)
