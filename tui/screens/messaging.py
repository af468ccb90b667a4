"""Messaging: every persona × every DMU role present, drafted or not.

Rows are personas, columns the roles present in the workspace
(:func:`assistant.generate.messaging.messaging_grid`); a cell shows its
draft's status and headline, or "— n drafts". ``enter`` opens a drafted cell
to read, edit (``e``/``n``), approve (``v``), reject (``x``), copy as
Markdown (``c``) or export (``o``); ``n`` on an empty cell shows the
estimate, asks, then drafts it (one LLM call). ``/`` filters by a tag: only
personas with a marked claim or a marked drafted cell stay, and drafted cells
without evidence the tag marks say so (:meth:`MessagingGrid.marked`);
``escape`` clears it. Items are keyed ``messaging:<persona key>:<role>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from assistant.generate.messaging import MessagingGrid
from assistant.review import ReviewItem
from assistant.schemas import MESSAGING_CLAIM_FIELDS
from assistant.selection import TagMarks
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import ItemsLoaded, ReviewFailed
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.editor import STATUS_STYLE, app_settings, failure
from tui.widgets.footer import AppFooter
from tui.widgets.item_modal import ItemModal
from tui.widgets.tag_filter import TagFilter, TagFiltered, marks_of

MESSAGING_FIELDS = MESSAGING_CLAIM_FIELDS
"""Field order of a messaging cell (other fields follow)."""

EMPTY = "No personas yet: run the analysis from the Library, then draft messaging here."
PERSONA_WIDTH = 22
CELL_MIN, CELL_MAX = 18, 40


@dataclass
class CellEstimated(Message):
    """The estimate of drafting one empty cell (an ``assistant.llm.budget.Estimate``)."""

    persona: ReviewItem
    role: str
    estimate: object


@dataclass
class CellDrafted(Message):
    """A cell was drafted; ``note`` says what came back."""

    note: str
    failed: bool = False


def cell_text(item: ReviewItem | None, marks: TagMarks | None = None) -> Text:
    """A grid cell: status badge and the first claim, or how to draft it; under a tag
    filter, a drafted cell without marked evidence says it is hidden."""
    if item is None:
        return Text("— n drafts", style="dim")
    if marks is not None and not marks.claims(item):
        return Text(f"(no evidence tagged {marks.tag})", style="dim")
    text = Text(f" {item.status} ", style=STATUS_STYLE.get(item.status, "bold white on red"))
    first = next(iter(item.claims()), None)
    text.append(" " + (first.text if first else item.title))
    if item.pending is not None:
        text.append(" ●", style="bold yellow")
    return text


class MessagingScreen(TagFiltered, Screen[None]):
    """Browse the persona × role grid, open a cell, or draft an empty one."""

    TITLE = "Messaging"
    PALETTE = (
        (
            "Messaging: open cell",
            "Read, edit, approve, copy or export the selected cell",
            "open_cell",
        ),
        ("Messaging: draft cell", "Draft the selected empty cell (estimate first)", "draft_cell"),
        ("Messaging: reload", "Read the messaging items again", "reload"),
        ("Messaging: tag filter", "Show only the personas and cells a tag marks", "tag_filter"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_cell", "Open"),
        Binding("n", "draft_cell", "Draft cell"),
        Binding("f5", "reload", "Reload"),
        Binding("slash", "tag_filter", "Tag filter"),
        Binding("escape", "clear_tag_filter", "Clear tag filter", show=False),
    ]

    DEFAULT_CSS = """
    MessagingScreen #matrix { height: 1fr; }
    MessagingScreen #empty { padding: 1 2; color: $text-muted; display: none; }
    MessagingScreen #legend { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.grid = MessagingGrid([], [], {})
        self.marks: TagMarks | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield TagFilter()
        yield Label(EMPTY, id="empty")
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Label(
            "rows: personas · columns: roles · enter opens · n drafts an empty cell · "
            "● regenerated, review pending",
            id="legend",
        )
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="messaging-load")
    def load(self) -> None:
        """Read the grid through the core."""
        from assistant.generate.messaging import messaging_grid

        ws = Workspace(self.ws.root)
        try:
            settings = app_settings(self.app)
            mode = settings.generate.persona_segments if settings else "split"
            grid = messaging_grid(ws, mode)
            tag_filter = self.query_one(TagFilter)
            marks, refused = marks_of(ws, tag_filter.tag)
            if refused:  # a tag nothing carries: say so, show the whole grid
                self.post_message(ReviewFailed(refused))
                self.app.call_from_thread(setattr, tag_filter, "tag", None)
            shown = grid.marked(marks) if marks else grid
            self.post_message(ItemsLoaded(list(shown.cells.values()), (shown, marks)))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Loading messaging", exc)))
        finally:
            ws.close()

    def on_items_loaded(self, message: ItemsLoaded) -> None:
        table = self.query_one("#matrix", DataTable)
        cursor = table.cursor_coordinate
        grid: MessagingGrid = message.extra[0]
        self.grid, self.marks = grid, message.extra[1]
        table.clear(columns=True)
        free = max(0, self.app.size.width - PERSONA_WIDTH - 4)
        width = max(CELL_MIN, min(CELL_MAX, free // max(1, len(grid.roles)) - 2))
        table.add_column("persona", key="persona", width=PERSONA_WIDTH)
        for role in grid.roles:
            table.add_column(role.replace("_", " "), key=role, width=width)
        for persona in grid.personas:
            table.add_row(
                Text(persona.title, style="bold"),
                *(cell_text(grid.cell(persona, role), self.marks) for role in grid.roles),
                key=persona.key,
                height=2,
            )
        empty = self.query_one("#empty", Label)
        empty.display = not grid.personas
        empty.update(
            f"No persona or messaging cites evidence tagged {self.marks.tag}: Esc clears the filter."
            if self.marks
            else EMPTY
        )
        if grid.personas and grid.roles:
            column = cursor.column if cursor.column > 0 else 1
            table.cursor_coordinate = Coordinate(
                min(cursor.row, len(grid.personas) - 1), min(column, len(grid.roles))
            )
        table.focus()

    def selected_cell(self) -> tuple[ReviewItem, str] | None:
        """(persona, role) under the table cursor."""
        table = self.query_one("#matrix", DataTable)
        row, column = table.cursor_coordinate
        if not self.grid.personas or column < 1 or column > len(self.grid.roles):
            return None
        return self.grid.personas[row], self.grid.roles[column - 1]

    def selected(self) -> ReviewItem | None:
        """The draft under the table cursor (None for an empty cell)."""
        cell = self.selected_cell()
        return None if cell is None else self.grid.cell(*cell)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_cell()

    def action_open_cell(self) -> None:
        """Open the selected cell's draft (an empty cell offers to draft it)."""
        item = self.selected()
        if item is None:
            if self.selected_cell() is None:
                self.notify("Pick a persona × role cell (arrows).")
            else:
                self.action_draft_cell()
            return
        self.app.push_screen(
            ItemModal(self.ws, item, field_order=MESSAGING_FIELDS), self._modal_closed
        )

    def _modal_closed(self, _: None) -> None:
        self.load()

    # ------------------------------------------------------------ drafting

    def action_draft_cell(self) -> None:
        """Estimate the selected empty cell, then ask before drafting it."""
        cell = self.selected_cell()
        if cell is None:
            self.notify("Pick a persona × role cell (arrows).")
            return
        if self.grid.cell(*cell) is not None:
            self.notify("This cell has a draft: Enter opens it, g there regenerates it.")
            return
        self.notify(f"Estimating the messaging of {cell[0].title} for {cell[1]}…")
        self.estimate_cell(*cell)

    @work(thread=True, exclusive=True, exit_on_error=False, group="messaging-draft")
    def estimate_cell(self, persona: ReviewItem, role: str) -> None:
        """The estimate of one cell through the core (no LLM call)."""
        from assistant.generate.messaging import estimate_messaging

        ws = Workspace(self.ws.root)
        try:
            settings = app_settings(self.app)
            if settings is None:
                raise RuntimeError("the app has no settings")
            est = estimate_messaging(ws, settings, persona.id, role)
            self.post_message(CellEstimated(persona, role, est))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Estimating the cell", exc)))
        finally:
            ws.close()

    def on_cell_estimated(self, message: CellEstimated) -> None:
        from assistant.llm.budget import Estimate, estimate_lines

        est = message.estimate
        assert isinstance(est, Estimate)
        persona, role = message.persona, message.role

        def answered(yes: bool | None) -> None:
            if yes:
                self.notify(f"Drafting the messaging of {persona.title} for {role}…")
                self.draft_cell(persona, role)

        self.app.push_screen(
            ConfirmDialog(
                f"Draft messaging: {persona.title} → {role.replace('_', ' ')}: estimate",
                [
                    *estimate_lines(est),
                    "",
                    "The draft cites the persona's insights; messages citing none are "
                    "flagged as assumptions.",
                ],
                "Draft it?",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="messaging-draft")
    def draft_cell(self, persona: ReviewItem, role: str) -> None:
        """Draft one cell through the core (one LLM call), then reload the grid."""
        from assistant.generate import generate_messaging

        ws = Workspace(self.ws.root)
        try:
            settings = app_settings(self.app)
            if settings is None:
                raise RuntimeError("the app has no settings")
            outcomes = generate_messaging(ws, settings, persona=persona.id, role=role)
            drafted = [o for o in outcomes if o.role == role]
            if not drafted:
                self.post_message(
                    CellDrafted(
                        f"The model wrote no messaging for {role}: nothing was stored; "
                        "try again or draft it with `persona messaging`.",
                        failed=True,
                    )
                )
                return
            flagged = sum(len(o.flagged) for o in drafted)
            note = f"Drafted {drafted[0].item.title}"
            if flagged:
                note += f": {count(flagged, 'message')} {'cites' if flagged == 1 else 'cite'} no insight (assumptions)"
            self.post_message(CellDrafted(note))
        except Exception as exc:
            self.post_message(CellDrafted(failure("Drafting the cell", exc), failed=True))
        finally:
            ws.close()

    def on_cell_drafted(self, message: CellDrafted) -> None:
        self.notify(
            message.note,
            title="Messaging: Failed" if message.failed else "Messaging: Drafted",
            severity="error" if message.failed else "information",
            timeout=8,
        )
        self.load()

    def on_review_failed(self, message: ReviewFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)
