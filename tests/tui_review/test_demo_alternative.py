"""The demo's recorded alternative answer: regenerating a persona in the demo shows a diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import review
from assistant.workspace import Workspace
from tests.extract.helpers import CASSETTES
from tests.tui_review.test_personas import SIZE, settle

pytestmark = pytest.mark.anyio


def _keys(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [i["request"]["headers"]["x-persona-fixture-key"][0] for i in data["interactions"]]


def test_alternative_cassette_answers_the_same_requests() -> None:
    """Re-recording the personas without the alternative breaks the demo's diff: caught here
    (run ``python -m tests.generate.record_alternative`` after ``record_authored``)."""
    main = _keys(CASSETTES / "draft_personas.json")
    alternative = _keys(CASSETTES / "alternative" / "draft_personas.json")
    assert sorted(alternative) == sorted(main)


async def test_demo_regeneration_shows_the_recorded_alternative(
    generated_ws: Workspace,
) -> None:
    """The demo ships one alternative answer: regenerating an approved persona shows a diff."""
    from tests.support.corpus import replay_settings
    from tests.support.store import HashEmbedder
    from tui.app import make_app
    from tui.screens.personas import PersonasScreen
    from tui.widgets.dialogs import ConfirmDialog, DiffScreen

    key = "persona:champion"
    review.set_status(generated_ws, key, "approved")
    app = make_app(
        generated_ws,
        demo=True,
        autorun=False,
        settings=replay_settings(),
        embedder=HashEmbedder(),
        cursor_blink=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        app.action_goto("personas")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PersonasScreen)
        cards = screen.query_one("#persona-cards")
        cards.index = [i.key for i in screen.items].index(key)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # the estimate, then yes
        await pilot.press("y")
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen), (
            [n.message for n in app._notifications],
            screen.editor.item and screen.editor.item.key,
            review.get_item(generated_ws, key).pending,
        )
        shown = " ".join(str(s.render()) for s in diff.query("Static"))
        assert "Know which invoices are stuck and with whom" in shown  # the added goal
        await pilot.press("a")
        await settle(pilot)
    item = review.get_item(generated_ws, key)
    texts = [c.text for c in item.claims()]
    assert "Know which invoices are stuck and with whom, without chasing by email" in texts
    assert not any(t.startswith("Wants to be seen internally") for t in texts)
