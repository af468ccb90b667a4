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
import contextlib
import email.utils
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from assistant import db
from assistant.errors import PersonaError
from assistant.hashing import stable_hash
from assistant.llm.answers import AnswerStore, answer_key
from assistant.llm.budget import (
    BudgetExceededError,
    BudgetTracker,
    Estimate,
    check_budget,
    estimate,
    plan_call,
)
from assistant.llm.cassettes import (
    FIXTURE_HEADER,
    MissingFixtureError,
    cassette_dir_for,
    fixture_key,
    fixture_session,
    is_missing_fixture,
)
from assistant.llm.client import (
    NotOpenAiCompatibleError,
    choose_method,
    describe_error,
    detect_server,
    find_cause,
    make_chat_model,
    make_http_client,
)
from assistant.llm.pricing import cost_usd, price_table
from assistant.llm.prompts import PromptFile, load_prompt
from assistant.llm.runlog import INTERRUPTED, CallRecord, RunLog
from assistant.llm.schemas import strict_json_schema
from assistant.privacy import Redacted, Redactor, workspace_redactor
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.workspace import Workspace

T = TypeVar("T", bound=BaseModel)

MAX_BACKOFF_S = 30.0
MAX_RETRY_AFTER_S = 120.0
WAIT_NOTICE_S = (10.0, 30.0)
"""A call waiting this long prints its first "waiting for the model" line, then one per 30 s."""

NoticeFn = Callable[[str], None]
"""Where a batch says something the user should see while it runs (default: stderr)."""


def stderr_notice(message: str) -> None:
    """Print a notice on stderr (the CLI's default)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# --- results and errors --------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """Tokens and cost of one task, all attempts (retries, re-asks) included."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    """None when any attempt's cost is unknown (unknown price or token count)."""
    attempts: int = 0
    model: str = ""
    fixture: bool = False

    def plus(self, inp: int | None, out: int | None, cost: float | None, model: str) -> Usage:
        """This usage with one more attempt added."""
        total = None if self.cost_usd is None or cost is None else self.cost_usd + cost
        return Usage(
            self.input_tokens + (inp or 0),
            self.output_tokens + (out or 0),
            total,
            self.attempts + 1,
            model or self.model,
            self.fixture,
        )


class LlmTaskError(PersonaError):
    """A task failed after its retries or re-asks; carries the usage spent on it."""

    def __init__(self, message: str, *, task: str, usage: Usage, fatal: bool = False) -> None:
        super().__init__(message)
        self.task = task
        self.usage = usage
        self.fatal = fatal


class OutputLengthError(LlmTaskError):
    """The model stopped at the output token limit (finish_reason=length)."""


class InvalidOutputError(LlmTaskError):
    """The reply never matched the output schema, re-asks included."""


class EndpointError(LlmTaskError):
    """The endpoint failed (retries exhausted, or an error retrying cannot fix)."""


@dataclass(frozen=True)
class StructuredJob(Generic[T]):
    """One structured task to run."""

    task: str
    prompt_file: Path
    variables: dict[str, Any]
    output_model: type[T]


@dataclass
class JobResult(Generic[T]):
    """The outcome of one job in a batch: a value, an error, or skipped for budget."""

    job: StructuredJob[T]
    value: T | None = None
    usage: Usage | None = None
    error: LlmTaskError | MissingFixtureError | None = None
    skipped: bool = False
    run_id: str | None = None

    @property
    def status(self) -> str:
        """``ok``, ``failed`` or ``skipped``."""
        if self.skipped:
            return "skipped"
        return "ok" if self.error is None else "failed"


@dataclass
class BatchResult(Generic[T]):
    """A finished batch: per-job results in input order, spend and why it stopped."""

    run_id: str
    estimate: Estimate
    results: list[JobResult[T]]
    spent_usd: float
    stopped_for_budget: bool
    runlog: RunLog = field(repr=False)
    reused: int = 0
    """Answers kept from earlier runs and used instead of calling."""

    @property
    def values(self) -> list[T | None]:
        """The validated objects (None where a job failed or was skipped)."""
        return [r.value for r in self.results]


# --- one session: endpoint, method, fixtures ------------------------------------------------


