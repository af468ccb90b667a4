"""One review item with its claims and the review actions.

Every core call runs in a thread worker and posts a message back
(:class:`ItemChanged`, :class:`PendingReady`, :class:`ReviewFailed`);
``ItemChanged`` bubbles on so the screen can refresh its list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from assistant import review
from assistant.errors import PersonaError
from assistant.review import ReviewItem
from assistant.settings import Settings
from assistant.workspace import Workspace
from tui.messages import ItemChanged, ItemsRegenerated, PendingReady, ReviewFailed
from tui.widgets.claims import ClaimList
from tui.widgets.dialogs import ConfirmDialog, DiffScreen, EditDialog
from tui.widgets.generators import Generator, find_generator, regeneration_estimate
from tui.widgets.pickers import LinkDialog

STATUS_STYLE = {"draft": "bold black on white", "approved": "bold black on green"}


def failure(action: str, exc: Exception) -> str:
    """A notification for a failed core call that says what to do next."""
    if isinstance(exc, PersonaError):
        return f"{action} failed: {exc}"
    return f"{action} failed: {exc}. Check the workspace with `persona doctor`, then retry."


def app_settings(app: object) -> Settings | None:
    """The app shell's settings (replayed fixtures in demo mode); None for an app without.

    Call it in a worker: loading settings may fail (a configuration error), and
    the worker reports that failure.
    """
    settings = getattr(app, "settings", None)
    return settings if isinstance(settings, Settings) else None


def item_header(item: ReviewItem | None) -> Text:
    """Title, status badge, claim counts and a pending marker."""
    if item is None:
        return Text("nothing here yet: press g to generate", style="dim")
    text = Text(item.title, style="bold")
    text.append("  ")
    text.append(
        f" {item.status.upper()} ", style=STATUS_STYLE.get(item.status, "bold white on red")
    )
    claims = item.claims()
    assumptions = sum(c.status == "assumption" for c in claims)
    claims_text = f"{len(claims)} claim" + ("" if len(claims) == 1 else "s")
    assumptions_text = f"{assumptions} assumption" + ("" if assumptions == 1 else "s")
    text.append(f"  {claims_text}, {assumptions_text}", style="dim")
    if item.pending is not None:
        text.append("  ")
        text.append(" REGENERATED: press d to review ", style="bold black on yellow")
    return text


class ItemEditor(Vertical):
    """Show, edit and approve one review item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit claim"),
        Binding("n", "add", "Add claim"),
        Binding("v", "approve", "Approve"),
        Binding("u", "unapprove", "Back to draft"),
        Binding("x", "reject", "Reject"),
        Binding("k", "link", "Link quote"),
        Binding("delete", "delete_claim", "Delete claim"),
        Binding("g", "regenerate", "Regenerate"),
        Binding("d", "diff", "Diff"),
    ]

    DEFAULT_CSS = """
    ItemEditor { height: 1fr; }
    ItemEditor > .item-header { padding: 0 1; height: auto; background: $boost; }
    """

    def __init__(
        self,
        ws: Workspace,
        *,
        field_order: Sequence[str] = (),
        field_titles: Mapping[str, str] | None = None,
        default_field: str = "claims",
        show_empty: bool = False,
        kind: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.ws = ws
        self.kind = kind
        self.item: ReviewItem | None = None
        self.default_field = default_field
        self._claims = ClaimList(
            field_order=field_order, field_titles=field_titles, show_empty=show_empty
        )

    def compose(self) -> ComposeResult:
        yield Static(item_header(None), classes="item-header")
        yield self._claims

    @property
    def claim_list(self) -> ClaimList:
        return self._claims

    async def show(self, item: ReviewItem | None) -> None:
        """Display ``item`` (None: an empty editor)."""
        self.item = item
        self.query_one(".item-header", Static).update(item_header(item))
        await self._claims.show(item)

    # ------------------------------------------------------------ actions

    def _need_item(self) -> ReviewItem | None:
        if self.item is None:
            self.notify("Nothing selected: generate drafts first (press g).", severity="warning")
        return self.item

    def action_edit(self) -> None:
        """Edit the focused claim's text in a dialog."""
        item = self._need_item()
        claim = self._claims.current_claim()
        if item is None:
            return
        if claim is None:
            self.notify("Select a claim first (up/down), then press e.", severity="warning")
            return
        self._ask(
            EditDialog("Edit claim (evidence stays linked)", claim.text),
            lambda text: self.edit_claim(item.id, claim.id, text, item.version),
        )

    def action_add(self) -> None:
        """Add a claim to the focused claim's field (an assumption until evidence exists)."""
        item = self._need_item()
        if item is None:
            return
        claim = self._claims.current_claim()
        fields = self._claims.fields_of(item)
        field = claim.field if claim else (fields[0] if fields else self.default_field)
        self._ask(
            EditDialog(f"Add a claim to {field.replace('_', ' ')}", placeholder="claim text"),
            lambda text: self.add_claim(item.id, field, text),
        )

    def _ask(self, dialog: EditDialog, then: Callable[[str], object]) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                self.notify("A claim needs some text: nothing was saved.", severity="warning")
                return
            then(text)

        self.app.push_screen(dialog, done)

    def action_approve(self) -> None:
        """Approve; when claims are still assumptions, ask first."""
        item = self._need_item()
        if item is None:
            return
        left = item.assumptions()
        if not left or item.status == "approved":
            self.set_status(item.id, "approved", item.version)
            return
        n = len(left)
        lines = [
            f"{n} claim{'s' * (n != 1)} of “{item.title}” {'are' if n != 1 else 'is'} still "
            f"{'assumptions' if n != 1 else 'an assumption'} (no verified quote):",
            *(f"  · {c.text}" for c in left[:5]),
        ]

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_status(item.id, "approved", item.version, allow_assumptions=True)
            else:
                self.notify("Not approved: link quotes to the assumptions (k) first.")

        self.app.push_screen(ConfirmDialog("Approve", lines, "Approve anyway?"), answered)

    def action_unapprove(self) -> None:
        """Move the item back to draft."""
        if (item := self._need_item()) is not None:
            if item.status == "draft":
                self.notify("It is a draft already.")
                return
            self.set_status(item.id, "draft", item.version)

    def action_delete_claim(self) -> None:
        """Delete the focused claim, after a confirmation (the history keeps it)."""
        item = self._need_item()
        claim = self._claims.current_claim()
        if item is None:
            return
        if claim is None:
            self.notify("Select a claim first (up/down), then press delete.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_claim(item.id, claim.id, item.version)

        dialog = ConfirmDialog(
            "Delete claim", [claim.text, "(the history keeps it)"], "Delete this claim?"
        )
        self.app.push_screen(dialog, answered)

    def action_link(self) -> None:
        """Link a verified quote (found by its words) to the focused claim."""
        item = self._need_item()
        claim = self._claims.current_claim()
        if item is None:
            return
        if claim is None:
            self.notify("Select a claim first (up/down), then press k.", severity="warning")
            return

        def picked(link: review.EvidenceLink | None) -> None:
            if link is not None:
                self.link_quote(item.id, claim.id, link, item.version)

        self.app.push_screen(LinkDialog(self.ws, claim.text), picked)

    def action_reject(self) -> None:
        if (item := self._need_item()) is not None:
            self.set_status(item.id, "rejected", item.version)

    def action_diff(self) -> None:
        """Show the pending regeneration, if there is one."""
        item = self._need_item()
        if item is None:
            return
        if item.pending is None:
            self.notify("Nothing pending for this item: press g to regenerate.")
            return
        self._show_diff(item)

    def action_regenerate(self) -> None:
        """Run the generator of this item's kind, then show what changed."""
        kind = self.item.kind if self.item is not None else self.kind
        if kind is None:
            self.notify("Nothing to regenerate here.", severity="warning")
            return
        self.estimate_then_regenerate(kind)

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def estimate_then_regenerate(self, kind: str) -> None:
        """Show the estimate of regenerating ``kind`` and run only on yes."""
        try:
            settings = getattr(self.app, "regeneration_settings", None)
            chosen = settings(kind) if settings else app_settings(self.app)
            lines = regeneration_estimate(
                self.ws, chosen, kind, getattr(self.app, "embedder", None)
            )
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Regeneration", exc)))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.notify("Regenerating… (this may call the model)")
                self.regenerate(find_generator(kind), kind)
            else:
                self.notify("Not regenerated: nothing was sent.")

        dialog = ConfirmDialog(f"Regenerate {kind}: estimate", lines, "Regenerate?")
        self.app.call_from_thread(self.app.push_screen, dialog, answered)

    def _show_diff(self, item: ReviewItem) -> None:
        assert item.pending is not None

        def decided(choice: str | None) -> None:
            if choice == "accept":
                self.resolve_pending(item.id, accept=True)
            elif choice == "keep":
                self.resolve_pending(item.id, accept=False)

        self.app.push_screen(DiffScreen(item, item.pending), decided)

    # ------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def edit_claim(self, item_id: str, claim_id: str, text: str, version: int) -> None:
        try:
            review.edit_claim(self.ws, item_id, claim_id, text, expected_version=version)
            self.post_message(ItemChanged(review.get_item(self.ws, item_id), "Claim saved."))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Saving the claim", exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def add_claim(self, item_id: str, field: str, text: str) -> None:
        try:
            item = review.get_item(self.ws, item_id)
            # the field comes from the screen's list (an empty field of the kind counts too)
            review.add_claim(self.ws, item_id, field, text, new_field=field not in item.fields)
            note = "Claim added (an assumption until evidence backs it)."
            self.post_message(ItemChanged(review.get_item(self.ws, item_id), note))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Adding the claim", exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def set_status(
        self,
        item_id: str,
        status: review.ItemStatus,
        version: int | None = None,
        *,
        allow_assumptions: bool = False,
    ) -> None:
        try:
            item = review.set_status(
                self.ws,
                item_id,
                status,
                allow_assumptions=allow_assumptions,
                expected_version=version,
            )
            self.post_message(ItemChanged(item, f"{item.title}: {status}."))
        except Exception as exc:
            self.post_message(ReviewFailed(failure(f"Marking it {status}", exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def delete_claim(self, item_id: str, claim_id: str, version: int) -> None:
        try:
            removed = review.remove_claim(self.ws, item_id, claim_id, expected_version=version)
            note = f"Deleted {removed.id} (the history keeps it)."
            self.post_message(ItemChanged(review.get_item(self.ws, item_id), note))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Deleting the claim", exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def link_quote(
        self, item_id: str, claim_id: str, link: review.EvidenceLink, version: int
    ) -> None:
        try:
            done = review.link_evidence(
                self.ws, item_id, claim_id, [link], expected_version=version
            )
            note = f"Quote linked: the claim is {done.claim.status}."
            if done.warnings:
                note += " " + " ".join(done.warnings)
            self.post_message(ItemChanged(review.get_item(self.ws, item_id), note))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Linking the quote", exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def resolve_pending(self, item_id: str, accept: bool) -> None:
        try:
            if accept:
                item = review.accept_pending(self.ws, item_id)
                note = "New version accepted; your edits were kept."
            else:
                item = review.keep_current(self.ws, item_id)
                note = "Kept the current version."
            self.post_message(ItemChanged(item, note))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Resolving the regeneration", exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-editor")
    def regenerate(self, generator: Generator, kind: str) -> None:
        item_id = self.item.id if self.item is not None else None
        try:
            settings = getattr(self.app, "regeneration_settings", None)
            generator(self.ws, settings(kind) if settings else app_settings(self.app))
            self.post_message(ItemsRegenerated())
            if item_id is None:
                return
            item = review.get_item(self.ws, item_id)
            if item.pending is not None:
                self.post_message(PendingReady(item, item.pending))
            else:
                self.post_message(ItemChanged(item, "Regenerated: nothing needs your review."))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Regeneration", exc)))

    # ------------------------------------------------------------ results

    async def on_item_changed(self, message: ItemChanged) -> None:
        if self.item is not None and message.item.id == self.item.id:
            await self.show(message.item)
        if message.note:
            self.notify(message.note)

    async def on_pending_ready(self, message: PendingReady) -> None:
        message.stop()
        await self.show(message.item)
        self._show_diff(message.item)

    def on_review_failed(self, message: ReviewFailed) -> None:
        message.stop()
        self.notify(message.message, severity="error", timeout=8)
