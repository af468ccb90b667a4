"""The footer of every screen: Help and Quit first, so they survive a narrow terminal.

Textual's footer lists the focused widget's keys, then the screen's, then the
app's, and cuts what does not fit: at 80 columns Help and Quit fell off. This
footer shows ``? Help`` and ``^q Quit`` first, on every screen, modals
included (modal screens add :data:`MODAL_KEYS` so ``?`` works there too).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED = (("question_mark", "?", "Help", "help"), ("ctrl+q", "^q", "Quit", "quit"))
"""(key, shown key, description, app action) always shown first."""

MODAL_KEYS = [Binding("question_mark", "app.help", "Help")]
"""Bindings a modal screen adds: app bindings do not reach inside a modal."""


def _action(action: str) -> str:
    return action.removeprefix("app.")


class AppFooter(Footer):
    """A footer that always starts with Help and Quit."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        widgets = list(super().compose())
        pinned_actions = {action for *_, action in PINNED}
        rest = [
            w
            for w in widgets
            if not (isinstance(w, FooterKey) and _action(w.action) in pinned_actions)
        ]
        for key, shown, description, action in PINNED:
            yield FooterKey(key, shown, description, f"app.{action}", classes="-pinned").data_bind(
                compact=Footer.compact
            )
        yield from rest
