"""`persona analyze --batch`: extraction through the provider's Batch API, then the rest.

One command, run again as often as needed (each run a new process; everything
it needs is in the workspace's ``llm_batches``):

1. An extraction batch of this workspace not collected yet (from `analyze
   --batch` or `extract --batch`): still running → state ``waiting``, nothing
   else happens. Finished → collected by :func:`collect_extraction` (the same
   verify-merge-store step and run log as the synchronous path; failed,
   expired or missing lines retried synchronously, or with ``retry=False``
   reported per interview).
2. Interviews still to extract → their windows are submitted as one batch,
   after the whole pipeline's estimate (extraction at the batch price) passed
   the budget → state ``submitted``. A server without the Batch API raises
   :class:`~assistant.llm.batch.BatchUnsupportedError` before anything is kept.
3. Nothing left to extract → themes, personas, ICP and messaging run
   synchronously through :func:`~assistant.generate.analyze.analyze` → state
   ``done``. They are a few dozen dependent calls (each step needs the one
   before): four batch round trips of up to 24 h each would save little.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import PersonaError
from assistant.extract import plan_extraction
from assistant.extract.batch import collect_extraction, submit_extraction
from assistant.extract.pipeline import TASK as EXTRACT_TASK
from assistant.extract.pipeline import ExtractionOutcome
from assistant.generate.analyze import (
    AnalyzeReport,
    StepReport,
    ThemePlans,
    _Spend,
    analyze,
    estimate_pipeline,
)
from assistant.llm.batch import (
    BATCH_DISCOUNT,
    CLOSED,
    FINISHED,
    StoredBatch,
    recover,
    refresh,
    stored_batches,
)
from assistant.llm.budget import Estimate, check_budget
from assistant.llm.runlog import step_warnings
from assistant.locking import writes
from assistant.progress import ProgressFn
from assistant.settings import Settings
from assistant.workspace import Workspace


@dataclass
class BatchAnalyzeResult:
    """One `analyze --batch` run: ``waiting``, ``submitted`` or ``done``."""

    state: str
    estimate: Estimate | None = None
    """The whole pipeline's estimate, extraction at the batch price (when one was made)."""
    batches: list[StoredBatch] = field(default_factory=list)
    """The batch waited for, submitted, or collected in this run."""
    collected: list[ExtractionOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What collecting retried or could not store (also in the batch's note)."""
    report: AnalyzeReport | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "estimate": self.estimate.as_dict() if self.estimate else None,
            "batches": [b.to_json() for b in self.batches],
            "collected": [o.to_json() for o in self.collected],
            "notes": self.notes,
            "report": self.report.to_json() if self.report else None,
        }


def pending_batches(ws: Workspace) -> list[StoredBatch]:
    """Extraction batches of this workspace not collected (nor cancelled) yet, oldest first."""
    return [
        b for b in reversed(stored_batches(ws)) if b.task == EXTRACT_TASK and b.status not in CLOSED
    ]


def batch_estimate(ws: Workspace, settings: Settings, force: bool, plans: ThemePlans) -> Estimate:
    """The pipeline's estimate with its extraction calls at the batch price."""
    whole = estimate_pipeline(ws, settings, force, plans=plans)
    steps = []
    saved = 0.0
    for s in whole.steps:
        if s.task == EXTRACT_TASK and s.est_cost_usd is not None:
            saved += s.est_cost_usd * (1 - BATCH_DISCOUNT)
            s = dataclasses.replace(s, est_cost_usd=s.est_cost_usd * BATCH_DISCOUNT)
        steps.append(s)
    cost = None if whole.est_cost_usd is None else whole.est_cost_usd - saved
    return dataclasses.replace(whole, est_cost_usd=cost, steps=tuple(steps))


@writes("analyzing")
def analyze_batch(
    ws: Workspace,
    settings: Settings,
    *,
    force: bool = False,
    budget_usd: float | None = None,
    retry: bool = True,
    progress: ProgressFn | None = None,
) -> BatchAnalyzeResult:
    """Advance `analyze --batch` by one stage (see the module docstring)."""
    budget = budget_usd if budget_usd is not None else settings.llm.budget_usd
    notes = recover(ws, settings)
    pending = [refresh(ws, settings, b.id) for b in pending_batches(ws)]
    running = [b for b in pending if b.status not in FINISHED]
    if running:
        return BatchAnalyzeResult("waiting", batches=running, notes=notes)
    spend = _Spend(ws)
    collected: list[ExtractionOutcome] = []
    for b in pending:
        outcomes, batch_notes = collect_extraction(ws, settings, b.id, retry, progress)
        collected += outcomes
        notes += batch_notes
    calls, cost = spend.take()
    failed = [o for o in collected if o.failed]
    if failed:
        reasons = "; ".join(f"{o.interview_id}: {o.error or o.status}" for o in failed)
        raise PersonaError(
            f"the batch came back without a usable answer for {len(failed)} of "
            f"{len(collected)} interviews ({reasons}); the {len(collected) - len(failed)} "
            "stored are kept: run `persona analyze --batch` again to submit only what is "
            "missing, or `persona analyze` to extract it now"
        )
    plans = ThemePlans(None)
    est = batch_estimate(ws, settings, force, plans)
    if plan_extraction(ws, settings):
        check_budget(est, budget)
        stored = submit_extraction(ws, settings)
        assert stored is not None  # something was planned
        return BatchAnalyzeResult("submitted", est, [stored], collected, notes)
    report = analyze(ws, settings, force=force, budget_usd=budget, progress=progress, plans=plans)
    if pending:  # this run's extraction is the batch it collected
        changes = {o.interview_id: o.status for o in collected}
        warnings = [
            w for o in collected for w in step_warnings("extract", o.interview_id, o.warnings)
        ]
        report.steps[0] = StepReport("extract", "ran", calls, cost, changes, warnings=warnings)
    kept = [stored_batches(ws, b.id)[0] for b in pending]
    return BatchAnalyzeResult("done", est, kept, collected, notes, report)
