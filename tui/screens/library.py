"""Library: the interviews table, filter as you type, add files, run analysis, cancel."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Label, Static
from textual.worker import Worker, get_current_worker

from assistant.library.overview import LibraryRow, filter_rows, load_rows
from assistant.llm.runlog import spend_since
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import JobFinished, JobProgress, JobStage, RowsLoaded, SpeakersToCheck
from tui.screens import apply_cursor_blink
from tui.widgets.footer import AppFooter
from tui.widgets.jobbar import JobBar
from tui.widgets.path_suggester import PathSuggester
from tui.workers import (
    JobCancelled,
    analysis_job,
    analysis_summary,
    ingest_job,
    ingest_summary,
    pipeline_job,
)

if TYPE_CHECKING:
    from tui.app import PersonaApp

FILTER_DEBOUNCE_S = 0.12
"""Refilter this long after the last key press."""

COLUMNS = (
    # (title, key, width, priority): narrow terminals drop the highest priority numbers first
    ("Title", "title", 20, 0),
    ("Company", "company", 14, 1),
    ("Participant", "participant", 16, 6),
    ("DMU role", "dmu_role", 15, 3),
    ("Date", "date", 10, 7),
    ("Format", "format", 8, 8),
    ("Status", "status", 11, 2),
    ("✓", "verified", 3, 4),
    ("✗", "unverified", 3, 5),
)
TITLE_MAX = 56
"""The title column grows up to this width when the terminal has room."""


def visible_columns(width: int) -> tuple[list[str], int]:
    """The column keys that fit ``width`` cells (by priority) and the title's width."""
    used = COLUMNS[0][2] + 2
    keep = {"title"}
    for _, key, w, _ in sorted(COLUMNS[1:], key=lambda c: c[3]):
        if used + w + 2 <= width:
            keep.add(key)
            used += w + 2
    title = min(TITLE_MAX, COLUMNS[0][2] + width - used)
    return [key for _, key, _, _ in COLUMNS if key in keep], title


