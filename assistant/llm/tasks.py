"""Run structured LLM tasks: one call or a concurrent batch, logged, costed, budgeted.

One call is (task, prompt file, variables, pydantic output model) → (validated
object, :class:`Usage`), through langchain-openai's
``ChatOpenAI.with_structured_output(schema, method=..., include_raw=True)`` so
usage comes from the raw message. For every call:

- the output schema is the strict-mode schema of the model
  (:func:`~assistant.llm.schemas.strict_json_schema`); the reply is validated
  with pydantic and, when invalid, re-asked with the validation error, at most
  ``max_reasks`` times;
- 429, 5xx, timeouts and connection errors are retried ``max_retries`` times
  with exponential backoff, honouring ``Retry-After`` / ``retry-after-ms``;
- ``finish_reason=length`` raises :class:`OutputLengthError` naming the task
  and the token limit;
- every HTTP attempt is a row in ``llm_calls`` (see :mod:`~assistant.llm.runlog`);
- every validated answer is kept the moment it arrives (:mod:`~assistant.llm.answers`),
  and a later run asking the same thing takes it from there instead of paying again;
- a dead endpoint stops the batch after one connection retry (not retries per
  item), and a call waiting long prints "waiting for the model (N s)…";
- a reply that is not an OpenAI-compatible answer (HTML, plain text) fails the
  batch at once with a message naming the URL and the content type;
- the ``X-Persona-Fixture-Key`` header identifies it for recorded fixtures
  (:mod:`~assistant.llm.cassettes`).

A batch (:func:`run_batch`) estimates first, is refused before any call when
the estimate exceeds the budget, runs under ``asyncio.Semaphore(max_concurrency)``
and stops starting calls once actual spend reaches the budget.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from assistant import db
from assistant.errors import PersonaError
from assistant.llm.budget import (
    BudgetExceededError,
    BudgetTracker,
    check_budget,
    estimate_calls,
    plan_call,
)
from assistant.llm.cassettes import MissingFixtureError
from assistant.llm.request import redact_job, request_messages
from assistant.llm.runlog import INTERRUPTED, RunLog
from assistant.llm.session import WAIT_NOTICE_S, LlmSession, NoticeFn, stderr_notice
from assistant.llm.task_results import (
    BatchResult,
    Checked,
    EndpointError,
    InvalidOutputError,
    JobResult,
    LlmTaskError,
    OutputLengthError,
    StructuredJob,
    Usage,
)
from assistant.privacy import Redactor, workspace_redactor
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.workspace import Workspace

__all__ = [
    "WAIT_NOTICE_S",
    "BatchResult",
    "EndpointError",
    "InvalidOutputError",
    "JobResult",
    "LlmSession",
    "LlmTaskError",
    "NoticeFn",
    "OutputLengthError",
    "StructuredJob",
    "Usage",
    "redact_job",
    "request_messages",
    "run_batch",
    "run_structured",
    "stderr_notice",
]

T = TypeVar("T", bound=BaseModel)


def _runlog_for(workspace: Workspace | None, runlog: RunLog | None) -> RunLog:
    if runlog is not None:
        return runlog
    if workspace is not None:
        return RunLog(workspace.conn)
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    db.migrate(conn)
    return RunLog(conn)


async def run_batch(
    jobs: Sequence[StructuredJob[T]],
    *,
    settings: Settings,
    workspace: Workspace | None = None,
    runlog: RunLog | None = None,
    run_id: str | None = None,
    label: str | None = None,
    budget_usd: float | None = None,
    reuse: bool = True,
    on_result: Callable[[int, JobResult[T]], None] | None = None,
    notice: NoticeFn | None = stderr_notice,
    notes: Sequence[str] = (),
    redactor: Redactor | None = None,
) -> BatchResult[T]:
    """Run jobs concurrently (``max_concurrency`` at a time) within the budget.

    ``notes`` (e.g. what a prompt left out to fit its token budget) are kept in
    the run's note in the run log.

    Renders and estimates every job first (a missing variable fails here); with
    a budget (``budget_usd`` or ``[llm] budget_usd``) an estimate above it raises
    :class:`~assistant.llm.budget.BudgetExceededError` before any call. Per-job
    failures (including :class:`MissingFixtureError` in replay: one unrecorded
    request fails only its job) are kept in the results; fatal endpoint errors
    (401/403/404, an unreachable or incompatible endpoint: every call would
    fail) stop the batch and propagate.

    Every answer is kept as it arrives and, with ``reuse``, an answer kept by an
    earlier run to the same request is used instead of calling again.
    ``on_result(i, result)`` is called as each job settles (to store its
    result at once); a batch cut short by Ctrl-C closes its run as
    ``interrupted``.

    With ``[privacy] redact`` on (the default), PII and the workspace's known
    names are replaced by placeholders in every request and restored in every
    answer (``redactor``, default: :func:`~assistant.privacy.workspace_redactor`).
    """
    llm = settings.llm
    log = _runlog_for(workspace, runlog)
    budget = budget_usd if budget_usd is not None else llm.budget_usd
    planned = [plan_call(j.prompt_file, j.variables, j.output_model) for j in jobs]
    est = estimate_calls(planned, llm, log.conn)
    name = label or (jobs[0].task if jobs else "batch")
    if run_id is None:
        run_id = log.start_run(name, budget_usd=budget, est_cost_usd=est.est_cost_usd)
    else:
        log.ensure_run(run_id, name)
    try:
        check_budget(est, budget)
    except BudgetExceededError as exc:
        log.finish_run(run_id, "refused", str(exc))
        raise
    tracker = BudgetTracker(budget)
    results: list[JobResult[T]] = [JobResult(job, run_id=run_id) for job in jobs]
    sem = asyncio.Semaphore(llm.max_concurrency)

    if redactor is None and settings.privacy.redact:
        redactor = workspace_redactor(log.conn)
    if not settings.privacy.redact:
        redactor = None
    session = LlmSession(
        settings, log, run_id, tracker, reuse=reuse, notice=notice, redactor=redactor
    )
    try:
        async with session:

            async def one(i: int) -> None:
                async with sem:
                    if tracker.exhausted:
                        results[i].skipped = True
                    else:
                        try:
                            value, usage, warnings = await session.run(jobs[i])
                            results[i].value, results[i].usage = value, usage
                            results[i].warnings = warnings
                        except LlmTaskError as exc:
                            if exc.fatal:
                                raise
                            results[i].error = exc
                            results[i].usage = exc.usage
                        except MissingFixtureError as exc:
                            # Replay: one unrecorded request fails its own job, not the batch.
                            results[i].error = exc
                            results[i].usage = Usage()
                    if on_result is not None:
                        on_result(i, results[i])

            try:
                async with asyncio.TaskGroup() as group:
                    for i in range(len(jobs)):
                        group.create_task(one(i))
            except BaseExceptionGroup as eg:
                first = _first_persona_error(eg)
                log.finish_run(run_id, "failed", str(first or eg))
                if first is not None:
                    raise first from None
                raise
    except (KeyboardInterrupt, asyncio.CancelledError):
        log.finish_run(run_id, INTERRUPTED, "interrupted (Ctrl-C); answers received are kept")
        raise
    stopped = any(r.skipped for r in results)
    failed = any(r.error for r in results)
    status = "stopped" if stopped else ("partial" if failed else "ok")
    parts = list(notes)
    if stopped:
        parts.insert(
            0,
            f"budget {budget} reached after {tracker.spent_usd:.6f} USD; "
            f"{sum(r.skipped for r in results)} calls not started",
        )
    log.finish_run(run_id, status, "\n".join(parts) or None)
    return BatchResult(run_id, est, results, tracker.spent_usd, stopped, log, session.reused)


def _first_persona_error(eg: BaseExceptionGroup) -> PersonaError | None:
    for exc in eg.exceptions:
        if isinstance(exc, PersonaError):
            return exc
        if isinstance(exc, BaseExceptionGroup) and (inner := _first_persona_error(exc)):
            return inner
    return None


async def run_structured(
    task: str,
    prompt_file: Path | str,
    variables: dict[str, Any],
    output_model: type[T],
    *,
    settings: Settings,
    workspace: Workspace | None = None,
    runlog: RunLog | None = None,
    run_id: str | None = None,
    check: Callable[[T], Checked[T]] | None = None,
    warnings: list[str] | None = None,
) -> tuple[T, Usage]:
    """Run one structured task: (validated object, usage), or raise a PersonaError.

    Logged in ``runlog`` (else the workspace's database, else in memory) under
    ``run_id`` (a new run when None); the budget check applies as for a batch.
    ``check``: see :class:`~assistant.llm.task_results.Checked`; what was
    repaired or left out is appended to ``warnings`` when given.
    """
    job = StructuredJob(task, Path(prompt_file), variables, output_model, check=check)
    batch = await run_batch(
        [job], settings=settings, workspace=workspace, runlog=runlog, run_id=run_id, label=task
    )
    result = batch.results[0]
    if result.error is not None:
        raise result.error
    if warnings is not None:
        warnings.extend(result.warnings)
    assert result.value is not None and result.usage is not None
    return result.value, result.usage
