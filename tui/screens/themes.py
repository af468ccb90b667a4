"""Themes: themes by kind with interview counts, the saturation curve, quotes by interview.

Left, the themes grouped by kind (``enter`` opens a theme's quotes by
interview, from where ``t`` jumps to the transcript); right, a bar chart of
interviews per theme and the saturation curve: new themes per interview in
date order, with the running total. ``g`` regenerates the themes. The
highlighted theme can be approved (``v``), rejected (``x``), put back to draft
(``u``), renamed (``e``), merged into another (``c``) or have insights moved to
another theme or a new one (``o``); the core keeps each edit across re-runs.
``/`` filters by a tag: only themes with an insight the tag marks stay
(:func:`assistant.selection.tag_marks`); Esc clears the filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label
from textual_plotext import PlotextPlot

from assistant import review
from assistant.errors import UsageError
from assistant.review import ReviewItem
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import ItemChanged, ItemsLoaded, ItemsRegenerated, ReviewFailed
from tui.widgets.dialogs import ConfirmDialog, EditDialog
from tui.widgets.editor import STATUS_STYLE, app_settings, failure
from tui.widgets.footer import AppFooter
from tui.widgets.generators import Generator, find_generator, regeneration_estimate
from tui.widgets.pickers import ChoiceDialog, PickManyDialog
from tui.widgets.tag_filter import TagFilter, TagFiltered
from tui.widgets.theme_quotes import ThemeQuotesScreen
from tui.widgets.theme_stats import SaturationPoint, ThemeSummary, saturation

NEW_THEME = "__new_theme__"
EMPTY = "No themes yet: run the analysis from the Library, or press g to generate them."


@dataclass
class EditRequest:
    """One theme edit the user asked for (what the worker passes to the core)."""

    action: str
    item: ReviewItem
    target: str | None = None
    title: str | None = None
    ids: list[str] = field(default_factory=list)
    confirmed: bool = False


@dataclass
class ThemeData:
    """What the screen shows: themes (by kind, most interviews first) and saturation."""

    themes: list[ThemeSummary] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    curve: list[SaturationPoint] = field(default_factory=list)
    tag: str | None = None
    hidden: int = 0
    """Themes the tag filter hides."""


def load_themes(ws: Workspace, tag: str | None = None) -> ThemeData:
    """Theme items of the last run (all when unknown), interview date order, saturation;
    with ``tag``, only the themes holding an insight the tag marks."""
    from assistant.generate.common import date_order, interview_infos
    from assistant.generate.themes import current_theme_keys

    items = review.list_items(ws, "theme")
    keys = set(current_theme_keys(ws))
    if keys:
        items = [i for i in items if i.key in keys]
    hidden = 0
    if tag:
        from assistant.selection import tag_marks

        shown = tag_marks(ws, tag).items(items)
        hidden, items = len(items) - len(shown), shown
    themes = sorted(
        (ThemeSummary.of(i) for i in items),
        key=lambda t: (t.kind, -len(t.interviews), t.item.title.casefold()),
    )
    infos = interview_infos(ws)
    order = date_order(infos)
    dates = {iid: (d.isoformat() if (d := info.date) else None) for iid, info in infos.items()}
    return ThemeData(themes, order, saturation(themes, order, dates), tag, hidden)


class ThemesScreen(TagFiltered, Screen[None]):
    """Browse themes, their spread across interviews, and saturation."""

    TITLE = "Themes"
    PALETTE = (
        ("Themes: read quotes", "Open the selected theme's quotes by interview", "open_theme"),
        ("Themes: regenerate", "Cluster and name the themes again", "regenerate"),
        ("Themes: reload", "Read the themes again", "reload"),
        ("Themes: approve", "Approve the selected theme", "approve"),
        ("Themes: reject", "Reject the selected theme", "reject"),
        ("Themes: back to draft", "Move the selected theme back to draft", "unapprove"),
        ("Themes: rename", "Give the selected theme your name", "rename"),
        ("Themes: merge", "Merge the selected theme into another", "merge"),
        ("Themes: move or split", "Move insights to another theme or a new one", "move"),
        ("Themes: tag filter", "Show only the themes a tag marks", "tag_filter"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_theme", "Quotes"),
        Binding("v", "approve", "Approve"),
        Binding("x", "reject", "Reject"),
        Binding("u", "unapprove", "Back to draft"),
        Binding("e", "rename", "Rename"),
        Binding("c", "merge", "Merge into…"),
        Binding("o", "move", "Move/split"),
        Binding("g", "regenerate", "Regenerate"),
        Binding("slash", "tag_filter", "Tag filter"),
        Binding("escape", "clear_tag_filter", "Clear tag filter", show=False),
        Binding("f5", "reload", "Reload"),
    ]

    DEFAULT_CSS = """
    ThemesScreen #themes { width: 1fr; min-width: 30; max-width: 80; }
    ThemesScreen #charts { width: 1fr; }
    ThemesScreen PlotextPlot { height: 1fr; }
    ThemesScreen #legend { padding: 0 1; color: $text-muted; }
    ThemesScreen #empty { padding: 1 2; color: $text-muted; display: none; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.data = ThemeData()

    def compose(self) -> ComposeResult:
        yield Header()
        yield TagFilter()
        yield Label(EMPTY, id="empty")
        with Horizontal():
            yield DataTable(id="themes", cursor_type="row", zebra_stripes=True)
            with Vertical(id="charts"):
                yield Label("enter opens a theme's quotes by interview", id="legend")
                yield PlotextPlot(id="theme-bars")
                yield PlotextPlot(id="saturation")
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="themes-load")
    def load(self) -> None:
        """Read the themes (those the tag filter keeps) and compute the saturation curve."""
        tag = self.query_one(TagFilter).tag
        try:
            data = load_themes(self.ws, tag)
            self.post_message(ItemsLoaded([t.item for t in data.themes], data))
        except UsageError as exc:  # a tag nothing carries: say so, show every theme
            self.post_message(ReviewFailed(str(exc)))
            self.app.call_from_thread(setattr, self.query_one(TagFilter), "tag", None)
            data = load_themes(self.ws)
            self.post_message(ItemsLoaded([t.item for t in data.themes], data))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Loading themes", exc)))

    def on_items_loaded(self, message: ItemsLoaded) -> None:
        self.data = message.extra
        table = self.query_one("#themes", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("kind", key="kind", width=12)
        table.add_column("theme", key="theme", width=44)
        table.add_column("int.", key="interviews", width=4)
        table.add_column("status", key="status", width=8)
        kind = None
        for theme in self.data.themes:
            item = theme.item
            table.add_row(
                Text(theme.kind if theme.kind != kind else "", style="bold"),
                item.title,
                str(len(theme.interviews)),
                Text(item.status, style=STATUS_STYLE.get(item.status, "bold white on red")),
                key=item.id,
            )
            kind = theme.kind
        empty = self.query_one("#empty", Label)
        empty.display = not self.data.themes
        empty.update(
            f"No theme holds an insight tagged {self.data.tag}: Esc clears the filter."
            if self.data.tag
            else EMPTY
        )
        legend = "enter opens a theme's quotes by interview"
        if self.data.tag:
            legend = (
                f"tag {self.data.tag}: {self.data.hidden} theme"
                f"{'s' * (self.data.hidden != 1)} without it hidden (Esc clears)"
            )
        self.query_one("#legend", Label).update(legend)
        if self.data.themes:
            table.move_cursor(row=min(row, len(self.data.themes) - 1))
        table.focus()
        self._draw()

    def _draw(self) -> None:
        """Draw the bar chart and the saturation curve."""
        bars = self.query_one("#theme-bars", PlotextPlot)
        plt = bars.plt
        plt.clear_figure()
        themes = list(reversed(self.data.themes))  # plotext draws horizontal bars bottom-up
        if themes:
            labels = [f"{t.kind[:4]}·{t.item.title[:22]}" for t in themes]
            plt.bar(
                labels, [len(t.interviews) for t in themes], orientation="horizontal", width=0.3
            )
        plt.title("Interviews per theme")
        bars.refresh()
        sat = self.query_one("#saturation", PlotextPlot)
        plt = sat.plt
        plt.clear_figure()
        curve = self.data.curve
        if curve:
            xs: list[float] = [float(x) for x in range(1, len(curve) + 1)]
            plt.bar(xs, [p.new_themes for p in curve], label="new", width=0.3)
            plt.plot(xs, [p.total_themes for p in curve], label="total", marker="dot")
            plt.xticks(xs, [str(int(x)) for x in xs])
        plt.title("Saturation: new themes per interview (date order)")
        sat.refresh()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_theme()

    def action_open_theme(self) -> None:
        """Open the highlighted theme's quotes."""
        table = self.query_one("#themes", DataTable)
        if not self.data.themes:
            self.notify("No themes yet: run the analysis first.", severity="warning")
            return
        theme = self.data.themes[min(table.cursor_row, len(self.data.themes) - 1)]
        self.app.push_screen(ThemeQuotesScreen(theme.item, self.data.order))

    def action_regenerate(self) -> None:
        self.estimate_then_regenerate()

    @work(thread=True, exclusive=True, exit_on_error=False, group="themes-generate")
    def estimate_then_regenerate(self) -> None:
        """Show the estimate of regenerating the themes and run only on yes."""
        try:
            embedder = getattr(self.app, "embedder", None)
            lines = regeneration_estimate(self.ws, app_settings(self.app), "theme", embedder)
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Theme generation", exc)))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.notify("Regenerating themes… (this may call the model)")
                self.regenerate(find_generator("theme"))
            else:
                self.notify("Themes not regenerated: nothing was sent.")

        dialog = ConfirmDialog("Regenerate themes: estimate", lines, "Regenerate?")
        self.app.call_from_thread(self.app.push_screen, dialog, answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="themes-generate")
    def regenerate(self, generator: Generator) -> None:
        try:
            generator(self.ws, app_settings(self.app))
            self.post_message(ItemsRegenerated())
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Theme generation", exc)))

    def on_items_regenerated(self, message: ItemsRegenerated) -> None:
        self.notify("Themes regenerated; open a theme to review it.")
        self.load()

    def on_review_failed(self, message: ReviewFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)

    # ------------------------------------------------------------ edits

    def _selected(self) -> ThemeSummary | None:
        if not self.data.themes:
            self.notify("No themes yet: run the analysis first.", severity="warning")
            return None
        table = self.query_one("#themes", DataTable)
        return self.data.themes[min(table.cursor_row, len(self.data.themes) - 1)]

    def _same_kind(self, theme: ThemeSummary) -> list[tuple[str, str]]:
        return [
            (t.item.id, t.item.title)
            for t in self.data.themes
            if t.kind == theme.kind and t.item.id != theme.item.id
        ]

    def action_approve(self) -> None:
        if (theme := self._selected()) is not None:
            self.edit(EditRequest("approve", theme.item))

    def action_reject(self) -> None:
        if (theme := self._selected()) is not None:
            self.edit(EditRequest("reject", theme.item))

    def action_unapprove(self) -> None:
        if (theme := self._selected()) is not None:
            self.edit(EditRequest("draft", theme.item))

    def action_rename(self) -> None:
        theme = self._selected()
        if theme is None:
            return

        def named(title: str | None) -> None:
            if title and title.strip():
                self.edit(EditRequest("rename", theme.item, title=title))

        self.app.push_screen(
            EditDialog("Rename the theme (re-runs keep it)", theme.item.title), named
        )

    def action_merge(self) -> None:
        theme = self._selected()
        if theme is None:
            return
        others = self._same_kind(theme)
        if not others:
            self.notify(f"No other {theme.kind} theme to merge “{theme.item.title}” into.")
            return

        def picked(target: str | None) -> None:
            if target:
                self.edit(EditRequest("merge", theme.item, target=target))

        self.app.push_screen(ChoiceDialog(f"Merge “{theme.item.title}” into…", others), picked)

    def action_move(self) -> None:
        """Pick insights of the theme, then where they go: another theme or a new one."""
        from assistant.generate.theme_edits import members

        theme = self._selected()
        if theme is None:
            return
        statements = {
            e.insight_id: c.text
            for c in theme.item.fields.get("insights", [])
            for e in c.evidence
            if e.insight_id
        }
        choices = [(i, f"{statements.get(i, i)}  ({i})") for i in members(theme.item)]

        def targets(ids: list[str] | None) -> None:
            if not ids:
                return
            options = [*self._same_kind(theme), (NEW_THEME, "A new theme (split)…")]

            def named(title: str | None) -> None:
                if title and title.strip():
                    self.edit(EditRequest("split", theme.item, ids=ids, title=title))

            def chosen(target: str | None) -> None:
                if target == NEW_THEME:
                    dialog = EditDialog("Name the new theme", placeholder="theme name")
                    self.app.push_screen(dialog, named)
                elif target:
                    self.edit(EditRequest("move", theme.item, ids=ids, target=target))

            self.app.push_screen(ChoiceDialog("Move them to…", options), chosen)

        self.app.push_screen(
            PickManyDialog(f"Insights of “{theme.item.title}” to move", choices), targets
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="themes-edit")
    def edit(self, request: EditRequest) -> None:
        """Run one theme edit in the core; a refused approval asks, then retries."""
        from assistant.generate.theme_edits import merge_themes, move_insights

        item, version = request.item, request.item.version
        try:
            if request.action in ("approve", "reject", "draft"):
                status = {"approve": "approved", "reject": "rejected", "draft": "draft"}
                done = review.set_status(
                    self.ws,
                    item.id,
                    status[request.action],  # type: ignore[arg-type]
                    allow_assumptions=request.confirmed,
                    expected_version=version,
                )
                note = f"{done.title}: {done.status}."
            elif request.action == "rename":
                done = review.rename_item(
                    self.ws, item.id, request.title or "", expected_version=version
                )
                note = f"Renamed to “{done.title}”; re-runs keep it."
            elif request.action == "merge":
                done = merge_themes(
                    self.ws, item.id, request.target or "", expected_version=version
                )
                note = f"Merged “{item.title}” into “{done.title}”; re-runs keep it."
            else:
                _, done = move_insights(
                    self.ws,
                    item.id,
                    request.ids,
                    target=request.target,
                    title=request.title,
                    expected_version=version,
                )
                n = len(request.ids)
                note = f"Moved {count(n, 'insight')} to “{done.title}”; re-runs keep it."
            self.post_message(ItemChanged(done, note))
        except review.AssumptionsRemainError as exc:
            self.app.call_from_thread(self._confirm_approval, request, str(exc))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Editing the theme", exc)))

    def _confirm_approval(self, request: EditRequest, why: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(replace(request, confirmed=True))

        self.app.push_screen(ConfirmDialog("Approve", [why], "Approve anyway?"), answered)

    def on_item_changed(self, message: ItemChanged) -> None:
        if message.note:
            self.notify(message.note)
        self.load()
