"""A claim list: each claim shows its status and support, and expands to its evidence.

Keyboard: ``up``/``down`` move between claims (and the evidence of expanded
claims), ``enter`` expands or collapses a claim, and on an evidence row
``t`` (or ``enter``) posts :class:`~tui.messages.OpenTranscript`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from assistant.models import EvidenceStatus
from assistant.review import Claim, EvidenceLink, ReviewItem
from assistant.selection import TagMarks
from assistant.wording import count
from tui.messages import OpenTranscript
from tui.widgets.markdown import field_label


def claim_text(claim: Claim) -> Text:
    """One line for a claim: badge, text, support counts and edit marker."""
    text = Text()
    if claim.status == "assumption":
        text.append(" ASSUMPTION ", style="bold black on yellow")
    elif claim.status == "secondhand":
        text.append(f" {claim.secondhand_label.upper()} ", style="bold black on cyan")
    else:
        text.append(" SUPPORTED ", style="bold black on green")
    text.append(" ")
    text.append(claim.text)
    support = claim.support
    text.append(
        f"  · {count(support.interviews, 'interview')}, {count(support.accounts, 'account')}",
        style="dim",
    )
    if claim.user_owned:
        text.append(
            "  · edited by you" if claim.edited_by_user else "  · added by you", style="dim"
        )
    for flag in claim.quote_flags:
        text.append(f"\n   ! {flag}", style="bold red")
    return text


def evidence_text(link: EvidenceLink) -> Text:
    """One line for a piece of evidence: the quote, who said it, where."""
    text = Text("  ")
    if link.status != EvidenceStatus.verified:
        text.append(f" {link.status.upper()} ", style="bold black on red")
        text.append(" ")
    text.append(f"“{link.quote or '(insight ' + str(link.insight_id) + ')'}”", style="italic")
    where = link.interview_id + ("" if link.turn is None else f", turn {link.turn}")
    who = link.speaker_name or link.speaker or "unknown speaker"
    text.append(f" — {who} · {where}", style="dim")
    return text


class EvidenceRow(Static, can_focus=True):
    """A piece of evidence; ``j`` (or Enter) jumps to it in the transcript."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "jump", "Jump to transcript"),
        Binding("enter", "jump", "Jump to transcript", show=False),
    ]

    DEFAULT_CSS = """
    EvidenceRow { padding: 0 1 0 3; height: auto; }
    EvidenceRow:focus { background: $accent 30%; }
    """

    def __init__(self, claim: Claim, link: EvidenceLink) -> None:
        super().__init__(evidence_text(link))
        self.claim = claim
        self.link = link

    def action_jump(self) -> None:
        """Ask the app to open the transcript at this quote."""
        link = self.link
        self.post_message(OpenTranscript(link.interview_id, link.turn, link.start, link.end))


