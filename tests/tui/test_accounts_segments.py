"""Accounts, Segments, the Interview screen's extraction panel and the Library's metadata filter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assistant.workspace import Workspace
from tests.studies import studies_workspace
from tests.support.tui import SIZE, AppFactory, settle
from tui.screens.accounts import AccountsScreen
from tui.screens.interview import InterviewScreen
from tui.screens.library import FILTER_DEBOUNCE_S, LibraryScreen
from tui.screens.segments import SegmentsScreen

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def studies_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with studies_workspace(tmp_path_factory.mktemp("tui-studies"), themes=True) as (ws, _):
        root = ws.root
    yield root


@pytest.fixture
def studies(studies_root: Path) -> Iterator[Workspace]:
    ws = Workspace(studies_root)
    yield ws
    ws.close()


async def test_accounts_screen_shows_the_committee(studies: Workspace, app_for: AppFactory) -> None:
    app = app_for(studies)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("b")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        table = screen.query_one("#accounts", DataTable)
        assert table.row_count == 4
        assert "4 accounts, 5 interviews" in str(screen.query_one("#accounts-total").render())
        screen.show("Acme Dental Group")
        text = str(screen.query_one("#committee", Static).render())
        assert "economic buyer: Helen, CFO" in text
        assert "as described by a champion (acme-manager)" in text
        assert "champion: Nora Diaz  interviewed" in text


async def test_segments_screen_heatmap_and_comparison(
    studies: Workspace, app_for: AppFactory
) -> None:
    app = app_for(studies)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("s")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, SegmentsScreen)
        table = screen.query_one("#segment-table", DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[0]) == "Segment 1: dental clinics"
        heat = screen.query_one("#heatmap", DataTable)
        assert len(heat.columns) == 3 and heat.row_count == 4  # four themes, two segments
        cells = [[str(c).strip() for c in heat.get_row_at(r)[1:]] for r in range(heat.row_count)]
        assert all(sorted(row) == ["0%", "100%"] for row in cells)  # no theme shared


async def test_interview_screen_shows_summary_facts_and_buying_process(
    studies: Workspace, app_for: AppFactory
) -> None:
    app = app_for(studies)
    async with app.run_test(size=SIZE):
        await settle(app)
        app.push_screen(InterviewScreen(studies, "acme-manager"))
        await settle(app)
        text = str(app.screen.query_one("#extraction", Static).render())
        assert "A practice manager describes a claims backlog" in text
        assert "Company facts (1)" in text and "[tech_stack] tool: Dentrix" in text
        for heading in ("Trigger:", "Evaluation criteria:", "Stakeholders:", "Timeline:"):
            assert heading in text
        assert "✗ unverified" in text


async def test_library_filter_matches_metadata(studies: Workspace, app_for: AppFactory) -> None:
    app = app_for(studies)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("slash", *"samsara")  # a tool in the tech stack, in no column
        await pilot.pause(FILTER_DEBOUNCE_S + 0.2)
        assert [r.id for r in screen.shown] == ["globex-dispatch", "initech-haulage"]
        await pilot.press("escape", "slash", *"study-a clinics")  # a tag and the industry
        await pilot.pause(FILTER_DEBOUNCE_S + 0.2)
        assert [r.id for r in screen.shown] == ["acme-manager", "bright-smiles"]
        acme = next(r for r in screen.rows if r.id == "acme-billing")
        assert acme.company == "Acme Dental Group"  # the stated name, one account identity
