"""Personas: one card per persona; review each claim against its evidence.

Left, the persona cards (title, status, claims, assumptions); right, the
selected persona's claims. Keys: ``enter`` expands a claim's evidence, ``t``
on a quote jumps to the transcript (posts ``OpenTranscript``), ``e`` edits,
``n`` adds, ``a`` approves, ``x`` rejects, ``g`` regenerates and ``d`` shows
the side-by-side diff of a pending regeneration. ``/`` filters by a tag: only
personas with a claim the tag marks stay, and only those claims are shown
(:func:`assistant.selection.tag_marks`); ``escape`` clears the filter.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Label, ListItem, ListView

from assistant import review
from assistant.models import EvidenceStatus
from assistant.review import ReviewItem
from assistant.schemas import PERSONA_CLAIM_FIELDS
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import ItemChanged, ItemsLoaded, ItemsRegenerated, ReviewFailed
from tui.widgets.editor import STATUS_STYLE, ItemEditor, failure
from tui.widgets.footer import AppFooter
from tui.widgets.tag_filter import TagFilter, TagFiltered, marks_of

PERSONA_FIELDS = (*PERSONA_CLAIM_FIELDS, "quotes")
"""Field order of ``assistant.generate.personas`` (other fields follow)."""


def card_text(item: ReviewItem) -> Text:
    """A persona card: title, status and counts."""
    claims = item.claims()
    assumptions = sum(c.status == "assumption" for c in claims)
    interviews = {
        e.interview_id for c in claims for e in c.evidence if e.status == EvidenceStatus.verified
    }
    text = Text(item.title, style="bold")
    text.append("\n")
    text.append(f" {item.status} ", style=STATUS_STYLE.get(item.status, "bold white on red"))
    text.append(f" {count(len(claims), 'claim')} · {count(assumptions, 'assumption')}", style="dim")
    text.append(f"\n {count(len(interviews), 'interview')}", style="dim")
    if item.pending is not None:
        text.append(" · regenerated", style="bold yellow")
    return text


EMPTY = "No personas yet: press g to generate them, or run the analysis from the Library."


class PersonaCard(ListItem):
    """One persona in the list."""

    def __init__(self, item: ReviewItem) -> None:
        super().__init__(Label(card_text(item)))
        self.item = item

    def update_item(self, item: ReviewItem) -> None:
        self.item = item
        self.query_one(Label).update(card_text(item))


class PersonasScreen(TagFiltered, Screen[None]):
    """Review the persona drafts: evidence, edits, approval, regeneration."""

    TITLE = "Personas"
    PALETTE = (
        ("Personas: edit claim", "Edit the selected claim's text", "editor('edit')"),
        ("Personas: add claim", "Add a claim to the selected claim's field", "editor('add')"),
        ("Personas: approve", "Approve this draft", "editor('approve')"),
        ("Personas: reject", "Reject this draft", "editor('reject')"),
        ("Personas: regenerate", "Draft it again; your edits are kept", "editor('regenerate')"),
        (
            "Personas: review changes",
            "Side-by-side diff of a regenerated version",
            "editor('diff')",
        ),
        ("Personas: reload", "Read the items again", "reload"),
        ("Personas: tag filter", "Show only the claims a tag marks", "tag_filter"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", "Reload"),
        Binding("v", "editor('approve')", "Approve"),
        Binding("x", "editor('reject')", "Reject"),
        Binding("u", "editor('unapprove')", "Back to draft"),
        Binding("g", "editor('regenerate')", "Regenerate"),
        Binding("d", "editor('diff')", "Diff"),
        Binding("slash", "tag_filter", "Tag filter"),
        Binding("escape", "clear_tag_filter", "Clear tag filter", show=False),
        Binding("tab", "switch_pane", "Cards/claims", show=False),
    ]

    DEFAULT_CSS = """
    PersonasScreen #persona-cards { width: 30%; min-width: 24; max-width: 40; border-right: solid $primary; }
    PersonasScreen PersonaCard { padding: 0 1; margin-bottom: 1; }
    PersonasScreen #empty { padding: 1 2; color: $text-muted; display: none; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.items: list[ReviewItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield TagFilter()
        yield Label(EMPTY, id="empty")
        with Horizontal():
            yield ListView(id="persona-cards")
            yield ItemEditor(
                self.ws, field_order=PERSONA_FIELDS, kind="persona", id="persona-editor"
            )
        yield AppFooter()

    @property
    def editor(self) -> ItemEditor:
        return self.query_one("#persona-editor", ItemEditor)

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    async def action_editor(self, action: str) -> None:
        """Run an editor action while the card list has the focus."""
        await self.editor.run_action(action)

    def action_switch_pane(self) -> None:
        cards = self.query_one("#persona-cards", ListView)
        if cards.has_focus:
            self.editor.claim_list.focus_claim()
        else:
            cards.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="personas-load")
    def load(self) -> None:
        """Read the persona items (those with a claim the tag filter marks)."""
        tag_filter = self.query_one(TagFilter)
        try:
            items = review.list_items(self.ws, "persona")
            marks, refused = marks_of(self.ws, tag_filter.tag)
            if refused:  # a tag nothing carries: say so, show every persona
                self.post_message(ReviewFailed(refused))
                self.app.call_from_thread(setattr, tag_filter, "tag", None)
            self.post_message(ItemsLoaded(marks.items(items) if marks else items, marks))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Loading personas", exc)))

    async def on_items_loaded(self, message: ItemsLoaded) -> None:
        cards = self.query_one("#persona-cards", ListView)
        selected = self.editor.item.id if self.editor.item else None
        self.items = message.items
        self.editor.claim_list.marks = message.extra
        await cards.clear()
        await cards.extend(PersonaCard(item) for item in self.items)
        empty = self.query_one("#empty", Label)
        empty.display = not self.items
        tag = message.extra.tag if message.extra else None
        empty.update(
            f"No persona cites evidence tagged {tag}: Esc clears the filter." if tag else EMPTY
        )
        index = next((i for i, it in enumerate(self.items) if it.id == selected), 0)
        if self.items:
            cards.index = index
            await self.editor.show(self.items[index])
            if self.focused is None:
                cards.focus()
        else:
            await self.editor.show(None)

    async def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        if isinstance(event.item, PersonaCard) and (
            self.editor.item is None or self.editor.item.id != event.item.item.id
        ):
            await self.editor.show(event.item.item)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        self.editor.claim_list.focus_claim()

    def on_item_changed(self, message: ItemChanged) -> None:
        for card in self.query(PersonaCard):
            if card.item.id == message.item.id:
                card.update_item(message.item)
        self.items = [message.item if i.id == message.item.id else i for i in self.items]

    def on_items_regenerated(self, message: ItemsRegenerated) -> None:
        self.load()

    def on_review_failed(self, message: ReviewFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)
