"""SVG snapshots of the review screens (cursor blink off: no text input is shown).

Update after an intended change:
``pytest tests/tui_review/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from assistant import review
from assistant.workspace import Workspace
from tests.support.tui_review import PERSONA_KEY, PROVENANCE, persona_fields
from tests.tui_review.review_app import ReviewTestApp
from tests.tui_review.test_personas import SIZE, settle
from tui.screens.icp import IcpScreen
from tui.screens.messaging import MessagingScreen
from tui.screens.personas import PersonasScreen
from tui.screens.themes import ThemesScreen

Keys = tuple[str, ...]


def _snap(
    snap_compare: Any,
    ws: Workspace,
    screen: Callable[[Workspace], Screen[None]],
    keys: Keys = (),
    size: tuple[int, int] = SIZE,
) -> bool:
    app = ReviewTestApp(ws, screen)

    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    run_before: Callable[[Pilot[None]], Awaitable[None]] = before
    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


def test_themes(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, ThemesScreen)


def test_theme_quotes(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, ThemesScreen, ("enter",))


def test_personas_evidence(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, PersonasScreen, ("enter", "enter"))


def test_personas_80x24(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, PersonasScreen, ("enter", "enter"), size=(80, 24))


def test_personas_diff(snap_compare: Any, review_ws: Workspace) -> None:
    review.set_status(review_ws, PERSONA_KEY, "approved")
    fields = persona_fields(review_ws)
    fields["pains"] = [review.ClaimDraft(text="Chases approvers across email and chat.")]
    review.upsert_generated(
        review_ws, "persona", PERSONA_KEY, "Controller champion", fields, PROVENANCE
    )
    assert _snap(snap_compare, review_ws, PersonasScreen, ("d",))


def test_icp(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, IcpScreen)


def test_messaging(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, MessagingScreen)


def test_messaging_cell(snap_compare: Any, review_ws: Workspace) -> None:
    assert _snap(snap_compare, review_ws, MessagingScreen, ("enter",))
