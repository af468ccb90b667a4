"""The long jobs of the app as plain functions: ingest and analysis, cancellable.

Each function runs in a thread worker with its own :class:`Workspace` handle
(its own SQLite connection), reports progress through ``report(done, total,
item)`` and checks ``cancelled()`` between items, raising :class:`JobCancelled`
to stop. Nothing here touches widgets; the screens turn reports into messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.progress import ProgressFn
from assistant.wording import count
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.embeddings import Embedder
    from assistant.settings import Settings

Cancelled = Callable[[], bool]


class JobCancelled(Exception):
    """Raised inside a job when the user cancelled it."""


@dataclass
class JobOutcome:
    """Counts a finished (or cancelled) job reports to the user."""

    done: int = 0
    failed: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def ingest_job(
    ws: Workspace,
    paths: Sequence[str | Path],
    report: ProgressFn,
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


def pipeline_job(
    ws: Workspace,
    settings: Settings,
    report: ProgressFn,
    cancelled: Cancelled,
    embedder: Embedder | None = None,
) -> str:
    """Themes → personas → ICP → messaging after extraction (`persona analyze`).

    Returns a one-line summary. Cancelling takes effect at the next progress report.
    """
    from assistant.generate import analyze

    def progress(done: int, total: int, label: str) -> None:
        if cancelled():
            raise JobCancelled
        report(done, total, label)

    result = analyze(ws, settings, progress=progress, embedder=embedder)
    ran = [s.step for s in result.steps if s.status == "ran"]
    return "pipeline steps run: " + (", ".join(ran) or "none (all current)")


def analysis_job(
    ws: Workspace,
    settings: Settings,
    report: ProgressFn,
    cancelled: Cancelled,
    ids: Sequence[str] | None = None,
    embedder: Embedder | None = None,
) -> JobOutcome:
    """Extract interviews one at a time (skipping current ones), checking for cancel between."""
    from assistant.extract import extract_interviews

    if ids is None:
        from assistant.library import interview_ids

        ids = interview_ids(ws)
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


def ingest_summary(out: JobOutcome) -> str:
    """One line for the user about a finished ingest job."""
    d = out.details
    summary = (
        f"{count(out.done, 'file')} ingested or current ({d.get('ingested', 0)} new, "
        f"{d.get('updated', 0)} updated, {d.get('duplicate', 0)} duplicate, "
        f"{d.get('skipped', 0)} skipped), {len(out.failed)} failed"
    )
    notes: list[str] = d.get("attention", [])
    if notes:
        more = f" (+{len(notes) - 3} more)" if len(notes) > 3 else ""
        summary += ". " + "; ".join(notes[:3]) + more
    return summary


def analysis_summary(out: JobOutcome) -> str:
    """One line for the user about a finished analysis job."""
    d = out.details
    return (
        f"{count(d.get('extracted', 0), 'interview')} extracted, {d.get('unchanged', 0)} already current; "
        f"{count(d.get('insights', 0), 'insight')}, quotes {d.get('verified', 0)} verified / "
        f"{d.get('unverified', 0)} unverified"
    )
