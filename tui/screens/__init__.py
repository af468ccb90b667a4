"""One module per screen. Library, Interview, Runs, Ask and Help live here with
the review screens (Themes, Personas, ICP, Messaging) of their own modules."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Input


def apply_cursor_blink(screen: Screen[Any]) -> None:
    """Follow the app's cursor-blink setting (off in snapshot tests)."""
    blink = bool(getattr(screen.app, "cursor_blink", True))
    for widget in screen.query(Input):
        widget.cursor_blink = blink
