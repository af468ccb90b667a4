"""The highlight dialog: mark a passage of one turn and describe the insight it shows.

The turn's text is a read-only text area: move with the arrows and mark the
passage with ``shift`` + arrows (nothing marked: the whole turn). Then the
kind, a statement and tags (comma-separated). ``ctrl+s`` saves, ``escape``
cancels. The dialog only collects the answer; the Interview screen passes it
to :func:`assistant.highlights.add_highlight`, which checks everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets.text_area import Selection

from assistant.models import Turn
from assistant.schemas import InsightKind


def _index(text: str, location: tuple[int, int]) -> int:
    """The character offset of a (row, column) location in ``text``."""
    row, col = location
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:row]) + col


def _location(text: str, index: int) -> tuple[int, int]:
    """The (row, column) location of a character offset in ``text``."""
    row = text.count("\n", 0, index)
    return row, index - (text.rfind("\n", 0, index) + 1)


@dataclass
class HighlightRequest:
    """What the user marked: offsets inside the turn's text, kind, statement, tags."""

    turn: int
    start: int | None
    end: int | None
    kind: str
    statement: str
    tags: list[str] = field(default_factory=list)


class HighlightDialog(ModalScreen[HighlightRequest | None]):
    """Mark a passage of ``turn`` and make it an insight added by you."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save insight"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    HighlightDialog { align: center middle; }
    HighlightDialog > Vertical {
        width: 95%; max-width: 110; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HighlightDialog TextArea { height: 8; }
    HighlightDialog .hint { color: $text-muted; }
    """

    def __init__(self, turn: Turn, span: tuple[int, int] | None = None) -> None:
        """``span``: offsets inside the turn's text to mark at first (a quote landed on)."""
        super().__init__()
        self.turn = turn
        self.span = span

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Highlight in turn {self.turn.index} ({self.turn.speaker})")
            yield TextArea(self.turn.text, read_only=True, id="passage")
            yield Static(
                "shift+arrows mark the passage (none: the whole turn) · tab to the fields",
                classes="hint",
            )
            yield Select(
                [(k.value.replace("_", " "), k.value) for k in InsightKind],
                value=InsightKind.pain.value,
                allow_blank=False,
                id="kind",
            )
            yield Input(placeholder="statement: what the passage shows", id="statement")
            yield Input(placeholder="tags, comma-separated (optional)", id="tags")
            yield Static("ctrl+s saves · escape cancels", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        for box in self.query(Input):
            box.cursor_blink = area.cursor_blink
        if self.span is not None:
            text = self.turn.text
            area.selection = Selection(_location(text, self.span[0]), _location(text, self.span[1]))
        area.focus()

    def marked(self) -> tuple[int | None, int | None]:
        """The marked offsets inside the turn's text (None, None: nothing marked)."""
        area = self.query_one(TextArea)
        sel = area.selection
        if sel.start == sel.end:
            return None, None
        a, b = _index(self.turn.text, sel.start), _index(self.turn.text, sel.end)
        return min(a, b), max(a, b)

    def action_save(self) -> None:
        statement = self.query_one("#statement", Input).value
        if not statement.strip():
            self.notify("Write a statement: what does the passage show?", severity="warning")
            self.query_one("#statement", Input).focus()
            return
        start, end = self.marked()
        raw_tags = self.query_one("#tags", Input).value
        tags = [t.strip() for t in raw_tags.split(",") if t.strip()]
        kind = str(self.query_one("#kind", Select).value)
        self.dismiss(HighlightRequest(self.turn.index, start, end, kind, statement, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)
