"""Tags: the user's codebook — counts per tag, the quotes a tag marks, rename and merge.

Left, every tag with its insights, verified quotes and interviews; right, the
quotes of the highlighted tag (enter opens one in its transcript). ``e``
renames the tag, ``c`` merges it into another, ``g`` reads the tags again.
Everything goes through :mod:`assistant.tags`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, OptionList
from textual.widgets.option_list import Option

from assistant.workspace import Workspace
from tui.messages import OpenTranscript, WorkFailed
from tui.widgets.dialogs import EditDialog
from tui.widgets.footer import AppFooter
from tui.widgets.pickers import ChoiceDialog


@dataclass
class TagsLoaded(Message):
    """The codebook (TagCount rows) and, for the selected tag, its insights."""

    counts: list[Any]
    tag: str | None
    insights: list[Any]


class TagsScreen(Screen[None]):
    """The tag codebook (the `persona tags` data)."""

    TITLE = "Tags"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "rename", "Rename tag"),
        Binding("c", "merge", "Merge into…"),
        Binding("g", "reload", "Refresh"),
    ]
    PALETTE = (
        ("Tags: rename", "Rename the selected tag everywhere", "rename"),
        ("Tags: merge", "Merge the selected tag into another", "merge"),
        ("Tags: refresh", "Read the tags again", "reload"),
    )
    DEFAULT_CSS = """
    TagsScreen #tags { width: 1fr; max-width: 50; }
    TagsScreen #tag-quotes { width: 2fr; }
    TagsScreen #tags-empty { padding: 1 2; color: $text-muted; display: none; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.counts: list[Any] = []
        self.insights: list[Any] = []
        self.links: list[dict[str, Any]] = []
        self.current: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            "No tags yet: highlight a passage in an interview (h) and give it tags.",
            id="tags-empty",
        )
        with Horizontal():
            yield DataTable(id="tags", cursor_type="row", zebra_stripes=True)
            yield OptionList(id="tag-quotes")
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load(self.selected())

    def selected(self) -> str | None:
        if not self.counts:
            return None
        table = self.query_one("#tags", DataTable)
        return str(self.counts[min(table.cursor_row, len(self.counts) - 1)].tag)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tags-load")
    def load(self, tag: str | None = None) -> None:
        """Read the codebook and the quotes of ``tag`` (default: the most used tag)."""
        from assistant.tags import list_tags, tagged_insights

        ws = Workspace(self.ws.root)
        try:
            counts = list_tags(ws)
            names = [c.tag for c in counts]
            tag = tag if tag in names else (names[0] if names else None)
            insights = tagged_insights(ws, tag) if tag else []
            self.post_message(TagsLoaded(counts, tag, insights))
        except Exception as exc:
            self.post_message(WorkFailed(f"Reading the tags failed: {exc}"))
        finally:
            ws.close()

    @on(TagsLoaded)
    def _loaded(self, message: TagsLoaded) -> None:
        self.counts = message.counts
        self.current = message.tag
        table = self.query_one("#tags", DataTable)
        table.clear(columns=True)
        table.add_columns("tag", "insights", "quotes", "interviews")
        for c in self.counts:
            table.add_row(c.tag, str(c.insights), str(c.quotes), str(c.interviews), key=c.tag)
        self.query_one("#tags-empty").display = not self.counts
        names = [c.tag for c in self.counts]
        if message.tag in names:
            table.move_cursor(row=names.index(message.tag))
        self._show_quotes(message.insights)
        table.focus()

    def _show_quotes(self, insights: list[Any]) -> None:
        self.insights = insights
        self.links = []
        options = self.query_one("#tag-quotes", OptionList)
        options.clear_options()
        for ins in insights:
            who = "added by you" if ins.added_by_user else "model"
            for ev in ins.evidence:
                self.links.append({**ev, "interview_id": ins.interview_id})
                options.add_option(
                    Option(
                        f"[{ins.kind}] {ins.statement} ({who})\n   “{ev['quote']}” — "
                        f"{ins.interview_id}, turn {ev.get('turn')}, {ev['status']}",
                        id=str(len(self.links) - 1),
                    )
                )

    @on(DataTable.RowHighlighted, "#tags")
    def _tag_moved(self, event: DataTable.RowHighlighted) -> None:
        tag = str(event.row_key.value) if event.row_key is not None else None
        if tag and tag != self.current:
            self.current = tag
            self.load(tag)

    @on(OptionList.OptionSelected, "#tag-quotes")
    def _quote_picked(self, event: OptionList.OptionSelected) -> None:
        ev = self.links[int(str(event.option.id))]
        self.post_message(
            OpenTranscript(ev["interview_id"], ev.get("turn"), ev.get("start"), ev.get("end"))
        )

    def action_rename(self) -> None:
        tag = self.selected()
        if tag is None:
            self.notify("No tag selected.", severity="warning")
            return

        def named(new: str | None) -> None:
            if new and new.strip():
                self.change("rename", tag, new)

        self.app.push_screen(EditDialog(f"Rename the tag “{tag}”", tag), named)

    def action_merge(self) -> None:
        tag = self.selected()
        others = [(c.tag, c.tag) for c in self.counts if c.tag != tag]
        if tag is None or not others:
            self.notify("Merging needs two tags.", severity="warning")
            return

        def picked(into: str | None) -> None:
            if into:
                self.change("merge", tag, into)

        self.app.push_screen(ChoiceDialog(f"Merge “{tag}” into…", others), picked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tags-change")
    def change(self, action: str, tag: str, other: str) -> None:
        """Rename or merge through the core, then read the codebook again."""
        from assistant.errors import PersonaError
        from assistant.tags import merge_tags, rename_tag

        ws = Workspace(self.ws.root)
        try:
            done = (
                rename_tag(ws, tag, other) if action == "rename" else merge_tags(ws, [tag], other)
            )
        except PersonaError as exc:
            self.post_message(WorkFailed(f"Not changed: {exc}"))
            return
        finally:
            ws.close()
        verb = "Renamed" if action == "rename" else "Merged"
        self.app.call_from_thread(self.notify, f"{verb} “{tag}” → “{done.tag}”.")
        self.app.call_from_thread(self.load, done.tag)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.notify(message.message, title="Tags", severity="error", timeout=8)
