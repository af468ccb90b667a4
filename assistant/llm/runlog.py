"""The call log: every LLM attempt — retries, re-asks and failures included — in SQLite.

Tables (migration 2 in :mod:`assistant.db`): ``runs`` (one row per batch or
command) and ``llm_calls`` (one row per HTTP attempt); ``run_warnings``
(migration 12) holds each run's :class:`RunWarning` s. ``cost_usd`` is NULL
when the model's price is unknown, never 0 in its place. ``fixture`` is 1 when
the response was replayed from a cassette. Nothing secret is ever written.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assistant.db import now_iso, transaction
from assistant.secrets import scrub

INTERRUPTED = "interrupted"
"""Status of a run whose process ended (killed, Ctrl-C) before it could close the run."""


@dataclass(frozen=True)
class CallRecord:
    """One attempt at one LLM call."""

    run_id: str
    task: str
    model: str
    prompt_file: str
    prompt_version: str
    input_hash: str
    fixture_key: str
    attempt: int
    method: str
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    latency_ms: float
    status: str
    error: str | None
    fixture: bool


@dataclass(frozen=True)
class RunWarning:
    """Something a step repaired, left out or could not match; shown, never silent.

    ``incomplete``: the step's output misses something it asked the model for
    (an unnamed theme, a role without messaging), so the step is not recorded
    as done and a re-run retries it.
    """

    step: str
    message: str
    subject: str | None = None
    """What it is about: an interview id, a theme or persona key (None: the whole step)."""
    incomplete: bool = False

    def __str__(self) -> str:
        return f"{self.step}: {self.subject + ': ' if self.subject else ''}{self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "subject": self.subject,
            "message": self.message,
            "incomplete": self.incomplete,
        }


def warning_line(row: dict[str, Any]) -> str:
    """A kept warning (a :meth:`RunLog.warnings` row) as one line, as `persona runs` prints it."""
    subject = f"{row['subject']}: " if row.get("subject") else ""
    more = " (incomplete: a re-run retries it)" if row.get("incomplete") else ""
    return f"{row['step']}: {subject}{row['message']}{more}"


def step_warnings(
    step: str, subject: str | None, messages: Iterable[str], *, incomplete: bool = False
) -> list[RunWarning]:
    """One :class:`RunWarning` per message (each once, in order)."""
    return [RunWarning(step, m, subject, incomplete) for m in dict.fromkeys(messages)]


class RunLog:
    """Writes and reads runs and calls in a workspace database connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def start_run(
        self, label: str, *, budget_usd: float | None = None, est_cost_usd: float | None = None
    ) -> str:
        """Open a run and return its id (a short random hex string)."""
        run_id = uuid.uuid4().hex[:12]
        self.conn.execute(
            "INSERT INTO runs(id, label, started_at, status, budget_usd, est_cost_usd, pid) "
            "VALUES (?, ?, ?, 'running', ?, ?, ?)",
            (run_id, label, now_iso(), budget_usd, est_cost_usd, os.getpid()),
        )
        return run_id

    def ensure_run(self, run_id: str, label: str) -> None:
        """Create the run row if a caller supplied its own id."""
        self.conn.execute(
            "INSERT OR IGNORE INTO runs(id, label, started_at, status, pid)"
            " VALUES (?, ?, ?, 'running', ?)",
            (run_id, label, now_iso(), os.getpid()),
        )

    def finish_run(self, run_id: str, status: str, note: str | None = None) -> None:
        """Close a run: ``ok``, ``partial``, ``failed``, ``refused`` / ``stopped`` (budget)
        or ``interrupted``; the note is scrubbed of secrets."""
        self.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, note = ? WHERE id = ?",
            (now_iso(), status, None if note is None else scrub(note), run_id),
        )

    def add_note(self, run_id: str, note: str, status: str | None = None) -> None:
        """Append a line to a finished run's note (scrubbed of secrets), and correct its
        status when given (a call retried in a later run did not leave this one partial)."""
        row = self.conn.execute("SELECT note, status FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return
        joined = f"{row[0]}\n{note}" if row[0] else note
        self.conn.execute(
            "UPDATE runs SET note = ?, status = ? WHERE id = ?",
            (scrub(joined), status or row[1], run_id),
        )

    def close_interrupted(self) -> int:
        """Close runs still ``running`` whose process is gone, as ``interrupted``."""
        rows = self.conn.execute("SELECT id, pid FROM runs WHERE status = 'running'").fetchall()
        gone = [r["id"] for r in rows if not _alive(r["pid"])]
        for run_id in gone:
            try:
                self._close_one(run_id)
            except sqlite3.OperationalError:  # read-only workspace: leave it for a writer
                return 0
        return len(gone)

    def _close_one(self, run_id: str) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, note = ? WHERE id = ?"
            " AND status = 'running'",
            (
                now_iso(),
                INTERRUPTED,
                "cut short: its process ended before the run closed",
                run_id,
            ),
        )

    def log_call(self, rec: CallRecord) -> None:
        """Append one attempt."""
        row = asdict(rec)
        row["fixture"] = int(rec.fixture)
        row["error"] = None if rec.error is None else scrub(rec.error)
        row["created_at"] = now_iso()
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with transaction(self.conn):
            self.conn.execute(
                f"INSERT INTO llm_calls({cols}) VALUES ({marks})", tuple(row.values())
            )

    def add_warnings(self, run_id: str | None, warnings: Sequence[RunWarning]) -> None:
        """Keep a run's warnings (scrubbed of secrets), for `persona runs` and the app."""
        if run_id is None or not warnings:
            return
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT INTO run_warnings(run_id, step, subject, message, incomplete, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (run_id, w.step, w.subject, scrub(w.message), int(w.incomplete), now_iso())
                    for w in warnings
                ],
            )

    def warnings(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Kept warnings, oldest first (optionally of one run), each with its ``run_id``."""
        sql = "SELECT run_id, step, subject, message, incomplete FROM run_warnings"
        args: tuple[str, ...] = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        rows = self.conn.execute(sql + " ORDER BY id", args).fetchall()
        return [dict(r) | {"incomplete": bool(r["incomplete"])} for r in rows]

    def warnings_by_run(self) -> dict[str, list[str]]:
        """Each run's warnings as display lines (``step: subject: message``), oldest first."""
        out: dict[str, list[str]] = {}
        for w in self.warnings():
            out.setdefault(w["run_id"], []).append(warning_line(w))
        return out

    def calls(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Logged attempts, oldest first (optionally of one run)."""
        sql = (
            "SELECT id, run_id, task, model, prompt_file, prompt_version, input_hash, fixture_key, "
            "attempt, method, input_tokens, output_tokens, cost_usd, latency_ms, status, error, "
            "fixture, created_at FROM llm_calls"
        )
        args: tuple[str, ...] = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        rows = self.conn.execute(sql + " ORDER BY id", args).fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["fixture"] = bool(item["fixture"])
            out.append(item)
        return out

    def runs(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Runs with totals: calls, ok calls, tokens, cost and warnings (newest first).

        ``cost_usd`` sums the calls whose cost is known; ``unknown_cost_calls``
        counts those whose price was unknown. It is None when no cost is known.
        """
        sql = """
            SELECT r.id AS run_id, r.label, r.started_at, r.finished_at, r.status,
                   r.budget_usd, r.est_cost_usd, r.note,
                   COUNT(c.id) AS calls,
                   COALESCE(SUM(c.status = 'ok'), 0) AS ok_calls,
                   COALESCE(SUM(c.input_tokens), 0) AS input_tokens,
                   COALESCE(SUM(c.output_tokens), 0) AS output_tokens,
                   SUM(c.cost_usd) AS cost_usd,
                   COALESCE(SUM(c.id IS NOT NULL AND c.cost_usd IS NULL), 0) AS unknown_cost_calls,
                   COALESCE(SUM(c.fixture), 0) AS fixture_calls,
                   (SELECT COUNT(*) FROM run_warnings w WHERE w.run_id = r.id) AS warnings
            FROM runs r LEFT JOIN llm_calls c ON c.run_id = r.id
        """
        args: tuple[str, ...] = ()
        if run_id is not None:
            sql += " WHERE r.id = ?"
            args = (run_id,)
        sql += " GROUP BY r.id ORDER BY r.started_at DESC, r.rowid DESC"
        return [dict(row) for row in self.conn.execute(sql, args).fetchall()]


def spend_since(conn: sqlite3.Connection, since: str) -> tuple[float | None, int]:
    """(known LLM cost in USD, calls of unknown cost) logged since ``since`` (ISO time)."""
    row = conn.execute(
        "SELECT SUM(cost_usd), COALESCE(SUM(cost_usd IS NULL), 0) FROM llm_calls"
        " WHERE created_at >= ?",
        (since,),
    ).fetchone()
    return (float(row[0]) if row[0] is not None else None), int(row[1])


def _alive(pid: int | None) -> bool:
    """True when process ``pid`` still runs (None, from before pids were kept, is gone)."""
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True
