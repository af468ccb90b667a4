"""Search: the hybrid search of `persona search`, with its filters; a hit opens its transcript."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import OpenTranscript, WorkFailed, work_failed
from tui.screens import apply_cursor_blink
from tui.widgets.footer import AppFooter

FILTERS = ("company", "industry", "segment", "role", "tag")
"""The filter boxes, as `persona search --company/--industry/--segment/--role/--tag`."""


@dataclass
class SearchDone(Message):
    """The worker's result (an ``assistant.search.FilteredSearch``)."""

    found: object


def hit_prompt(interview_id: str, turn: int, speaker: str, role: str, text: str) -> Text:
    """One hit: where, who, then the words."""
    out = Text()
    out.append(f"{interview_id} #{turn} ", style="bold")
    out.append(f"{speaker} ({role})\n", style="dim")
    out.append(" ".join(text.split())[:400])
    return out


class SearchScreen(Screen[None]):
    """Search every interview; Enter on a hit shows it in its transcript."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Query"),
        Binding("escape", "to_results", "Results", show=False),
    ]
    PALETTE = (
        ("Search: query", "Type what to look for in every interview", "focus_query"),
        ("Search: open hit", "Show the selected hit in its transcript", "open_hit"),
    )

    DEFAULT_CSS = """
    SearchScreen #search-filters { height: auto; }
    SearchScreen #search-filters Input { width: 1fr; }
    SearchScreen #search-status { color: $text-muted; padding: 0 1; height: auto; }
    SearchScreen #search-hits { height: 1fr; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.found: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search the interviews (Enter searches)", id="search-query")
        with Horizontal(id="search-filters"):
            for name in FILTERS:
                yield Input(placeholder=name, id=f"search-{name}")
        yield Label(
            "Type a query and press Enter; Enter on a hit opens its transcript.", id="search-status"
        )
        yield OptionList(id="search-hits")
        yield AppFooter()

    def on_mount(self) -> None:
        apply_cursor_blink(self)
        self.query_one("#search-query", Input).focus()

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_to_results(self) -> None:
        self.query_one("#search-hits", OptionList).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        query = self.query_one("#search-query", Input).value
        if not query.strip():
            self.notify("Type what to look for first.", severity="warning")
            self.action_focus_query()
            return
        filters = {name: self.query_one(f"#search-{name}", Input).value.strip() for name in FILTERS}
        self.query_one("#search-status", Label).update(
            "Searching… (loading the embedding model the first time)"
        )
        self.search(query, filters)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search(self, query: str, filters: dict[str, str]) -> None:
        """Run the core's filtered search with a private workspace handle."""
        from assistant.search import search_filtered

        ws = Workspace(self.ws.root)
        try:
            found = search_filtered(
                ws,
                query,
                k=20,
                role=filters["role"] or "any",
                company=filters["company"],
                industry=filters["industry"],
                segment=filters["segment"],
                tag=filters["tag"],
                embedder=getattr(self.app, "embedder", None),
            )
            self.post_message(SearchDone(found))
        except Exception as exc:
            self.post_message(work_failed(exc))
        finally:
            ws.close()

    @on(SearchDone)
    def _done(self, message: SearchDone) -> None:
        from assistant.search import FilteredSearch

        found = message.found
        assert isinstance(found, FilteredSearch)
        self.found = found
        hits = self.query_one("#search-hits", OptionList)
        hits.clear_options()
        for n, (h, who) in enumerate(zip(found.hits, found.speakers, strict=True)):
            hits.add_option(
                Option(hit_prompt(h.interview_id, h.turn, who, h.role, h.text), id=str(n))
            )
        status = count(len(found.hits), "hit")
        if found.selected is not None:
            status += f" in the {count(found.selected, 'interview')} that match {found.filters}"
        status += "; Enter opens a hit in its transcript" if found.hits else ""
        status = "  ".join([status, *(f"warning: {w}" for w in found.warnings)])
        self.query_one("#search-status", Label).update(status)
        if found.hits:
            hits.highlighted = 0
            hits.focus()

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#search-status", Label).update(Text(message.message, style="red"))
        self.notify(message.message, title="Search", severity="error", timeout=8)

    @on(OptionList.OptionSelected, "#search-hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.open_hit(int(str(event.option.id)))

    def action_open_hit(self) -> None:
        index = self.query_one("#search-hits", OptionList).highlighted
        if index is None:
            self.notify("No hit selected: search first.", severity="warning")
            return
        self.open_hit(index)

    def open_hit(self, index: int) -> None:
        """Show hit ``index`` in its transcript (the Interview screen)."""
        from assistant.search import FilteredSearch

        found = self.found
        assert isinstance(found, FilteredSearch)
        h = found.hits[index]
        self.post_message(OpenTranscript(h.interview_id, h.turn, h.char_start, h.char_end))
