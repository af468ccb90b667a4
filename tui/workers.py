"""The long jobs of the app as plain functions: ingest and analysis, cancellable.

Each function runs in a thread worker with its own :class:`Workspace` handle
(its own SQLite connection), reports progress through ``report(done, total,
item)`` and checks ``cancelled()`` between items, raising :class:`JobCancelled`
to stop. Nothing here touches widgets; the screens turn reports into messages.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.embeddings import Embedder
    from assistant.settings import Settings

Report = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class JobCancelled(Exception):
    """Raised inside a job when the user cancelled it."""


@dataclass
class JobOutcome:
    """Counts a finished (or cancelled) job reports to the user."""

    done: int = 0
    failed: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def llm_spend(ws: Workspace, since: str) -> tuple[float | None, int]:
    """(known LLM cost in USD, calls of unknown cost) logged since ``since`` (ISO time)."""
    row = ws.conn.execute(
        "SELECT SUM(cost_usd), COALESCE(SUM(cost_usd IS NULL), 0) FROM llm_calls"
        " WHERE created_at >= ?",
        (since,),
    ).fetchone()
    return (float(row[0]) if row[0] is not None else None), int(row[1])


def ingest_job(
    ws: Workspace,
    paths: Sequence[str | Path],
    report: Report,
    cancelled: Cancelled,
    embedder: Embedder | None = None,
) -> JobOutcome:
    """Ingest files and folders; stops after the file in progress when cancelled."""
    from assistant.library import ingest_paths

    def progress(done: int, total: int, path: str) -> None:
        report(done, total, path)
        if cancelled():
            raise JobCancelled

    results = ingest_paths(ws, paths, progress=progress, embedder=embedder)
    out = JobOutcome(done=sum(r.status in ("ingested", "updated", "unchanged") for r in results))
    out.failed = [f"{r.path}: {r.error}" for r in results if r.status == "failed"]
    statuses = ("ingested", "updated", "duplicate", "skipped")
    out.details = {s: sum(r.status == s for r in results) for s in statuses}
    out.details["attention"] = [  # the lines `persona ingest` prints for these files
        "  ".join([r.report(), *(f"warning: {w}" for w in r.warnings)])
        for r in results
        if r.needs_attention and r.status != "failed"
    ]
    return out


ANALYZE_MODULES = ("assistant.generate.analyze", "assistant.analyze")


def analyze_module() -> str | None:
    """The module of the whole-pipeline analysis (`persona analyze`), when installed."""
    for name in ANALYZE_MODULES:
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except ModuleNotFoundError:
            continue
    return None


def pipeline_job(
    ws: Workspace,
    settings: Settings,
    report: Report,
    cancelled: Cancelled,
    embedder: Embedder | None = None,
) -> str | None:
    """Themes → personas → ICP → messaging after extraction (`persona analyze`), if present.

    Returns a one-line summary, or None when the analysis module is not installed.
    Cancelling takes effect at the next progress report.
    """
    name = analyze_module()
    if name is None:
        return None
    analyze = importlib.import_module(name).analyze

    def progress(done: int, total: int, label: str) -> None:
        if cancelled():
            raise JobCancelled
        report(done, total, label)

    result = analyze(ws, settings, progress=progress, embedder=embedder)
    steps = getattr(result, "steps", None) or getattr(result, "reports", None) or []
    ran = [
        getattr(s, "step", getattr(s, "name", "?"))
        for s in steps
        if getattr(s, "status", "") == "ran"
    ]
    return "pipeline steps run: " + (", ".join(map(str, ran)) or "none (all current)")


def analysis_job(
    ws: Workspace,
    settings: Settings,
    report: Report,
    cancelled: Cancelled,
    ids: Sequence[str] | None = None,
    embedder: Embedder | None = None,
) -> JobOutcome:
    """Extract interviews one at a time (skipping current ones), checking for cancel between."""
    from assistant.extract import extract_interviews

    if ids is None:
        ids = [r[0] for r in ws.conn.execute("SELECT id FROM interviews ORDER BY id")]
    out = JobOutcome()
    counts = {"extracted": 0, "unchanged": 0, "insights": 0, "verified": 0, "unverified": 0}
    report(0, len(ids), "")
    for n, iid in enumerate(ids, 1):
        if cancelled():
            raise JobCancelled
        outcome = extract_interviews(ws, settings, [iid], embedder=embedder)[0]
        if outcome.failed:
            out.failed.append(f"{iid}: {outcome.error}")
        else:
            out.done += 1
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            counts["insights"] += outcome.insights
            counts["verified"] += outcome.verified
            counts["unverified"] += outcome.unverified
        report(n, len(ids), iid)
    out.details = counts
    return out
