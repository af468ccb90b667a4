"""`persona analyze`: extract → themes → personas → ICP → messaging, incrementally.

Each generation step hashes its exact inputs (the prompt variables of every
call it would make, the prompt version and the model) and stores the hash in
``workspace_meta`` (``generate.<step>.input_hash``). A step runs only when its
hash changed (``force`` runs them all); extraction keeps its own per-interview
check (content, prompt version, model). Everything is stored through
:func:`assistant.review.upsert_generated`, so approved or user-edited items
are never overwritten: their new version waits as a pending revision.

The cost estimate of all steps comes first and, with a budget, a pipeline whose
estimate exceeds it is refused before any call. Steps whose inputs do not exist
yet (nothing extracted) are estimated roughly from the number of interviews.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from assistant.embeddings import Embedder
from assistant.errors import PersonaError
from assistant.extract import extract_interviews, list_insights, plan_extraction
from assistant.generate import icp, messaging, personas, themes
from assistant.generate.common import (
    prompt_path,
    record_step_hash,
    step_hash,
    stored_step_hash,
)
from assistant.llm.budget import Estimate, PlannedCall, check_budget, estimate_calls, plan_call
from assistant.llm.runlog import RunWarning, step_warnings
from assistant.locking import writes
from assistant.progress import ProgressFn
from assistant.schemas import IcpDraft, MessagingDraft, PersonaDraft, ThemeNames
from assistant.settings import Settings
from assistant.wording import count
from assistant.workspace import Workspace

STEPS = ("extract", "themes", "personas", "icp", "messaging")
ROUGH_TOKENS_PER_INTERVIEW = {
    themes.TASK: 400,
    personas.TASK: 1250,
    icp.TASK: 1300,
    messaging.TASK: 1250,
}
"""Input tokens a step's calls add together per interview, before anything is extracted.

Measured on the sample corpus's recorded requests (12 interviews: requests minus
each call's prompt and schema, divided by 12); each call is still capped at
``[llm] max_prompt_tokens``.
"""
ROUGH_MODELS: dict[str, type[BaseModel]] = {
    themes.TASK: ThemeNames,
    personas.TASK: PersonaDraft,
    icp.TASK: IcpDraft,
    messaging.TASK: MessagingDraft,
}


@dataclass
class StepReport:
    """What one step did: ``ran`` or ``skipped`` (inputs unchanged)."""

    step: str
    status: str
    calls: int = 0
    cost_usd: float = 0.0
    changes: dict[str, str] = field(default_factory=dict)
    """Review key (or interview id for extract) -> what happened to it."""
    notes: list[str] = field(default_factory=list)
    """What prompts left out to fit ``[llm] max_prompt_tokens`` (also in the run log)."""
    warnings: list[RunWarning] = field(default_factory=list)
    """What the step repaired, left out or could not match (also in the run log)."""

    @property
    def complete(self) -> bool:
        """False when a warning says the output misses something: not recorded as done."""
        return not any(w.incomplete for w in self.warnings)

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "status": self.status,
            "calls": self.calls,
            "cost_usd": round(self.cost_usd, 6),
            "changes": self.changes,
            "notes": self.notes,
            "warnings": [w.to_json() for w in self.warnings],
        }


@dataclass
class AnalyzeReport:
    """The whole run: estimate first, then each step (and the error that stopped it)."""

    estimate: Estimate
    steps: list[StepReport]
    errors: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(s.calls for s in self.steps)

    @property
    def warnings(self) -> list[RunWarning]:
        return [w for s in self.steps for w in s.warnings]

    def to_json(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate.as_dict(),
            "steps": [s.to_json() for s in self.steps],
            "calls": self.calls,
            "cost_usd": round(sum(s.cost_usd for s in self.steps), 6),
            "warnings": [w.to_json() for w in self.warnings],
            "errors": [{"message": e} for e in self.errors],
        }


class AnalyzeError(PersonaError):
    """A step failed: what ran before it is kept and reported (``report``)."""

    def __init__(self, message: str, report: AnalyzeReport, exit_code: int = 1) -> None:
        super().__init__(message)
        report.errors.append(message)
        self.report = report
        self.exit_code = exit_code

    def json_report(self) -> dict[str, Any]:
        """The `persona analyze --json` document of the run so far, with ``errors``."""
        return self.report.to_json()


class ThemePlans:
    """Theme plans by clustering input hash: `analyze` clusters once for estimate and run."""

    def __init__(self, embedder: Embedder | None) -> None:
        self.embedder = embedder
        self._plans: dict[str, themes.ThemePlan] = {}

    def get(self, ws: Workspace, settings: Settings) -> themes.ThemePlan:
        key = themes.themes_input_hash(ws, settings, self.embedder)
        if key not in self._plans:
            self._plans = {key: themes.plan_themes(ws, settings, self.embedder)}
        return self._plans[key]


def _digest(step: str, ws: Workspace, settings: Settings, plans: ThemePlans) -> str:
    """The input hash of a step; for themes, of the clustering inputs (no embedding needed)."""
    if step == "themes":
        return themes.themes_digest(ws, settings, plans.embedder)
    task, variables = _plans_for(step, ws, settings, plans)
    return step_hash(task, variables, settings)


def _rough(task: str, calls: int, interviews: int, settings: Settings) -> list[PlannedCall]:
    """``calls`` calls sharing the step's data, estimated from the number of interviews."""
    base = plan_call(prompt_path(task), {}, ROUGH_MODELS[task], strict=False).input_tokens
    data = ROUGH_TOKENS_PER_INTERVIEW[task] * interviews // max(calls, 1)
    tokens = min(base + data, settings.llm.max_prompt_tokens)
    return [PlannedCall(task, tokens, None, tokens - base)] * calls