class LlmSession:
    """An open connection to the endpoint (or the cassettes) for one run.

    Use as ``async with LlmSession(settings, runlog, run_id) as s: await s.run(job)``.
    Detects the server kind and method once, and holds the fixture session.
    """

    def __init__(
        self,
        settings: Settings,
        runlog: RunLog,
        run_id: str,
        tracker: BudgetTracker | None = None,
        *,
        reuse: bool = True,
        notice: NoticeFn | None = stderr_notice,
        redactor: Redactor | None = None,
    ) -> None:
        self.settings = settings
        self.redactor = redactor
        """Replaces PII in what is sent and restores it in answers (None: send as is)."""
        self.llm = settings.llm
        self.runlog = runlog
        self.run_id = run_id
        self.tracker = tracker or BudgetTracker(None)
        self.answers = AnswerStore(runlog.conn)
        self.reuse = reuse
        self.reused = 0
        """Answers taken from earlier runs instead of calling (this session)."""
        self.notice = notice
        self._succeeded = False
        self._unreachable = 0
        self._waiting: dict[int, float] = {}
        self._watch: asyncio.Task[None] | None = None
        self.prices = price_table(self.llm)
        self.fixture = self.llm.mode == "replay"
        self._stack = contextlib.ExitStack()
        self._prompts: dict[Path, PromptFile] = {}
        self.server = "other"
        self.method = "json_schema"

    async def __aenter__(self) -> LlmSession:
        self.server = await asyncio.to_thread(detect_server, self.llm)
        self.method = choose_method(self.llm, self.server)  # type: ignore[arg-type]
        self._http = make_http_client(self.llm)
        self.model = make_chat_model(self.llm, self.server, self._http)  # type: ignore[arg-type]
        self.cassette_dir = self._stack.enter_context(fixture_session(self.llm))
        if self.notice is not None:
            self._watch = asyncio.create_task(self._watch_waits())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        try:
            await self._http.aclose()
        finally:
            self._stack.close()

    async def _watch_waits(self) -> None:
        """Say "waiting for the model (N s)…" while the oldest call in flight waits."""
        first, every = WAIT_NOTICE_S
        due = first
        while True:
            await asyncio.sleep(0.5)
            if not self._waiting:
                due = first
                continue
            waited = time.monotonic() - min(self._waiting.values())
            if waited >= due and self.notice is not None:
                self.notice(
                    f"waiting for the model ({int(due)} s)… "
                    f"(each attempt is cut after {self.llm.timeout_s:g} s: PERSONA_LLM_TIMEOUT)"
                )
                due = every if due < every else due + every

    def _prompt(self, path: Path) -> PromptFile:
        if path not in self._prompts:
            self._prompts[path] = load_prompt(path)
        return self._prompts[path]

    async def run(self, job: StructuredJob[T]) -> tuple[T, Usage]:
        """Run one job to a validated object, or raise :class:`LlmTaskError`."""
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        llm = self.llm
        prompt = self._prompt(Path(job.prompt_file))
        schema = strict_json_schema(job.output_model)
        name = job.output_model.__name__
        in_hash = stable_hash(job.variables)
        key = fixture_key(job.task, in_hash, name)
        kept_key = answer_key(key, prompt.version, llm.model)
        if self.reuse and (kept := self._kept(kept_key, job.output_model)) is not None:
            self.reused += 1
            return kept[0], Usage(fixture=self.fixture, model=kept[1])
        redacted = redact_job(job, self.redactor)
        system, user = request_messages(prompt, redacted.variables, schema, self.method)
        convo: list[Any] = [SystemMessage(system)] if system else []
        convo.append(HumanMessage(user))
        structured = self.model.with_structured_output(
            {"title": name, "description": (job.output_model.__doc__ or name).strip(), **schema},
            method=self.method,  # type: ignore[arg-type]
            include_raw=True,
            strict=None if self.method == "json_mode" else True,
            extra_headers={FIXTURE_HEADER: key},
        )
        usage = Usage(fixture=self.fixture, model=llm.model)
        retries = reasks = 0

        def log(
            status: str,
            inp: int | None,
            out: int | None,
            model: str,
            t0: float,
            error: str | None = None,
        ) -> float | None:
            nonlocal usage
            cost = cost_usd(model, inp, out, self.prices)
            usage = usage.plus(inp, out, cost, model)
            self.tracker.add(cost)
            self.runlog.log_call(
                CallRecord(
                    run_id=self.run_id,
                    task=job.task,
                    model=model,
                    prompt_file=str(prompt.path),
                    prompt_version=prompt.version,
                    input_hash=in_hash,
                    fixture_key=key,
                    attempt=usage.attempts,
                    method=self.method,
                    input_tokens=inp,
                    output_tokens=out,
                    cost_usd=cost,
                    latency_ms=round((time.perf_counter() - t0) * 1000, 1),
                    status=status,
                    error=error,
                    fixture=self.fixture,
                )
            )
            return cost

        while True:
            t0 = time.perf_counter()
            token = object()
            self._waiting[id(token)] = time.monotonic()
            try:
                out = await structured.ainvoke(convo)
            except Exception as exc:
                if is_missing_fixture(exc):
                    log("missing_fixture", None, None, llm.model, t0, "not in cassettes")
                    raise MissingFixtureError(
                        job.task, key, self.cassette_dir or cassette_dir_for(llm)
                    ) from None
                kind, inp, outt = _classify(exc)
                if kind == "length":
                    log("length", inp, outt, llm.model, t0, "finish_reason=length")
                    raise self._length_error(job.task, usage) from None
                message = describe_error(exc, llm.base_url)
                zero = kind in {"rate_limited", "server_error", "error", "incompatible"}
                log(kind, 0 if zero else None, 0 if zero else None, llm.model, t0, message)
                if kind == "incompatible":
                    raise EndpointError(message, task=job.task, usage=usage, fatal=True) from None
                if kind in ("connection_error", "timeout") and not self._succeeded:
                    # Nothing has answered yet in this batch: one retry for the whole
                    # batch, not retries per item against a dead or hanging endpoint.
                    self._unreachable += 1
                    if self._unreachable > 1:
                        raise EndpointError(
                            f"{message} (stopped the batch after one retry)",
                            task=job.task,
                            usage=usage,
                            fatal=True,
                        ) from None
                if kind != "error" and retries < llm.max_retries:
                    delay = _retry_after(exc) or _backoff(llm.retry_base_s, retries)
                    retries += 1
                    await asyncio.sleep(delay)
                    continue
                fatal = kind == "error" and _is_fatal(exc)
                raise EndpointError(
                    f"task '{job.task}': {message}"
                    + (f" (after {retries} retries)" if retries else ""),
                    task=job.task,
                    usage=usage,
                    fatal=fatal,
                ) from None
            finally:
                self._waiting.pop(id(token), None)
            self._succeeded = True
            raw = out["raw"]
            meta = getattr(raw, "response_metadata", {}) or {}
            um = getattr(raw, "usage_metadata", None) or {}
            inp_t = um.get("input_tokens")
            out_t = um.get("output_tokens")
            model_name = str(meta.get("model_name") or llm.model)
            if meta.get("finish_reason") == "length":
                log("length", inp_t, out_t, model_name, t0, "finish_reason=length")
                raise self._length_error(job.task, usage)
            problem: str | None = None
            value: T | None = None
            if out.get("parsing_error") is not None:
                problem = f"the reply is not valid JSON: {str(out['parsing_error'])[:500]}"
            elif out.get("parsed") is None:
                problem = "the reply held no structured output"
            else:
                try:
                    value = job.output_model.model_validate(out["parsed"])
                except ValidationError as exc:
                    problem = f"the reply does not match the schema: {_short_errors(exc)}"
            if value is not None and self.redactor is not None:
                try:
                    value = job.output_model.model_validate(
                        self.redactor.restore(value.model_dump(mode="json"), redacted.mapping)
                    )
                except ValidationError as exc:
                    value = None
                    problem = f"the reply does not match the schema: {_short_errors(exc)}"
            if value is not None:
                log("ok", inp_t, out_t, model_name, t0)
                self._keep(kept_key, job.task, prompt.version, value, model_name)
                return value, usage
            log("invalid_output", inp_t, out_t, model_name, t0, problem)
            if reasks >= llm.max_reasks:
                raise InvalidOutputError(
                    f"task '{job.task}': {problem} (after {reasks} re-asks)",
                    task=job.task,
                    usage=usage,
                )
            reasks += 1
            convo = [
                *convo,
                AIMessage(_reply_text(raw)),
                HumanMessage(
                    f"Your reply was rejected: {problem}. Reply again with the complete "
                    f"corrected {name} object only."
                ),
            ]

    def _kept(self, kept_key: str, output_model: type[T]) -> tuple[T, str] | None:
        """An answer kept from an earlier run to the same request (and its model), or None."""
        found = self.answers.get(kept_key)
        if found is None:
            return None
        try:
            return output_model.model_validate(found[0]), found[1]
        except ValidationError:  # kept under an older schema: ask again
            return None

    def _keep(self, kept_key: str, task: str, version: str, value: BaseModel, model: str) -> None:
        """Store a paid answer now, in its own transaction (kept across kills and failures)."""
        self.answers.put(
            kept_key,
            task=task,
            model=model,
            prompt_version=version,
            run_id=self.run_id,
            output=value.model_dump(mode="json"),
        )

    def _length_error(self, task: str, usage: Usage) -> OutputLengthError:
        limit = self.llm.max_output_tokens
        return OutputLengthError(
            f"task '{task}': the model stopped at the output limit of {limit} tokens "
            "(finish_reason=length); raise [llm] max_output_tokens (PERSONA_MAX_OUTPUT_TOKENS) "
            "or give the task less input",
            task=task,
            usage=usage,
        )


