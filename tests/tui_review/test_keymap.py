"""The key map: on every screen no key means two things, and docs/tui.md lists every key.

Each screen is opened in the real app (tests/support/screens.py); its keys
are the screen's, those of the project's widgets on it, and the app's (only
the app's priority keys reach inside a modal screen, as in Textual). Keys that
act on the focused widget (Enter, arrows, Tab) may differ per widget.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.screen import Screen

from assistant.workspace import Workspace
from tests.support.screens import OPENERS, build_app, screen_classes
from tui.keys import FOCUS_KEYS, app_bindings, screen_bindings, shown_key

pytestmark = pytest.mark.anyio

DOCS = Path(__file__).resolve().parents[2] / "docs" / "tui.md"


def effective_bindings(screen: Screen[Any]) -> list[tuple[str, Binding]]:
    """(owner, binding) of every key that can fire on ``screen``."""
    app = screen.app
    out = screen_bindings(screen)
    for b in app_bindings(app):
        if not screen.is_modal or b.priority:
            out.append((type(app).__name__, b))
    return out


def clashes(bindings: list[tuple[str, Binding]]) -> list[str]:
    """Each key bound to more than one action, with who binds it.

    An action is known by its description: a screen key that forwards to the
    same action of a widget (Personas' ``v`` → the editor's Approve) is one action.
    """
    actions: dict[str, dict[str, str]] = {}
    for owner, b in bindings:
        if b.key in FOCUS_KEYS:
            continue
        action = b.description or b.action.removeprefix("app.")
        actions.setdefault(b.key, {}).setdefault(action, owner)
    return [
        f"{shown_key(key)}: " + ", ".join(f"{owner}.{a}" for a, owner in acts.items())
        for key, acts in actions.items()
        if len(acts) > 1
    ]


def test_every_screen_has_an_opener() -> None:
    missing = screen_classes() - set(OPENERS)
    assert not missing, f"add these screens to tests/support/screens.py OPENERS: {missing}"


def doc_keys(section: str) -> set[str]:
    """The keys docs/tui.md's key-map table lists for ``section`` (a Screen class name)."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("## Key map", 1)[1].split("\n## ", 1)[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = set(re.findall(r"`([^`]+)`", cells[0])) | {cells[0].casefold()}
        if len(cells) >= 2 and (section in names or section.casefold() in names):
            return set(re.findall(r"`([^`]+)`", cells[1]))
    return set()


@pytest.mark.parametrize("name", sorted(OPENERS))
async def test_no_key_means_two_things(name: str, review_ws: Workspace) -> None:
    app = build_app(review_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await OPENERS[name](app, review_ws, pilot)
        screen = app.screen
        assert type(screen).__name__ == name
        bindings = effective_bindings(screen)
        assert not clashes(bindings), clashes(bindings)
        documented = doc_keys(name)
        own = {shown_key(b.key) for _, b in screen_bindings(screen) if b.description}
        assert own <= documented, (
            f"docs/tui.md, ## Key map: document {sorted(own - documented)} for {name}"
        )


async def test_app_keys_are_documented(review_ws: Workspace) -> None:
    app = build_app(review_ws)
    async with app.run_test(size=(120, 40)):
        keys = {shown_key(b.key) for b in app_bindings(app)}
        assert keys <= doc_keys("everywhere"), sorted(keys - doc_keys("everywhere"))


def test_a_clash_is_found() -> None:
    """The checker itself: a screen key shadowing an app key is reported."""
    found = clashes(
        [
            ("PersonaApp", Binding("a", "goto('ask')", "Ask")),
            ("X", Binding("a", "approve", "Approve")),
        ]
    )
    assert found == ["a: PersonaApp.Ask, X.Approve"]
    assert not clashes(
        [("X", Binding("enter", "open", "Open")), ("Y", Binding("enter", "jump", "Jump"))]
    )
