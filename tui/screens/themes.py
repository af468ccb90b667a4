"""Themes: themes by kind with interview counts, the saturation curve, quotes by interview.

Left, the themes grouped by kind (``enter`` opens a theme's quotes by
interview, from where ``t`` jumps to the transcript); right, a bar chart of
interviews per theme and the saturation curve: new themes per interview in
date order, with the running total. ``g`` regenerates the themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from assistant.workspace import Workspace
from tui.messages import ItemsLoaded, ItemsRegenerated, ReviewFailed
from tui.widgets.editor import STATUS_STYLE, app_settings, failure
from tui.widgets.footer import AppFooter
from tui.widgets.generators import Generator, find_generator
from tui.widgets.theme_quotes import ThemeQuotesScreen
from tui.widgets.theme_stats import SaturationPoint, ThemeSummary, saturation


@dataclass
class ThemeData:
    """What the screen shows: themes (by kind, most interviews first) and saturation."""

    themes: list[ThemeSummary] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    curve: list[SaturationPoint] = field(default_factory=list)


def load_themes(ws: Workspace) -> ThemeData:
    """Theme items of the last run (all when unknown), interview date order, saturation."""
    from assistant.generate.common import date_order, interview_infos
    from assistant.generate.themes import current_theme_keys

    items = review.list_items(ws, "theme")
    keys = set(current_theme_keys(ws))
    if keys:
        items = [i for i in items if i.key in keys]
    themes = sorted(
        (ThemeSummary.of(i) for i in items),
        key=lambda t: (t.kind, -len(t.interviews), t.item.title.casefold()),
    )
    infos = interview_infos(ws)
    order = date_order(infos)
    dates = {iid: (d.isoformat() if (d := info.date) else None) for iid, info in infos.items()}
    return ThemeData(themes, order, saturation(themes, order, dates))


class ThemesScreen(Screen[None]):
    """Browse themes, their spread across interviews, and saturation."""

    TITLE = "Themes"
    PALETTE = (
        ("Themes: read quotes", "Open the selected theme's quotes by interview", "open_theme"),
        ("Themes: regenerate", "Cluster and name the themes again", "regenerate"),
        ("Themes: reload", "Read the themes again", "reload"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_theme", "Quotes"),
        Binding("g", "regenerate", "Regenerate"),
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
        yield Label(
            "No themes yet: run the analysis from the Library, or press g to generate them.",
            id="empty",
        )
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
        """Read the themes and compute the saturation curve."""
        try:
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
        self.query_one("#empty").display = not self.data.themes
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
        self.notify("Regenerating themes… (this may call the model)")
        self.regenerate(find_generator("theme"))

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
