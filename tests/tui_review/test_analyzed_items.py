"""The review screens over items a real `analyze` produced (sample corpus, replay).

The other review-screen tests seed hand-written items; these open the app on
the workspace that `analyze` generated through the recorded fixtures, so every
field and claim the screens render is one the generators really write.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from assistant import review
from assistant.workspace import Workspace
from tui.app import make_app
from tui.screens.interview import InterviewScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)
MODES = (("themes", "theme"), ("personas", "persona"), ("icp", "icp"), ("messaging", "messaging"))


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for workers and the messages they post."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _record_errors(app: Any) -> list[str]:
    """Collect the error notifications the app shows (a failed load is one)."""
    errors: list[str] = []
    notify = app.notify

    def recording(message: str, **kw: Any) -> None:
        if kw.get("severity") == "error":
            errors.append(message)
        notify(message, **kw)

    app.notify = recording
    return errors


def _claim_rows(screen: Any, claims: dict[str, str], where: str) -> int:
    """Check every claim row shown is a stored claim with its text; return how many."""
    rows = list(screen.query("ClaimRow"))
    for row in rows:
        claim = row.claim
        assert claims.get(claim.id) == claim.text, (where, claim.id)
        assert claim.text[:30] in str(row.render()), (where, claim.id)
    return len(rows)


async def test_every_review_screen_shows_the_generated_items(generated_ws: Workspace) -> None:
    items = {kind: review.list_items(generated_ws, kind) for _, kind in MODES}
    assert all(items.values()), {k: len(v) for k, v in items.items()}
    claims = {c.id: c.text for found in items.values() for item in found for c in item.claims()}
    app = make_app(generated_ws, cursor_blink=False, autorun=False, pipeline=False)
    errors = _record_errors(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        app.action_goto("themes")
        await settle(pilot)
        table = app.screen.query_one("#themes", DataTable)
        assert {k.value for k in table.rows} == {t.id for t in items["theme"]}
        await pilot.press("enter")  # the highlighted theme's quotes
        await settle(pilot)
        assert type(app.screen).__name__ == "ThemeQuotesScreen"
        await pilot.press("escape")
        await settle(pilot)

        app.action_goto("personas")
        await settle(pilot)
        cards = list(app.screen.query("PersonaCard"))
        assert {c.item.id for c in cards} == {p.id for p in items["persona"]}  # type: ignore[attr-defined]
        assert _claim_rows(app.screen, claims, "personas") > 0

        app.action_goto("icp")
        await settle(pilot)
        assert _claim_rows(app.screen, claims, "icp") > 0
        stats = app.screen.query_one("#icp-stats-text", Static)
        assert "computing" not in str(stats.render())

        app.action_goto("messaging")
        await settle(pilot)
        matrix = app.screen.query_one("#matrix", DataTable)
        shown = list(app.screen.grid.cells.values())  # type: ignore[attr-defined]
        assert {m.id for m in shown} == {m.id for m in items["messaging"]}
        assert matrix.row_count == len(app.screen.grid.personas) > 0  # type: ignore[attr-defined]
    assert errors == []


async def test_generated_evidence_jumps_to_its_quote(generated_ws: Workspace) -> None:
    app = make_app(generated_ws, cursor_blink=False, autorun=False, pipeline=False)
    errors = _record_errors(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_goto("personas")
        await settle(pilot)
        await pilot.press("enter")  # open the first persona: focus its first claim
        await settle(pilot)
        row = app.screen.focused
        while row is not None and row.claim.status != "supported":  # type: ignore[attr-defined]
            await pilot.press("down")
            row = app.screen.focused
        assert row is not None, "no supported claim in the generated persona"
        await pilot.press("enter")  # expand its evidence
        await pilot.press("down")
        evidence = app.screen.focused
        link = evidence.link  # type: ignore[union-attr]
        assert link.quote and link.turn is not None
        assert link.quote in str(evidence.render())  # type: ignore[union-attr]
        await pilot.press("j")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert (screen.interview_id, screen.highlighted_turn) == (link.interview_id, link.turn)
    assert errors == []