class ClaimRow(Static, can_focus=True):
    """The claim's line; ``enter`` expands or collapses its evidence."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "toggle_evidence", "Evidence")]

    DEFAULT_CSS = """
    ClaimRow { padding: 0 1; height: auto; }
    ClaimRow:focus { background: $accent 30%; }
    """

    def __init__(self, claim: Claim) -> None:
        super().__init__(claim_text(claim))
        self.claim = claim

    def action_toggle_evidence(self) -> None:
        """Expand or collapse the evidence below this claim."""
        view = self.parent
        if isinstance(view, ClaimView):
            view.expanded = not view.expanded


class ClaimView(Vertical):
    """A claim and (when expanded) its evidence rows."""

    DEFAULT_CSS = """
    ClaimView { height: auto; }
    ClaimView > .evidence { display: none; height: auto; }
    ClaimView.-expanded > .evidence { display: block; }
    ClaimView .no-evidence { padding: 0 1 0 3; color: $text-muted; }
    """

    def __init__(self, claim: Claim, expanded: bool = False) -> None:
        super().__init__()
        self.claim = claim
        self._expanded = expanded
        self.set_class(expanded, "-expanded")

    @property
    def expanded(self) -> bool:
        return self._expanded

    @expanded.setter
    def expanded(self, value: bool) -> None:
        self._expanded = value
        self.set_class(value, "-expanded")

    def compose(self) -> ComposeResult:
        yield ClaimRow(self.claim)
        with Vertical(classes="evidence"):
            for link in self.claim.evidence:
                yield EvidenceRow(self.claim, link)
            if not self.claim.evidence:
                yield Static("no evidence: this claim is an assumption", classes="no-evidence")


class ClaimList(VerticalScroll):
    """An item's claims, field by field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "next", "Next", show=False),
        Binding("up", "previous", "Previous", show=False),
    ]

    DEFAULT_CSS = """
    ClaimList { height: 1fr; }
    ClaimList > .field-title { text-style: bold; color: $secondary; padding: 1 1 0 1; }
    ClaimList > .empty { padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        *,
        field_order: Sequence[str] = (),
        field_titles: Mapping[str, str] | None = None,
        show_empty: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.field_order = list(field_order)
        self.field_titles = dict(field_titles or {})
        self.show_empty = show_empty
        self.marks: TagMarks | None = None
        """The tag filter: only the claims it marks are shown (a note counts the rest)."""

    def fields_of(self, item: ReviewItem) -> list[str]:
        """The fields to show: the preferred order first, then the item's own.

        Preferred fields the item lacks are shown (empty) only with ``show_empty``.
        """
        preferred = [f for f in self.field_order if self.show_empty or f in item.fields]
        return preferred + [f for f in item.fields if f not in self.field_order]

    async def show(self, item: ReviewItem | None) -> None:
        """Show ``item``'s claims, keeping expanded claims and the focused claim."""
        focused = self.current_claim()
        had_focus = self.is_attached and self.screen.focused is self
        expanded = {v.claim.id for v in self.query(ClaimView) if v.expanded}
        await self.remove_children()
        if item is None:
            await self.mount(Static("nothing to show", classes="empty"))
            return
        widgets: list[Static | ClaimView] = []
        marked = None if self.marks is None else {c.id for c in self.marks.claims(item)}
        for name in self.fields_of(item):
            widgets.append(Static(field_label(name, self.field_titles), classes="field-title"))
            claims = item.fields.get(name, [])
            shown = [c for c in claims if marked is None or c.id in marked]
            widgets.extend(ClaimView(c, c.id in expanded) for c in shown)
            if hidden := len(claims) - len(shown):
                note = f"({hidden} claim{'s' * (hidden != 1)} without evidence tagged "
                widgets.append(
                    Static(f"{note}{self.marks.tag if self.marks else ''} hidden)", classes="empty")
                )
            elif not claims:
                widgets.append(Static("(no claims yet: press n to add one)", classes="empty"))
        await self.mount_all(widgets)
        if focused is not None or had_focus:
            self.focus_claim(focused.id if focused else None)

    def on_focus(self) -> None:
        """Hand the focus on to the first claim (the list itself only scrolls)."""
        self.focus_claim()

    def current_claim(self) -> Claim | None:
        """The claim under the focus (a claim row or one of its evidence rows)."""
        focused = self.screen.focused if self.is_attached else None
        if isinstance(focused, ClaimRow | EvidenceRow) and self in focused.ancestors:
            return focused.claim
        return None

    def focus_claim(self, claim_id: str | None = None) -> None:
        """Focus the claim ``claim_id`` (or the first claim)."""
        rows = list(self.query(ClaimRow))
        target = next((r for r in rows if r.claim.id == claim_id), rows[0] if rows else None)
        if target is not None:
            target.focus()

    def _move(self, step: int) -> None:
        rows = self.focus_chain_rows()
        if not rows:
            return
        focused = self.screen.focused
        index = rows.index(focused) if focused in rows else (-1 if step > 0 else len(rows))
        target = rows[max(0, min(len(rows) - 1, index + step))]
        target.focus()
        target.scroll_visible()

    def focus_chain_rows(self) -> list[ClaimRow | EvidenceRow]:
        """Focusable claim and evidence rows in screen order (collapsed evidence left out)."""
        return [
            w
            for w in self.screen.focus_chain
            if isinstance(w, ClaimRow | EvidenceRow) and self in w.ancestors
        ]

    def action_next(self) -> None:
        self._move(1)

    def action_previous(self) -> None:
        self._move(-1)
