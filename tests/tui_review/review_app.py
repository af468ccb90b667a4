"""A test-only app that opens one review screen and records OpenTranscript messages."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from assistant.workspace import Workspace
from tui.messages import OpenTranscript


class ReviewTestApp(App[None]):
    """Push ``screen(ws)`` on mount."""

    def __init__(self, ws: Workspace, screen: Callable[[Workspace], Screen[None]]) -> None:
        super().__init__()
        self.ws = ws
        self.make_screen = screen
        self.opened: list[OpenTranscript] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(self.ws))

    def on_open_transcript(self, message: OpenTranscript) -> None:
        self.opened.append(message)
