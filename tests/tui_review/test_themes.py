"""Themes screen: the table by kind, saturation, a theme's quotes by interview."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from assistant.workspace import Workspace
from tests.tui_review.review_app import ReviewTestApp
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.themes import ThemesScreen
from tui.widgets.claims import EvidenceRow
from tui.widgets.theme_quotes import ThemeQuotesScreen

pytestmark = pytest.mark.anyio


async def test_themes_saturation_and_quotes(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, ThemesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        assert [(t.kind, len(t.interviews)) for t in screen.data.themes] == [
            ("pain", 3),
            ("trigger", 2),
        ]
        curve = screen.data.curve
        assert len(curve) == 12 and curve[-1].total_themes == 2
        # northwind-cfo (Jan 14) is the first interview: it opens the pain theme
        assert (curve[0].interview_id, curve[0].new_themes) == ("northwind-cfo", 1)
        assert screen.query_one(DataTable).row_count == 2
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ThemeQuotesScreen)
        headings = [str(s.render()) for s in app.screen.query(".interview")]
        assert headings[0].startswith("northwind-cfo")
        row = app.screen.focused
        assert isinstance(row, EvidenceRow) and row.link.interview_id == "northwind-cfo"
        await pilot.press("j")
        await pilot.pause()
        assert app.opened[0].interview_id == "northwind-cfo"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ThemesScreen)


async def test_tag_filter_hides_themes_without_tagged_insights(review_ws: Workspace) -> None:
    from assistant.generate.theme_edits import members
    from assistant.tags import write_tags
    from tui.widgets.tag_filter import TagFilter

    app = ReviewTestApp(review_ws, ThemesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        pain, trigger = (t.item for t in screen.data.themes)
        tagged = next(i for i in members(pain) if i not in members(trigger))
        with review_ws.conn:
            write_tags(review_ws.conn, tagged, ["zebra"])

        await pilot.press("slash")
        await pilot.press(*"Zebra", "enter")  # tags compare without case
        await settle(pilot)
        assert [t.item.id for t in screen.data.themes] == [pain.id]
        assert screen.query_one(DataTable).row_count == 1
        legend = str(screen.query_one("#legend").render())
        assert "1 theme without it hidden" in legend

        await pilot.press("escape")  # clears the filter: both themes again
        await settle(pilot)
        assert [t.item.id for t in screen.data.themes] == [pain.id, trigger.id]
        assert screen.query_one(TagFilter).tag is None

        await pilot.press("slash")
        await pilot.press(*"nosuchtag", "enter")  # nothing carries it: said, nothing hidden
        await settle(pilot)
        assert len(screen.data.themes) == 2
        assert screen.query_one(TagFilter).tag is None
