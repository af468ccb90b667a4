"""Find in a transcript: a box that steps through the matches of a phrase (Enter: next)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import Input

from assistant.errors import UsageError
from assistant.models import Transcript
from assistant.search import TextMatch, find_in_transcript


@dataclass
class Found(Message):
    """The box moved to match ``number`` of ``total`` (``match`` None: nothing found)."""

    match: TextMatch | None
    number: int
    total: int
    phrase: str


class FindBox(Input):
    """Type a phrase, Enter goes to the next match (wrapping); hidden until opened."""

    DEFAULT_CSS = """
    FindBox { display: none; }
    FindBox.-open { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(
            placeholder="Find in the transcript: Enter goes to the next match, Esc closes",
            id="find",
        )
        self.transcript: Transcript | None = None
        self.matches: list[TextMatch] = []
        self.searched = ""
        self.index = -1

    def open(self) -> None:
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        phrase = event.value
        if self.transcript is None:
            return
        if phrase != self.searched:
            try:
                self.matches = find_in_transcript(self.transcript, phrase)
            except UsageError as exc:
                self.notify(str(exc), severity="warning")
                return
            self.searched, self.index = phrase, -1
        if not self.matches:
            self.post_message(Found(None, 0, 0, phrase))
            return
        self.index = (self.index + 1) % len(self.matches)
        self.post_message(
            Found(self.matches[self.index], self.index + 1, len(self.matches), phrase)
        )
