"""One LLM session: the endpoint (or cassettes) for one run, running one job at a time.

:class:`LlmSession` runs one :class:`~assistant.llm.task_results.StructuredJob`:
strict schema, re-asks on invalid output, retries with backoff
(:mod:`~assistant.llm.retries`), length errors, the run log, kept answers, and
the "waiting for the model" notices.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.hashing import stable_hash
from assistant.llm.answers import AnswerStore, answer_key
from assistant.llm.budget import BudgetTracker
from assistant.llm.cassettes import (
    FIXTURE_HEADER,
    MissingFixtureError,
    cassette_dir_for,
    fixture_key,
    fixture_session,
    is_missing_fixture,
)
from assistant.llm.client import (
    choose_method,
    describe_error,
    detect_server,
    make_chat_model,
    make_http_client,
    output_limit_kwargs,
)
from assistant.llm.echo import repair_fields, salvage
from assistant.llm.output_caps import is_runaway, larger_cap, output_cap
from assistant.llm.pricing import cost_usd, price_table
from assistant.llm.prompts import PromptFile, load_prompt
from assistant.llm.request import (
    cut_text,
    redact_job,
    refusal_text,
    reply_text,
    request_messages,
    sent_text,
    short_errors,
)
from assistant.llm.retries import backoff, classify_error, is_fatal, retry_after
from assistant.llm.runlog import CallRecord, RunLog
from assistant.llm.schemas import strict_json_schema
from assistant.llm.task_results import (
    EndpointError,
    InvalidOutputError,
    OutputLengthError,
    StructuredJob,
    Usage,
)
from assistant.llm.tokens import FORMAT_RESERVE, count_messages
from assistant.privacy import Redactor
from assistant.settings import Settings

T = TypeVar("T", bound=BaseModel)

WAIT_NOTICE_S = (10.0, 30.0)
"""A call waiting this long prints its first "waiting for the model" line, then one per 30 s."""

ECHO_REASKS = 1
"""Re-asks of a schema-valid reply whose ids, roles or keys are not among those given."""

NoticeFn = Callable[[str], None]
"""Where a batch says something the user should see while it runs (default: stderr)."""


def stderr_notice(message: str) -> None:
    """Print a notice on stderr (the CLI's default)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


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

    async def run(self, job: StructuredJob[T]) -> tuple[T, Usage, list[str]]:
        """Run one job to (validated object, usage, warnings), or raise :class:`LlmTaskError`.

        Field names and enum values are repaired when unambiguous
        (:func:`~assistant.llm.echo.repair_fields`); a reply still invalid after
        the re-asks keeps what is valid (:func:`~assistant.llm.echo.salvage`);
        ``job.check`` problems are re-asked once with the valid choices. The
        warnings say what was repaired, left out or not matched.
        """
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
            if job.check is None:
                return kept[0], Usage(fixture=self.fixture, model=kept[1]), []
            rechecked = job.check(kept[0])
            return (
                rechecked.value,
                Usage(fixture=self.fixture, model=kept[1]),
                rechecked.repairs + rechecked.problems,
            )
        redacted = redact_job(job, self.redactor)
        system, user = request_messages(prompt, redacted.variables, schema, self.method)
        convo: list[Any] = [SystemMessage(system)] if system else []
        convo.append(HumanMessage(user))
        sent = [{"content": system}] if system else []
        cap = output_cap(self.settings, job.task, count_messages([*sent, {"content": user}]))

        def bound(cap: int) -> Any:
            return self.model.with_structured_output(
                {
                    "title": name,
                    "description": (job.output_model.__doc__ or name).strip(),
                    **schema,
                },
                method=self.method,  # type: ignore[arg-type]
                include_raw=True,
                strict=None if self.method == "json_mode" else True,
                extra_headers={FIXTURE_HEADER: key},
                **output_limit_kwargs(self.server, cap),
            )

        structured = bound(cap)
        usage = Usage(fixture=self.fixture, model=llm.model)

        def reask_of(raw: Any, rejection: str) -> list[Any]:
            """The conversation that asks again: prompt, the reply, why it was rejected."""
            again = f" Reply again with the complete corrected {name} object only."
            return [*convo, AIMessage(reply_text(raw)), HumanMessage(rejection + again)]

        def too_long(messages: list[Any]) -> str | None:
            """Why a re-ask of ``messages`` is not sent: above ``[llm] max_prompt_tokens``."""
            tokens = count_messages([{"content": str(m.content)} for m in messages], schema)
            if tokens <= llm.max_prompt_tokens - FORMAT_RESERVE:
                return None
            return (
                f"not asked again: the re-ask (prompt, reply and correction) would send "
                f"{tokens:,} input tokens, above [llm] max_prompt_tokens = {llm.max_prompt_tokens:,}"
            )

        retries = reasks = echo_reasks = 0
        grown = False

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
                kind, inp, outt = classify_error(exc)
                if kind == "length":
                    log("length", inp, outt, llm.model, t0, f"finish_reason=length at {cap}")
                    loop = is_runaway(cut_text(exc))
                    bigger = larger_cap(self.settings, cap) if job.on_length == "grow" else None
                    if bigger is None or grown or loop:
                        raise self._length_error(job.task, usage, cap, loop) from None
                    cap, grown = bigger, True
                    structured = bound(cap)
                    continue
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
                    delay = retry_after(exc) or backoff(llm.retry_base_s, retries)
                    retries += 1
                    await asyncio.sleep(delay)
                    continue
                fatal = kind == "error" and is_fatal(exc)
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
                log("length", inp_t, out_t, model_name, t0, f"finish_reason=length at {cap}")
                loop = is_runaway(reply_text(raw))
                bigger = larger_cap(self.settings, cap) if job.on_length == "grow" else None
                if bigger is None or grown or loop:
                    raise self._length_error(job.task, usage, cap, loop)
                cap, grown = bigger, True  # one retry with a larger cap, same conversation
                structured = bound(cap)
                continue
            problem: str | None = None
            value: T | None = None
            notes: list[str] = []
            refusal = refusal_text(raw)
            if refusal:
                problem = f"the model refused: {refusal[:300]}"
            elif out.get("parsing_error") is not None:
                problem = (
                    "the reply is not valid JSON (it began: "
                    f"{reply_text(raw).strip()[:120]!r}): {str(out['parsing_error'])[:300]}"
                )
            elif out.get("parsed") is None:
                problem = "the reply held no structured output"
            else:
                parsed, notes = repair_fields(out["parsed"], job.output_model)
                try:
                    value = job.output_model.model_validate(parsed)
                except ValidationError as exc:
                    problem = f"the reply does not match the schema: {short_errors(exc)}"
                    skipped = too_long(reask_of(raw, f"Your reply was rejected: {problem}."))
                    if reasks >= llm.max_reasks or skipped:  # the last chance: keep what is valid
                        salvaged, dropped = salvage(parsed, job.output_model)
                        if salvaged is not None:
                            value = job.output_model.model_validate(salvaged.model_dump())
                            problem = None
                            notes += dropped + ([skipped] if skipped else [])
            if value is not None and self.redactor is not None:
                try:
                    value = job.output_model.model_validate(
                        self.redactor.restore(value.model_dump(mode="json"), redacted.mapping)
                    )
                except ValidationError as exc:
                    value = None
                    problem = f"the reply does not match the schema: {short_errors(exc)}"
            complete = True
            if value is not None and job.check is not None:
                checked = job.check(value)
                if checked.problems and echo_reasks < ECHO_REASKS:
                    echo_reasks += 1
                    problem = "; ".join(checked.problems)
                    hint = f" ({checked.choices})" if checked.choices else ""
                    reask = reask_of(
                        raw,
                        sent_text(f"Your reply was rejected: {problem}{hint}.", redacted.mapping),
                    )
                    skipped = too_long(reask)
                    if skipped is None:
                        log("invalid_output", inp_t, out_t, model_name, t0, problem)
                        convo = reask
                        continue
                    notes.append(skipped)  # the answer is kept with its problems reported
                value = checked.value
                notes += checked.repairs + checked.problems
                complete = not checked.problems
            if value is not None:
                log("ok", inp_t, out_t, model_name, t0)
                if complete:  # an answer still missing parts is asked again by the next run
                    self._keep(kept_key, job.task, prompt.version, value, model_name)
                return value, usage, notes
            log("invalid_output", inp_t, out_t, model_name, t0, problem)
            reask = reask_of(raw, f"Your reply was rejected: {problem}.")
            skipped = None if reasks >= llm.max_reasks else too_long(reask)
            if reasks >= llm.max_reasks or skipped is not None:
                raise InvalidOutputError(
                    f"task '{job.task}': {problem} "
                    + (f"({skipped})" if skipped else f"(after {reasks} re-asks)"),
                    task=job.task,
                    usage=usage,
                )
            reasks += 1
            convo = reask

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

    def _length_error(
        self, task: str, usage: Usage, cap: int, loop: bool = False
    ) -> OutputLengthError:
        top = self.llm.max_output_tokens
        if loop:
            hint = (
                "and the answer repeats itself (a runaway answer): more room would not help; "
                "try again or use another model"
            )
        elif cap >= top:
            hint = (
                f"which is [llm] max_output_tokens ({top}, PERSONA_MAX_OUTPUT_TOKENS): raise it "
                "if the model allows longer answers, or give the task less input"
            )
        else:
            hint = (
                f"the task's cap from [output_tokens] (the model's limit is {top}): raise "
                f"[output_tokens] {task} or give the task less input"
            )
        return OutputLengthError(
            f"task '{task}': the answer was cut at the output limit of {cap} tokens "
            f"(finish_reason=length), {hint}",
            task=task,
            usage=usage,
            limit=cap,
            repetitive=loop,
        )