def redact_job(job: StructuredJob[Any], redactor: Redactor | None) -> Redacted:
    """The job's variables as they are sent (redacted when a redactor is given)."""
    if redactor is None:
        return Redacted(job.variables, {})
    return redactor.redact_variables(job.variables)


def request_messages(
    prompt: PromptFile, variables: dict[str, Any], schema: dict[str, Any], method: str
) -> tuple[str, str]:
    """(system, user) exactly as sent for ``variables`` (json_mode adds the schema)."""
    rendered = prompt.render(variables)
    system = rendered.system
    if method == "json_mode":
        import json

        system += (
            "\n\nReply with one JSON object, and nothing else, that matches this JSON "
            f"schema:\n{json.dumps(schema)}"
        )
    return system, rendered.user


def _classify(exc: BaseException) -> tuple[str, int | None, int | None]:
    """Attempt status for an exception, and token counts when the server sent them."""
    import openai

    if find_cause(exc, NotOpenAiCompatibleError) is not None:
        return "incompatible", None, None
    if not isinstance(exc, openai.OpenAIError | PersonaError):
        # The SDK or langchain choked on a reply that is not a chat completion.
        return "incompatible", None, None
    if isinstance(exc, openai.LengthFinishReasonError):
        u = exc.completion.usage
        return "length", u.prompt_tokens if u else None, u.completion_tokens if u else None
    if isinstance(exc, openai.APITimeoutError):
        return "timeout", None, None
    if isinstance(exc, openai.APIConnectionError):
        return "connection_error", None, None
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited", None, None
    if isinstance(exc, openai.APIStatusError) and (
        exc.status_code >= 500 or exc.status_code in (408, 409)
    ):
        return "server_error", None, None
    return "error", None, None


