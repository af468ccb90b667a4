"""Runs: every logged LLM call with tokens, cost, model, status, live or fixture; totals.

Each run's warnings (what a step repaired, left out or could not match) are
counted in its Run column and listed under the table for the highlighted call's run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from assistant.wording import count
from assistant.workspace import Workspace
from tui.widgets.footer import AppFooter

COLUMNS = (
    # (title, width): what matters most comes first, so 80 columns show task to cost
    ("Task", 18),
    ("Model", 16),
    ("Status", 6),
    ("Tokens in", 9),
    ("Tokens out", 10),
    ("Cost", 9),
    ("Source", 7),
    ("Latency", 9),
    ("When", 19),
    ("Run", 28),
)


SHOWN_WARNINGS = 5
"""Warnings listed under the table for the highlighted run (the rest: `persona runs`)."""


@dataclass
class CallsLoaded(Message):
    """The run log was read: calls (oldest first) and run labels."""

    calls: list[dict[str, Any]]
    labels: dict[str, str]
    warnings: dict[str, list[str]]
    """Run id → its warnings as display lines."""


def format_cost(cost: float | None) -> str:
    """``$0.0123`` or ``unknown`` (never 0 for an unknown price)."""
    return "unknown" if cost is None else f"${cost:.4f}"


def totals_line(calls: list[dict[str, Any]]) -> str:
    """Calls, tokens, known cost (+ unknown count), fixture vs live."""
    if not calls:
        return "No LLM calls yet: run analysis in the Library (x)."
    tin = sum(c["input_tokens"] or 0 for c in calls)
    tout = sum(c["output_tokens"] or 0 for c in calls)
    known = [c["cost_usd"] for c in calls if c["cost_usd"] is not None]
    unknown = len(calls) - len(known)
    fixture = sum(bool(c["fixture"]) for c in calls)
    cost = format_cost(sum(known)) if known else "unknown"
    return (
        f"{count(len(calls), 'call')} · tokens {tin:,} in + {tout:,} out · cost {cost}"
        + (f" (+{unknown} of unknown cost)" if unknown and known else "")
        + f" · {fixture} fixture, {len(calls) - fixture} live"
    )


class RunsScreen(Screen[None]):
    """The workspace's LLM call log (the `persona runs` data)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "reload", "Refresh")]
    PALETTE = (("Runs: refresh", "Read the LLM call log again", "reload"),)

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.calls: list[dict[str, Any]] = []
        self.warnings: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="runs-totals")
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Label("", id="run-warnings")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for title, width in COLUMNS:
            table.add_column(title, width=width)
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="runs")
    def load(self) -> None:
        """Read runs and calls through the core's RunLog (as `persona runs` does)."""
        from assistant.llm.runlog import RunLog

        ws = Workspace(self.ws.root)
        try:
            log = RunLog(ws.conn)
            labels = {r["run_id"]: r["label"] for r in log.runs()}
            self.post_message(CallsLoaded(log.calls(), labels, log.warnings_by_run()))
        finally:
            ws.close()

    @on(CallsLoaded)
    def _loaded(self, message: CallsLoaded) -> None:
        self.calls = message.calls
        self.warnings = message.warnings
        table = self.query_one(DataTable)
        table.clear()
        for c in reversed(message.calls):  # newest first
            warned = len(message.warnings.get(c["run_id"], []))
            table.add_row(
                c["task"] + (f" #{c['attempt']}" if c["attempt"] > 1 else ""),
                c["model"],
                c["status"],
                _num(c["input_tokens"]),
                _num(c["output_tokens"]),
                format_cost(c["cost_usd"]),
                "fixture" if c["fixture"] else "live",
                f"{c['latency_ms']:.0f} ms",
                str(c["created_at"])[:19].replace("T", " "),
                f"{c['run_id']} {message.labels.get(c['run_id'], '')}".strip()
                + (f" ⚠ {warned}" if warned else ""),
            )
        shown = {c["run_id"] for c in message.calls}
        n_warnings = sum(len(message.warnings.get(r, [])) for r in shown)
        self.query_one("#runs-totals", Label).update(
            totals_line(message.calls)
            + (f" · {count(n_warnings, 'warning')}" if n_warnings else "")
        )
        self._show_warnings(table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_warnings(event.cursor_row)

    def _show_warnings(self, row: int) -> None:
        """List the warnings of the highlighted call's run under the table (hidden when none)."""
        label = self.query_one("#run-warnings", Label)
        calls = list(reversed(self.calls))
        run_id = calls[row]["run_id"] if 0 <= row < len(calls) else None
        lines = self.warnings.get(run_id, []) if run_id is not None else []
        label.display = bool(lines)
        shown = [f"• {x}" for x in lines[:SHOWN_WARNINGS]]
        if len(lines) > SHOWN_WARNINGS:
            shown.append(f"… {len(lines) - SHOWN_WARNINGS} more: persona runs --run {run_id}")
        label.update(
            f"{count(len(lines), 'warning')} in run {run_id}:\n" + "\n".join(shown) if lines else ""
        )


def _num(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"
