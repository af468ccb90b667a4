"""Messaging: the persona × role matrix of messaging drafts.

Rows are personas, columns DMU roles; a cell shows its draft's status and
headline. ``enter`` opens the cell to read, edit (``e``/``n``), approve
(``a``), reject (``x``), copy as Markdown (``c``) or export to the
workspace's ``exports/`` folder (``o``). Items are keyed
``messaging:<persona key>:<role>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from assistant import review
from assistant.review import ReviewItem
from assistant.schemas import MESSAGING_CLAIM_FIELDS
from assistant.workspace import Workspace
from tui.messages import ItemsLoaded, ReviewFailed
from tui.widgets.editor import STATUS_STYLE, failure
from tui.widgets.footer import AppFooter
from tui.widgets.item_modal import ItemModal

ROLE_ORDER = (
    "economic_buyer",
    "champion",
    "technical_buyer",
    "user",
    "influencer",
    "blocker",
    "procurement",
)
MESSAGING_FIELDS = MESSAGING_CLAIM_FIELDS
"""Field order of a messaging cell (other fields follow)."""


def split_key(key: str) -> tuple[str, str]:
    """``messaging:<persona key>:<role>`` → (persona key, role)."""
    body = key.removeprefix("messaging:")
    persona, _, role = body.rpartition(":")
    return (persona or body, role or "any")


@dataclass
class Matrix:
    """The messaging items arranged by persona (rows) and role (columns)."""

    personas: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    cells: dict[tuple[str, str], ReviewItem] = field(default_factory=dict)

    @classmethod
    def build(cls, messaging: list[ReviewItem], personas: list[ReviewItem]) -> Matrix:
        matrix = cls()
        names = {p.key: p.title for p in personas}
        for item in messaging:
            persona, role = split_key(item.key)
            matrix.cells[(persona, role)] = item
            if persona not in matrix.personas:
                matrix.personas.append(persona)
            if role not in matrix.roles:
                matrix.roles.append(role)
            bare = persona.removeprefix("persona:")
            matrix.titles[persona] = names.get(persona) or names.get(f"persona:{bare}") or bare
        rank = {r: i for i, r in enumerate(ROLE_ORDER)}
        matrix.roles.sort(key=lambda r: (rank.get(r, len(rank)), r))
        matrix.personas.sort(key=lambda p: matrix.titles[p].casefold())
        return matrix


def cell_text(item: ReviewItem | None) -> Text:
    """A matrix cell: status badge and the first claim."""
    if item is None:
        return Text("—", style="dim")
    text = Text(f" {item.status} ", style=STATUS_STYLE.get(item.status, "bold white on red"))
    first = next(iter(item.claims()), None)
    text.append(" " + (first.text if first else item.title))
    if item.pending is not None:
        text.append(" ●", style="bold yellow")
    return text


class MessagingScreen(Screen[None]):
    """Browse the messaging matrix and open a cell to review it."""

    TITLE = "Messaging"
    PALETTE = (
        (
            "Messaging: open cell",
            "Read, edit, approve, copy or export the selected cell",
            "open_cell",
        ),
        ("Messaging: reload", "Read the messaging items again", "reload"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_cell", "Open"),
        Binding("f5", "reload", "Reload"),
    ]

    DEFAULT_CSS = """
    MessagingScreen #matrix { height: 1fr; }
    MessagingScreen #empty { padding: 1 2; color: $text-muted; display: none; }
    MessagingScreen #legend { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.matrix = Matrix()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            "No messaging drafts yet: generate personas and messaging from the Library first.",
            id="empty",
        )
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Label(
            "enter opens a cell · rows: personas · columns: roles · ● regenerated, review pending",
            id="legend",
        )
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="messaging-load")
    def load(self) -> None:
        """Read the messaging and persona items."""
        try:
            messaging = review.list_items(self.ws, "messaging")
            personas = review.list_items(self.ws, "persona")
            self.post_message(ItemsLoaded(messaging, Matrix.build(messaging, personas)))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Loading messaging", exc)))

    def on_items_loaded(self, message: ItemsLoaded) -> None:
        table = self.query_one("#matrix", DataTable)
        cursor = table.cursor_coordinate
        self.matrix = message.extra
        matrix = self.matrix
        table.clear(columns=True)
        table.add_column("persona", key="persona", width=22)
        for role in matrix.roles:
            table.add_column(role.replace("_", " "), key=role, width=40)
        for persona in matrix.personas:
            table.add_row(
                Text(matrix.titles[persona], style="bold"),
                *(cell_text(matrix.cells.get((persona, role))) for role in matrix.roles),
                key=persona,
                height=2,
            )
        self.query_one("#empty").display = not matrix.cells
        if matrix.personas:
            column = cursor.column if cursor.column > 0 else 1
            table.cursor_coordinate = Coordinate(
                min(cursor.row, len(matrix.personas) - 1), min(column, len(matrix.roles))
            )
        table.focus()

    def selected(self) -> ReviewItem | None:
        """The item under the table cursor."""
        table = self.query_one("#matrix", DataTable)
        row, column = table.cursor_coordinate
        if not self.matrix.personas or column < 1 or column > len(self.matrix.roles):
            return None
        persona = self.matrix.personas[row]
        return self.matrix.cells.get((persona, self.matrix.roles[column - 1]))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_cell()

    def action_open_cell(self) -> None:
        """Open the selected cell's draft."""
        item = self.selected()
        if item is None:
            self.notify("No draft in this cell: pick a persona × role cell with a draft.")
            return
        self.app.push_screen(
            ItemModal(self.ws, item, field_order=MESSAGING_FIELDS), self._modal_closed
        )

    def _modal_closed(self, _: None) -> None:
        self.load()

    def on_review_failed(self, message: ReviewFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)