class LibraryScreen(Screen[None]):
    """Every interview of the workspace, with the jobs that fill it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("o", "add_files", "Add files"),
        Binding("x", "run_analysis", "Run analysis"),
        Binding("c", "cancel_job", "Cancel job"),
        Binding("k", "check_speakers", "Speaker check"),
        Binding("g", "reload", "Refresh", show=False),
        Binding("escape", "escape", "Back to table", show=False),
    ]
    PALETTE = (
        ("Library: filter", "Type to filter the interviews", "focus_filter"),
        ("Library: add files…", "Ingest files or folders (path with completion)", "add_files"),
        ("Library: run analysis", "Extract insights of interviews that need it", "run_analysis"),
        ("Library: cancel job", "Stop the running ingest or analysis", "cancel_job"),
        ("Library: refresh", "Read the interviews again", "reload"),
        ("Library: open interview", "Open the selected interview", "open_selected"),
        (
            "Library: speaker check",
            "Fix who is who in interviews whose speakers are unsure",
            "check_speakers",
        ),
    )

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.rows: list[LibraryRow] = []
        self.shown: list[LibraryRow] = []
        self.job: Worker[None] | None = None
        self.job_kind = ""
        self._filter_timer: Timer | None = None
        self.columns: tuple[list[str], int] = ([], 0)

    @property
    def persona_app(self) -> PersonaApp:
        from tui.app import PersonaApp

        assert isinstance(self.app, PersonaApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        if getattr(self.app, "demo", False):
            from tui.app import DEMO_NOTE

            yield Static(DEMO_NOTE, id="demo-note", classes="banner")
        yield Input(
            placeholder="Filter interviews (/): company, person, role, status…", id="filter"
        )
        yield Label("", id="speaker-check", classes="banner -hidden")
        yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
        yield Label("", id="library-empty")
        yield Input(
            placeholder="Path of a file or folder to ingest; Tab completes, Enter ingests, Esc closes",
            id="add-path",
            suggester=PathSuggester(),
            classes="-hidden",
        )
        yield JobBar(id="jobbar")
        yield AppFooter()

    def on_mount(self) -> None:
        apply_cursor_blink(self)
        table = self.query_one(DataTable)
        self._set_columns(table)
        table.focus()
        app = self.persona_app
        if app.demo and app.autorun and not self._has_interviews():
            self.start_job("demo")

    def _has_interviews(self) -> bool:
        from assistant.library import interview_ids

        return bool(interview_ids(self.ws))

    # ------------------------------------------------------------------ rows

    @work(thread=True, exclusive=True, exit_on_error=False, group="rows")
    def load_rows(self) -> None:
        """Read the rows with a private connection and post them."""
        from assistant.library.speaker_listing import needing_review

        ws = Workspace(self.ws.root)
        try:
            self.post_message(RowsLoaded(list(load_rows(ws.conn))))
            self.post_message(SpeakersToCheck(len(needing_review(ws))))
        finally:
            ws.close()

    @on(SpeakersToCheck)
    def _speakers_to_check(self, message: SpeakersToCheck) -> None:
        banner = self.query_one("#speaker-check", Label)
        n = message.count
        banner.set_class(n == 0, "-hidden")
        word = "interview needs" if n == 1 else "interviews need"
        banner.update(f"{n} {word} a speaker check: press k")

    def action_check_speakers(self) -> None:
        """Open the speaker check screen."""
        from tui.screens.speakers import SpeakerCheckScreen

        self.app.push_screen(SpeakerCheckScreen(self.ws))

    @on(RowsLoaded)
    def _rows_loaded(self, message: RowsLoaded) -> None:
        self.rows = [r for r in message.rows if isinstance(r, LibraryRow)]
        self.apply_filter(force=True)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        # Typing stays responsive: refilter once the keys pause, not on every key.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE_S, self.apply_filter)

    def apply_filter(self, force: bool = False) -> None:
        """Show the rows matching the filter text, keeping the cursor on the same interview.

        The table is rebuilt only when the matching rows changed (rebuilding
        measures every cell, which is what costs time on thousands of rows).
        """
        self._filter_timer = None
        table = self.query_one(DataTable)
        current = self.selected_id()
        shown = filter_rows(self.rows, self.query_one("#filter", Input).value)
        if force or [r.id for r in shown] != [r.id for r in self.shown]:
            self.shown = shown
            self._fill_table(table, current)
        self._update_count()

    def _set_columns(self, table: DataTable[Any]) -> bool:
        """Show the columns that fit the table's width; True when they changed."""
        width = (table.size.width or self.app.size.width) - 2  # the scrollbar
        columns = visible_columns(width)
        if columns == self.columns:
            return False
        self.columns = columns
        keys, title_width = columns
        table.clear(columns=True)
        for title, key, w, _ in COLUMNS:
            if key in keys:
                table.add_column(title, key=key, width=title_width if key == "title" else w)
        return True

    def on_resize(self) -> None:
        """Collapse or restore columns when the terminal changes size."""
        table = self.query_one(DataTable)
        if self._set_columns(table):
            self._fill_table(table, self.selected_id())

    def _fill_table(self, table: DataTable[Any], current: str | None) -> None:
        """Replace the table's rows with :attr:`shown`."""
        table.clear()
        keys, title_width = self.columns
        rows = []
        for r in self.shown:
            cells = {
                "title": _clip(r.title, title_width),
                "company": r.company,
                "participant": r.participant,
                "dmu_role": r.dmu_role,
                "date": r.date,
                "format": r.format,
                "status": _status(r.status),
                "verified": r.verified,
                "unverified": r.unverified,
            }
            rows.append([cells[k] for k in keys])
        table.add_rows(rows)
        ids = [r.id for r in self.shown]
        if current in ids:
            table.move_cursor(row=ids.index(current))

    def _update_count(self) -> None:
        """The line under the table: counts, or what to do when nothing shows."""
        empty = self.query_one("#library-empty", Label)
        if not self.rows:
            empty.update("No interviews yet: press o to add files or folders.")
        elif not self.shown:
            empty.update("No interview matches the filter (Esc clears it).")
        else:
            empty.update(f"{len(self.shown)} of {count(len(self.rows), 'interview')}")

    def selected_id(self) -> str | None:
        """The interview under the table cursor."""
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row].id

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open_selected()

    def action_open_selected(self) -> None:
        """Open the interview under the cursor."""
        iid = self.selected_id()
        if iid is None:
            self.notify("No interview selected: add files with o.", severity="warning")
            return
        from tui.screens.interview import InterviewScreen

        self.app.push_screen(InterviewScreen(self.ws, iid))

    def action_reload(self) -> None:
        self.load_rows()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_escape(self) -> None:
        """Close the path box, clear the filter, or cancel; then focus the table."""
        add = self.query_one("#add-path", Input)
        flt = self.query_one("#filter", Input)
        if not add.has_class("-hidden"):
            add.add_class("-hidden")
        elif flt.has_focus and flt.value:
            flt.value = ""
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        """Read the rows when shown (first time included): jobs or reviews may have changed them."""
        self.load_rows()

    # ------------------------------------------------------------------ jobs

    def action_add_files(self) -> None:
        add = self.query_one("#add-path", Input)
        add.remove_class("-hidden")
        if not add.value:
            add.value = str(Path.cwd()) + "/"
        add.focus()

    @on(Input.Submitted, "#add-path")
    def _add_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path:
            return
        if not Path(path).expanduser().exists():
            self.notify(f"{path} does not exist: check the path (Tab completes).", severity="error")
            return
        event.input.add_class("-hidden")
        self.query_one(DataTable).focus()
        self.start_job("ingest", [str(Path(path).expanduser())])

    def action_run_analysis(self) -> None:
        if not self.rows:
            self.notify("Nothing to analyse: add interviews first (o).", severity="warning")
            return
        if self.job is not None and not self.job.is_finished:
            self.notify("A job is already running: wait, or cancel it with c.", severity="warning")
            return
        self.estimate_then_ask()

    @work(thread=True, exclusive=True, exit_on_error=False, group="estimate")
    def estimate_then_ask(self) -> None:
        """Estimate the run (offline), show it, and start only on yes."""
        from assistant.errors import PersonaError
        from assistant.generate import estimate_analysis
        from assistant.llm.budget import estimate_lines
        from tui.widgets.dialogs import ConfirmDialog

        app = self.persona_app
        ws = Workspace(self.ws.root)
        try:
            est = estimate_analysis(ws, app.settings, pipeline=app.pipeline, embedder=app.embedder)
        except PersonaError as exc:
            self.app.call_from_thread(self.notify, f"Cannot estimate: {exc}", severity="error")
            return
        finally:
            ws.close()
        if est.calls == 0:
            self.app.call_from_thread(self.notify, "Everything is current: nothing to send.")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.start_job("analysis")
            else:
                self.notify("Analysis not started: nothing was sent.")

        dialog = ConfirmDialog("Run analysis: estimate", estimate_lines(est), "Start?")
        self.app.call_from_thread(self.app.push_screen, dialog, answered)

    def action_cancel_job(self) -> None:
        if self.job is None or self.job.is_finished:
            self.notify("No job is running.")
            return
        self.job.cancel()
        self.query_one(JobBar).stage("Cancelling after the item in progress…")

    def start_job(self, kind: str, paths: list[str] | None = None) -> None:
        """Start ingest, analysis or the demo pipeline (one job at a time)."""
        if self.job is not None and not self.job.is_finished:
            self.notify("A job is already running: wait, or cancel it with c.", severity="warning")
            return
        self.job_kind = kind
        label = {"ingest": "Ingesting", "analysis": "Analysing", "demo": "Demo: ingesting"}[kind]
        phase = "reading the interviews…" if kind == "analysis" else "loading the embedding model…"
        self.query_one(JobBar).start(label, phase)
        self.job = self.run_job(kind, paths or [])

    @work(thread=True, exclusive=True, exit_on_error=False, group="job")
    def run_job(self, kind: str, paths: list[str]) -> None:
        """The job body: core calls with a private workspace handle, progress as messages."""
        from assistant.db import now_iso
        from assistant.errors import PersonaError

        worker = get_current_worker()
        app = self.persona_app
        ws = Workspace(self.ws.root)
        started, since = time.monotonic(), now_iso()
        progress: dict[str, int] = {"done": 0}

        def report(done: int, total: int, item: str) -> None:
            progress["done"] = done
            spend, unknown = spend_since(ws.conn, since) if kind != "ingest" else (None, 0)
            elapsed = time.monotonic() - started
            self.post_message(JobProgress(kind, done, total, item, elapsed, spend, unknown))

        def cancelled() -> bool:
            return worker.is_cancelled

        try:
            if kind == "ingest":
                out = ingest_job(ws, paths, report, cancelled, app.embedder)
                summary = ingest_summary(out)
            elif kind == "analysis":
                out = analysis_job(ws, app.settings, report, cancelled, embedder=app.embedder)
                summary = analysis_summary(out)
            else:
                out = ingest_job(ws, [ws.root / "interviews"], report, cancelled, app.embedder)
                self.post_message(JobStage(kind, "Demo: extracting (replayed fixtures)"))
                started = time.monotonic()
                out2 = analysis_job(ws, app.settings, report, cancelled, embedder=app.embedder)
                out.failed += out2.failed
                summary = ingest_summary(out) + "; " + analysis_summary(out2)
            pipeline_failed = False
            if kind != "ingest" and not out.failed and app.pipeline:
                line, pipeline_failed = self._pipeline(ws, report, cancelled)
                summary += line
            status = "failed" if out.failed or pipeline_failed else "ok"
            if out.failed:
                summary += ". Failed: " + "; ".join(out.failed[:3])
            self.post_message(JobFinished(kind, status, summary))
        except JobCancelled:
            self.post_message(
                JobFinished(
                    kind,
                    "cancelled",
                    f"{kind} cancelled after {count(progress['done'], 'item')}; finished items are kept, "
                    "start it again to continue",
                )
            )
        except PersonaError as exc:
            self.post_message(JobFinished(kind, "failed", str(exc)))
        except Exception as exc:
            self.post_message(
                JobFinished(
                    kind,
                    "failed",
                    f"unexpected {type(exc).__name__}: {exc}. Run `persona doctor` to check the set-up.",
                )
            )
        finally:
            ws.close()

    def _pipeline(self, ws: Workspace, report: Any, cancelled: Any) -> tuple[str, bool]:
        """Run the later analysis steps: (summary line, whether they failed); extraction is
        kept either way."""
        from assistant.errors import PersonaError

        self.post_message(JobStage(self.job_kind, "Themes, personas, ICP, messaging"))
        try:
            line = pipeline_job(
                ws, self.persona_app.settings, report, cancelled, self.persona_app.embedder
            )
        except PersonaError as exc:
            return f". Extraction is done, but the next steps failed: {exc}", True
        return f"; {line}", False

    @on(JobProgress)
    def _job_progress(self, message: JobProgress) -> None:
        self.query_one(JobBar).update_progress(message)

    @on(JobStage)
    def _job_stage(self, message: JobStage) -> None:
        self.query_one(JobBar).stage(message.label)
        self.load_rows()

    @on(JobFinished)
    def _job_finished(self, message: JobFinished) -> None:
        severity: Any = {"ok": "information", "cancelled": "warning"}.get(message.status, "error")
        title = {"ok": "Done", "cancelled": "Cancelled"}.get(message.status, "Failed")
        self.query_one(JobBar).finish(f"{message.job.capitalize()}: {title}", message.status)
        self.notify(
            message.summary,
            title=f"{message.job.capitalize()}: {title}",
            severity=severity,
            timeout=8,
        )
        self.load_rows()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _status(status: str) -> str:
    return {"extracted": "✓ extracted", "failed": "✗ failed"}.get(status, status)
