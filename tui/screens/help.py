"""Help: the keys of the screen underneath and of the app, and how to find every action."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

INTRO = """\
# Persona Assistant — keys

**ctrl+p** opens the command palette: every action is there, searchable.
The mouse works everywhere (click rows, insights, footer keys).
"""


def _keys(bindings: list[Binding | tuple[str, ...]]) -> list[str]:
    lines = []
    for b in bindings:
        if isinstance(b, Binding):
            key, desc = b.key, b.description
        else:
            key, desc = b[0], (b[2] if len(b) > 2 else b[1])
        key = {"question_mark": "?", "slash": "/"}.get(key, key)
        lines.append(f"| `{key}` | {desc or '—'} |")
    return lines


class HelpScreen(ModalScreen[None]):
    """Keys of ``target`` (the screen help was asked on) and of the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        name = type(self.target).__name__.removesuffix("Screen") or "This screen"
        text = [INTRO, f"## {name}", "", "| key | action |", "|---|---|"]
        text += _keys(list(self.target.BINDINGS)) or ["| | (no keys of its own) |"]
        text += ["", "## Everywhere", "", "| key | action |", "|---|---|"]
        text += _keys(list(self.app.BINDINGS))
        text += ["| `ctrl+p` | Command palette |", "", "Esc closes this help."]
        with VerticalScroll(id="help"):
            yield Markdown("\n".join(text))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