def estimate_pipeline(
    ws: Workspace,
    settings: Settings,
    force: bool = False,
    embedder: Embedder | None = None,
    plans: ThemePlans | None = None,
) -> Estimate:
    """Estimated calls, tokens and cost of every step that would run."""
    plans = plans or ThemePlans(embedder)
    planned = list(plan_extraction(ws, settings))
    interviews = int(ws.conn.execute("SELECT COUNT(*) FROM interviews").fetchone()[0])
    if planned or not list_insights(ws):
        roles = 5
        planned += _rough(
            themes.TASK, max(1, math.ceil(interviews * 3 / themes.BATCH_SIZE)), interviews, settings
        )
        planned += _rough(personas.TASK, roles, interviews, settings)
        planned += _rough(icp.TASK, 1, interviews, settings)
        planned += _rough(messaging.TASK, roles, interviews, settings)
    else:
        upstream = False
        for step in STEPS[1:]:
            changed = _digest(step, ws, settings, plans) != stored_step_hash(ws, step)
            if force or upstream or changed:
                upstream = True
                task, variables = _plans_for(step, ws, settings, plans)
                if step == "messaging" and not variables:  # personas not drafted yet
                    groups = len(personas.persona_groups(ws))
                    planned += _rough(task, groups, interviews, settings)
                planned += [plan_call(prompt_path(task), v, strict=False) for v in variables]
    return estimate_calls(planned, settings.llm, ws.conn)


def estimate_analysis(
    ws: Workspace, settings: Settings, *, pipeline: bool = True, embedder: Embedder | None = None
) -> Estimate:
    """What the app's "run analysis" would cost: extraction, plus the later steps when
    ``pipeline`` (the app runs themes → messaging after extraction)."""
    if pipeline:
        return estimate_pipeline(ws, settings, embedder=embedder)
    return estimate_calls(plan_extraction(ws, settings), settings.llm, ws.conn)


REGENERATED_STEP = {
    "theme": "themes",
    "persona": "personas",
    "icp": "icp",
    "messaging": "messaging",
}
"""The pipeline step that regenerates every item of a review kind."""


def estimate_regeneration(
    ws: Workspace, settings: Settings, kind: str, embedder: Embedder | None = None
) -> Estimate:
    """What regenerating every item of ``kind`` would cost (no LLM call).

    Regenerating asks the model again for each of the step's calls (nothing
    reused), so every planned call counts, changed inputs or not.
    """
    task, variables = _plans_for(REGENERATED_STEP[kind], ws, settings, ThemePlans(embedder))
    planned = [plan_call(prompt_path(task), v, strict=False) for v in variables]
    return estimate_calls(planned, settings.llm, ws.conn)


