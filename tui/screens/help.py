"""Help: the keys of the screen underneath and of the app, side by side (fits 80×24)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.keys import KeyRow, key_rows

INTRO = "ctrl+p: command palette, every action searchable · the mouse works everywhere"


def _column(title: str, rows: list[KeyRow]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(Text(title, style="bold underline"), "")
    for key, description in rows:
        table.add_row(key, description)
    if not rows:
        table.add_row("", Text("(no keys of its own)", style="dim"))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of ``target`` (the screen help was asked on) and of the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        name = type(self.target).__name__.removesuffix("Screen") or "This screen"
        grid = Table.grid(padding=(0, 3), expand=False)
        grid.add_column()
        grid.add_column()
        grid.add_row(
            _column(f"{name}", key_rows(self.target)), _column("Everywhere", key_rows(self.app))
        )
        body = Text.assemble(
            ("Persona Assistant — keys", "bold"), ("  (Esc or ? closes)\n", "dim"), (INTRO, "dim")
        )
        with VerticalScroll(id="help"):
            yield Static(body)
            yield Static(grid)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
