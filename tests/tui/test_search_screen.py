"""The Search screen: `persona search`'s hybrid search with its filters; a hit opens its
transcript at the hit."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, OptionList

from assistant.search import FilteredSearch
from assistant.workspace import Workspace
from tests.support.tui import SIZE, AppFactory, settle
from tui.screens.interview import InterviewScreen
from tui.screens.search import SearchScreen
from tui.widgets.turn import TurnView

pytestmark = pytest.mark.anyio


async def test_filtered_search_opens_the_hit_in_its_transcript(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("f")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#search-company", Input).value = "Northwind Logistics"
        screen.query_one("#search-role", Input).value = "participant"
        await pilot.press(*"month-end close", "enter")
        await settle(app)
        found = screen.found
        assert isinstance(found, FilteredSearch) and found.hits
        assert {h.interview_id for h in found.hits} <= {"northwind-cfo", "northwind-ap-manager"}
        assert {h.role for h in found.hits} == {"participant"}
        status = str(screen.query_one("#search-status", Label).render())
        assert "interviews that match company=Northwind Logistics" in status
        hits = screen.query_one("#search-hits", OptionList)
        assert hits.has_focus and hits.option_count == len(found.hits)
        first = found.hits[0]
        await pilot.press("enter")
        await settle(app)
        view = app.screen
        assert isinstance(view, InterviewScreen) and view.interview_id == first.interview_id
        assert view.highlighted_turn == first.turn
        assert view.query_one(f"#turn-{first.turn}", TurnView).has_class("-highlight")
        await pilot.press("escape")
        await settle(app)
        assert app.screen is screen


async def test_a_filter_that_matches_nothing_says_why(
    extracted_ws: Workspace, app_for: AppFactory
) -> None:
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("f")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#search-company", Input).value = "Acme Nowhere"
        await pilot.press(*"approvals", "enter")
        await settle(app)
        status = str(screen.query_one("#search-status", Label).render())
        assert "no account 'Acme Nowhere'" in status