class _Spend:
    """Calls and cost logged in ``llm_calls`` since a mark."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.mark = self._last()

    def _last(self) -> int:
        return int(
            self.ws.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM llm_calls").fetchone()[0]
        )

    def take(self) -> tuple[int, float]:
        row = self.ws.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(cost_usd), 0) FROM llm_calls WHERE rowid > ?",
            (self.mark,),
        ).fetchone()
        self.mark = self._last()
        return int(row[0]), float(row[1])


@writes("analyzing")
def analyze(
    ws: Workspace,
    settings: Settings,
    *,
    force: bool = False,
    budget_usd: float | None = None,
    progress: ProgressFn | None = None,
    embedder: Embedder | None = None,
    plans: ThemePlans | None = None,
) -> AnalyzeReport:
    """Run the pipeline; refuse before any call when the estimate exceeds the budget.

    ``plans`` carries the theme clustering over from an estimate made just
    before (the CLI prints one), so the insights are clustered once.
    """
    if force:
        from assistant.backup import backup_database

        backup_database(ws.conn, ws.db_path, "before-force")
    budget = budget_usd if budget_usd is not None else settings.llm.budget_usd
    plans = plans or ThemePlans(embedder)
    est = estimate_pipeline(ws, settings, force, embedder, plans)
    check_budget(est, budget)
    spent = 0.0
    spend = _Spend(ws)
    reports: list[StepReport] = []

    def left() -> float | None:
        return None if budget is None else max(budget - spent, 0.0)

    def step_progress(step: str) -> ProgressFn:
        def report(done: int, total: int, label: str) -> None:
            if progress:
                progress(done, total, f"{step}: {label}")

        return report

    report = AnalyzeReport(est, reports)
    outcomes = extract_interviews(ws, settings, progress=step_progress("extract"))
    calls, cost = spend.take()
    spent += cost
    reports.append(
        StepReport(
            "extract",
            "ran" if any(o.status != "unchanged" for o in outcomes) else "skipped",
            calls,
            cost,
            {o.interview_id: o.status for o in outcomes if o.status != "unchanged"},
            warnings=[
                w for o in outcomes for w in step_warnings("extract", o.interview_id, o.warnings)
            ],
        )
    )
    failed = [o for o in outcomes if o.failed]
    if failed:
        reasons = "; ".join(f"{o.interview_id}: {o.error or o.status}" for o in failed)
        kept = len(outcomes) - len(failed)
        raise AnalyzeError(
            f"extraction failed for {len(failed)} of {count(len(outcomes), 'interview')} ({reasons}); "
            f"the {kept} stored are kept: run `persona analyze` again to send only what is missing",
            report,
        )

    Ran = tuple[dict[str, str], list[str], list[RunWarning]]

    def run_themes() -> Ran:
        result = themes.generate_themes(
            ws,
            settings,
            plan=plans.get(ws, settings),
            budget_usd=left(),
            progress=step_progress("themes"),
            force=True,  # analyze decided this step runs
        )
        return result.changes, result.notes, result.warnings

    def run_personas() -> Ran:
        outcomes = personas.generate_personas(
            ws, settings, budget_usd=left(), progress=step_progress("personas")
        )
        return (
            {o.group.key: o.action for o in outcomes},
            _notes(o.prompt_notes for o in outcomes),
            [w for o in outcomes for w in o.run_warnings],
        )

    def run_icp() -> Ran:
        outcome = icp.generate_icp(ws, settings, budget_usd=left(), progress=step_progress("icp"))
        return {icp.KEY: outcome.action}, list(outcome.prompt_notes), outcome.warnings

    def run_messaging() -> Ran:
        outcomes = messaging.generate_messaging(
            ws, settings, budget_usd=left(), progress=step_progress("messaging")
        )
        return (
            {o.item.key: o.action for o in outcomes},
            _notes(o.prompt_notes for o in outcomes),
            [w for o in outcomes for w in o.warnings],
        )

    runners: dict[str, Callable[[], Ran]] = {
        "themes": run_themes,
        "personas": run_personas,
        "icp": run_icp,
        "messaging": run_messaging,
    }
    for step in STEPS[1:]:
        digest = _digest(step, ws, settings, plans)
        if not force and digest == stored_step_hash(ws, step):
            if progress:
                progress(1, 1, f"{step}: unchanged, skipped")
            reports.append(StepReport(step, "skipped"))
            continue
        try:
            changes, notes, warnings = runners[step]()
        except PersonaError as exc:
            calls, cost = spend.take()
            reports.append(StepReport(step, "failed", calls, cost))
            raise AnalyzeError(f"{step}: {exc}", report, exc.exit_code) from exc
        calls, cost = spend.take()
        spent += cost
        done = StepReport(step, "ran", calls, cost, changes, notes, warnings)
        if done.complete:  # incomplete output: not recorded, so the next run retries it
            record_step_hash(ws, step, digest)
        else:
            done.status = "incomplete"
        reports.append(done)
    return report


def _notes(groups: Iterable[Sequence[str]]) -> list[str]:
    """Prompt notes of several outcomes, each once, in order."""
    return list(dict.fromkeys(n for g in groups for n in g))


def _plans_for(
    step: str, ws: Workspace, settings: Settings, plans: ThemePlans
) -> tuple[str, list[dict[str, str]]]:
    if step == "themes":
        return themes.TASK, plans.get(ws, settings).batches
    if step == "personas":
        return personas.TASK, [p.variables for p in personas.plan_personas(ws, settings)]
    if step == "icp":
        return icp.TASK, [icp.icp_variables(ws, icp.statistics(ws), settings).variables]
    return messaging.TASK, [
        f.variables for *_, f in messaging.plan_messaging(ws, None, None, settings)
    ]
