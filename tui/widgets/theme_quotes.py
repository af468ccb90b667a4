"""A theme's description and quotes, grouped by interview (a modal)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.review import Claim, ReviewItem
from assistant.wording import count
from tui.widgets.claims import EvidenceRow
from tui.widgets.footer import MODAL_KEYS, AppFooter
from tui.widgets.theme_stats import theme_kind, theme_quotes


class ThemeQuotesScreen(ModalScreen[None]):
    """Read a theme's quotes by interview; ``t`` on a quote jumps to the transcript."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "app.focus_next", "Next", show=False),
        Binding("up", "app.focus_previous", "Previous", show=False),
        *MODAL_KEYS,
    ]

    DEFAULT_CSS = """
    ThemeQuotesScreen { align: center middle; }
    ThemeQuotesScreen > Vertical {
        width: 95%; height: 90%; border: thick $accent; background: $surface;
    }
    ThemeQuotesScreen .title { padding: 0 1; text-style: bold; background: $boost; }
    ThemeQuotesScreen .description { padding: 1 1 0 1; }
    ThemeQuotesScreen .interview { padding: 1 1 0 1; color: $secondary; text-style: bold; }
    """

    def __init__(self, item: ReviewItem, order: Sequence[str] = ()) -> None:
        super().__init__()
        self.item = item
        self.order = list(order)

    def compose(self) -> ComposeResult:
        item = self.item
        groups = theme_quotes(item, self.order)
        with Vertical():
            yield Static(
                Text(f"{item.title}  ·  {theme_kind(item)}  ·  {count(len(groups), 'interview')}"),
                classes="title",
            )
            with VerticalScroll():
                for claim in item.fields.get("description", []):
                    yield Static(claim.text, classes="description")
                for interview_id, links in groups.items():
                    yield Static(f"{interview_id} ({len(links)})", classes="interview")
                    for link in links:
                        yield EvidenceRow(self._claim_of(link.key()), link)
                if not groups:
                    yield Static("no quotes", classes="description")
        yield AppFooter()

    def _claim_of(self, key: str) -> Claim:
        return next(c for c in self.item.claims() if any(e.key() == key for e in c.evidence))

    def on_mount(self) -> None:
        rows = list(self.query(EvidenceRow))
        if rows:
            rows[0].focus()

    def action_close(self) -> None:
        self.dismiss(None)
