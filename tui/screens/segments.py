"""Segments: a themes × segment heatmap and a segment comparison table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from assistant.workspace import Workspace
from tui.widgets.footer import AppFooter

COMPARISON = (
    "Segment",
    "Accounts",
    "Interviews",
    "Top pain",
    "ARR total",
    "Median tenure",
    "Expanded",
    "Referred",
    "Fit the ICP",
)
_SHADES = ("grey23", "dark_green", "green4", "green3", "bright_green")


@dataclass
class SegmentsLoaded(Message):
    """The segmentation (a Segmentation object) was computed."""

    segmentation: Any


def heat_cell(share: float) -> Text:
    """A heatmap cell: the share of the segment's accounts, shaded by it."""
    shade = _SHADES[min(len(_SHADES) - 1, round(share * (len(_SHADES) - 1)))]
    return Text(f" {share:>4.0%} ", style=f"bold white on {shade}" if share else "dim")


class SegmentsScreen(Screen[None]):
    """Segments side by side (the `persona segments` data)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "reload", "Refresh")]
    PALETTE = (("Segments: refresh", "Compute the segments again", "reload"),)

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.segmentation: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="segments-source")
        yield Label("Segment comparison", classes="section-title")
        yield DataTable(id="segment-table", cursor_type="row", zebra_stripes=True)
        yield Label("Themes × segment (share of the segment's accounts)", classes="section-title")
        yield DataTable(id="heatmap", cursor_type="cell")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#segment-table", DataTable).add_columns(*COMPARISON)
        self.query_one("#segment-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="segments")
    def load(self) -> None:
        """Compute the segments through the core (as `persona segments` does)."""
        from assistant.segments import compute_segments

        ws = Workspace(self.ws.root)
        try:
            self.post_message(SegmentsLoaded(compute_segments(ws)))
        finally:
            ws.close()

    @on(SegmentsLoaded)
    def _loaded(self, message: SegmentsLoaded) -> None:
        from assistant.segments import theme_heatmap

        seg = self.segmentation = message.segmentation
        source = {
            "user": "Segments given by the user (segment: metadata or tags).",
            "proposed": "Segments proposed from shared verified themes and firmographics.",
            "none": "No interviews yet.",
        }[seg.source]
        home = seg.icp_home()
        if home:
            source += f" The ICP sits in {home}."
        if seg.warnings:
            source += " ⚠ " + "; ".join(seg.warnings)
        self.query_one("#segments-source", Label).update(source)
        table = self.query_one("#segment-table", DataTable)
        table.clear()
        for s in seg.segments:
            m = s.value_metrics()
            tenure = m["tenure_months_median"]
            table.add_row(
                s.name,
                str(len(s.accounts)),
                str(len(s.interviews)),
                f"{s.pains[0].label} ({s.pains[0].accounts}/{len(s.accounts)})" if s.pains else "—",
                "—" if m["arr_total"] is None else f"${m['arr_total']:,.0f}",
                "—" if tenure is None else f"{tenure:g} mo",
                f"{m['expanded']}/{m['accounts_with_metrics']}",
                f"{m['referred']}/{m['accounts_with_metrics']}",
                "—" if s.fit is None else f"{s.fit[0]} of {s.fit[1]}",
            )
        names, rows = theme_heatmap(seg)
        heat = self.query_one("#heatmap", DataTable)
        heat.clear(columns=True)
        heat.add_columns("Theme", *names)
        for label, shares in rows:
            heat.add_row(label, *[heat_cell(v) for v in shares])