def _is_fatal(exc: BaseException) -> bool:
    """Errors that every other call would hit too: stop the batch."""
    import openai

    return isinstance(exc, openai.APIStatusError) and exc.status_code in (401, 403, 404)


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms`` or ``Retry-After``)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        with contextlib.suppress(ValueError):
            return min(float(ms) / 1000, MAX_RETRY_AFTER_S)
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        if when is None:
            return None
        return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER_S)


def _backoff(base: float, retries: int) -> float:
    """Exponential backoff with up to 25 % jitter."""
    delay = min(base * (2**retries), MAX_BACKOFF_S)
    return delay * (1 + random.random() / 4)


def _short_errors(exc: ValidationError) -> str:
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:8]
    ]
    return "; ".join(parts)


def _reply_text(raw: Any) -> str:
    """What the model said (content, or its tool-call arguments) for the re-ask history."""
    calls = (getattr(raw, "additional_kwargs", {}) or {}).get("tool_calls") or []
    if calls:
        return str(calls[0].get("function", {}).get("arguments", ""))
    content = getattr(raw, "content", "")
    return content if isinstance(content, str) else str(content)


# --- entry points ---------------------------------------------------------------------------


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
    planned = [
        plan_call(
            j.prompt_file, j.variables, j.output_model, est_output_tokens=llm.est_output_tokens
        )
        for j in jobs
    ]
    est = estimate(planned, model=llm.model, prices=price_table(llm))
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
                            results[i].value, results[i].usage = await session.run(jobs[i])
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
) -> tuple[T, Usage]:
    """Run one structured task: (validated object, usage), or raise a PersonaError.

    Logged in ``runlog`` (else the workspace's database, else in memory) under
    ``run_id`` (a new run when None); the budget check applies as for a batch.
    """
    job = StructuredJob(task, Path(prompt_file), variables, output_model)
    batch = await run_batch(
        [job], settings=settings, workspace=workspace, runlog=runlog, run_id=run_id, label=task
    )
    result = batch.results[0]
    if result.error is not None:
        raise result.error
    assert result.value is not None and result.usage is not None
    return result.value, result.usage
