"""The key map as data: which keys a screen (with its widgets) and the app bind.

The Help screen lists these; ``tests/tui/test_keymap.py`` checks that no key
means two things on one screen. The table in docs/tui.md documents them.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

KeyRow = tuple[str, str]

SHOWN = {
    "question_mark": "?",
    "slash": "/",
    "ctrl+q": "ctrl+q",
    "ctrl+p": "ctrl+p",
    "number_sign": "#",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}

FOCUS_KEYS = frozenset({"enter", "up", "down", "left", "right", "tab", "shift+tab"})
"""Keys that act on whatever is focused (open, move): one per focused widget, not per screen."""


def shown_key(key: str) -> str:
    """How a key is written in Help and the docs (``question_mark`` → ``?``)."""
    return SHOWN.get(key, key)


def own_bindings(node: DOMNode | type[DOMNode]) -> list[Binding]:
    """The bindings the project's classes declare for ``node`` (its class and bases).

    Textual's own widgets (a DataTable's arrows, an Input's editing keys) are
    left out; the app's include Textual's quit and palette keys it overrides.
    """
    cls = node if isinstance(node, type) else type(node)
    out: list[Binding] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("tui."):
            continue
        for binding in Binding.make_bindings(getattr(klass, "__dict__", {}).get("BINDINGS", [])):
            if binding.key not in seen:
                seen.add(binding.key)
                out.append(binding)
    return out


def screen_bindings(screen: Screen[Any]) -> list[tuple[str, Binding]]:
    """(owner class name, binding) for the screen and each of the project's widgets on it."""
    out = [(type(screen).__name__, b) for b in own_bindings(screen)]
    classes: set[type[DOMNode]] = set()
    for widget in screen.query("*"):
        cls = type(widget)
        if cls.__module__.startswith("tui.") and cls not in classes:
            classes.add(cls)
            out += [(cls.__name__, b) for b in own_bindings(cls)]
    return out


def app_bindings(app: App[Any]) -> list[Binding]:
    """The app-wide keys, the command palette included."""
    palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
    return [*own_bindings(app), palette]


def key_rows(node: Screen[Any] | App[Any]) -> list[KeyRow]:
    """(keys, description) rows for Help, in declaration order; keys of one action share a row."""
    bindings = (
        app_bindings(node) if isinstance(node, App) else [b for _, b in screen_bindings(node)]
    )
    rows: dict[str, list[str]] = {}
    seen: set[str] = set()
    for b in bindings:
        if b.key in seen or not (b.description or b.key in FOCUS_KEYS):
            continue
        seen.add(b.key)
        rows.setdefault(b.description or b.action, []).append(shown_key(b.key))
    return [(" ".join(keys), description) for description, keys in rows.items()]
