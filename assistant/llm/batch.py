"""The provider's Batch API (OpenAI ``/v1/files`` + ``/v1/batches``): half price, within 24 h.

:func:`submit` renders every job exactly as a synchronous call would be sent
(same messages, strict JSON schema, model, temperature and output limit),
uploads them as one JSONL file and creates the batch; the batch id, the jobs'
custom ids and the run it belongs to are kept in the workspace
(``llm_batches``, migration 9), so any later process can :func:`refresh` or
:func:`fetch` it. A server without the Batch API (local servers) raises
:class:`BatchUnsupportedError` and nothing stays behind (an uploaded file is
deleted again). :func:`fetch` turns each output line into a
:class:`~assistant.llm.tasks.JobResult` validated against the job's output
model and logs it in the run log like any call (method ``batch``, cost at
:data:`BATCH_DISCOUNT` of the list price); failed, expired or invalid lines
come back as per-item errors for the caller to retry or report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.db import now_iso, transaction
from assistant.errors import PersonaError
from assistant.hashing import stable_hash as input_hash
from assistant.llm.cassettes import fixture_key
from assistant.llm.echo import repair_fields
from assistant.llm.output_caps import output_cap
from assistant.llm.pricing import cost_usd, price_table
from assistant.llm.prompts import load_prompt
from assistant.llm.runlog import CallRecord, RunLog
from assistant.llm.schemas import strict_json_schema
from assistant.llm.task_results import OutputLengthError
from assistant.llm.tasks import EndpointError, InvalidOutputError, JobResult, StructuredJob, Usage
from assistant.llm.tokens import count_messages
from assistant.settings import Settings
from assistant.workspace import Workspace

T = TypeVar("T", bound=BaseModel)
BATCH_DISCOUNT = 0.5
"""Batch requests cost half the synchronous list price (OpenAI, Anthropic, Gemini...)."""
ENDPOINT = "/v1/chat/completions"
FINISHED = ("completed", "expired", "cancelled", "failed")


class BatchUnsupportedError(PersonaError):
    """The endpoint has no Batch API: use the synchronous path."""


@dataclass
class StoredBatch:
    """A submitted batch as the workspace keeps it."""

    id: str
    task: str
    run_id: str
    status: str
    custom_ids: list[str]
    counts: dict[str, int]
    created_at: str
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "task": self.task,
            "run_id": self.run_id,
            "status": self.status,
            "requests": len(self.custom_ids),
            "counts": self.counts,
            "created_at": self.created_at,
            "note": self.note,
        }


def _client(settings: Settings) -> Any:
    from openai import OpenAI

    llm = settings.llm
    key = llm.api_key.get_secret_value() if llm.api_key else "not-needed"
    return OpenAI(base_url=llm.base_url, api_key=key, timeout=llm.timeout_s, max_retries=2)


def request_body(job: StructuredJob[Any], settings: Settings) -> dict[str, Any]:
    """The chat request of ``job``, as the synchronous path sends it (json_schema method)."""
    llm = settings.llm
    rendered = load_prompt(job.prompt_file).render(job.variables)
    name = job.output_model.__name__
    messages = ([{"role": "system", "content": rendered.system}] if rendered.system else []) + [
        {"role": "user", "content": rendered.user}
    ]
    return {
        "model": llm.model,
        "messages": messages,
        "temperature": llm.temperature,
        "max_completion_tokens": output_cap(settings, job.task, count_messages(messages)),
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": name,
                "strict": True,
                "schema": strict_json_schema(job.output_model),
            },
        },
    }


def _unsupported(settings: Settings, exc: Exception) -> BatchUnsupportedError:
    where = settings.llm.base_url or "api.openai.com"
    return BatchUnsupportedError(
        f"the server at {where} has no Batch API (/v1/files, /v1/batches: {exc}); nothing was "
        "submitted: run the same command without --batch to call it synchronously"
    )


def submit(
    ws: Workspace, settings: Settings, task: str, jobs: Mapping[str, StructuredJob[Any]]
) -> StoredBatch:
    """Upload ``jobs`` (custom id -> job) as one batch and keep its id in the workspace."""
    import openai

    if settings.llm.mode != "live":
        raise BatchUnsupportedError(
            f"--batch needs [llm] mode = live (now {settings.llm.mode}): recorded fixtures "
            "replay synchronous calls only"
        )
    lines = [
        json.dumps(
            {
                "custom_id": cid,
                "method": "POST",
                "url": ENDPOINT,
                "body": request_body(job, settings),
            }
        )
        for cid, job in jobs.items()
    ]
    client = _client(settings)
    try:
        upload = client.files.create(
            file=("batch.jsonl", ("\n".join(lines) + "\n").encode("utf-8")), purpose="batch"
        )
    except openai.NotFoundError as exc:
        raise _unsupported(settings, exc) from None
    try:
        batch = client.batches.create(
            input_file_id=upload.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"task": task, "workspace": ws.root.name[:64]},
        )
    except openai.NotFoundError as exc:
        client.files.delete(upload.id)  # nothing half-submitted
        raise _unsupported(settings, exc) from None
    log = RunLog(ws.conn)
    run_id = log.start_run(f"{task} (batch)")
    stored = StoredBatch(
        batch.id, task, run_id, str(batch.status), list(jobs), _counts(batch), now_iso()
    )
    with transaction(ws.conn):
        ws.conn.execute(
            "INSERT INTO llm_batches(id, task, run_id, status, custom_ids_json, counts_json, "
            "input_file_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stored.id,
                task,
                run_id,
                stored.status,
                json.dumps(stored.custom_ids),
                json.dumps(stored.counts),
                upload.id,
                stored.created_at,
                stored.created_at,
            ),
        )
    return stored


def _counts(batch: Any) -> dict[str, int]:
    rc = getattr(batch, "request_counts", None)
    if rc is None:
        return {}
    return {k: int(getattr(rc, k, 0) or 0) for k in ("total", "completed", "failed")}


def stored_batches(ws: Workspace, batch_id: str | None = None) -> list[StoredBatch]:
    """Batches kept in the workspace, newest first (or the one with ``batch_id``)."""
    sql = "SELECT * FROM llm_batches"
    args: tuple[str, ...] = ()
    if batch_id is not None:
        sql += " WHERE id = ?"
        args = (batch_id,)
    rows = ws.conn.execute(sql + " ORDER BY created_at DESC, rowid DESC", args).fetchall()
    if batch_id is not None and not rows:
        from assistant.errors import UsageError

        raise UsageError(f"no batch {batch_id!r} in this workspace: see `persona batch status`")
    return [
        StoredBatch(
            r["id"],
            r["task"],
            r["run_id"],
            r["status"],
            json.loads(r["custom_ids_json"]),
            json.loads(r["counts_json"]),
            r["created_at"],
            r["note"],
        )
        for r in rows
    ]


def _update(
    ws: Workspace, batch_id: str, status: str, counts: dict[str, int], note: str | None
) -> None:
    ws.conn.execute(
        "UPDATE llm_batches SET status = ?, counts_json = ?, note = COALESCE(?, note), "
        "updated_at = ? WHERE id = ?",
        (status, json.dumps(counts), note, now_iso(), batch_id),
    )


def refresh(ws: Workspace, settings: Settings, batch_id: str) -> StoredBatch:
    """Ask the provider for the batch's status and keep it."""
    (stored,) = stored_batches(ws, batch_id)
    if stored.status in ("collected", "cancelled"):
        return stored
    batch = _client(settings).batches.retrieve(batch_id)
    _update(ws, batch_id, str(batch.status), _counts(batch), None)
    return stored_batches(ws, batch_id)[0]


def cancel(ws: Workspace, settings: Settings, batch_id: str) -> StoredBatch:
    """Cancel a batch at the provider (requests already answered stay collectable)."""
    (stored,) = stored_batches(ws, batch_id)
    if stored.status == "collected":
        from assistant.errors import UsageError

        raise UsageError(f"batch {batch_id} is already collected")
    batch = _client(settings).batches.cancel(batch_id)
    _update(ws, batch_id, str(batch.status), _counts(batch), "cancelled by the user")
    RunLog(ws.conn).finish_run(stored.run_id, "cancelled", "batch cancelled by the user")
    return stored_batches(ws, batch_id)[0]


def _lines(client: Any, file_id: str | None) -> dict[str, dict[str, Any]]:
    if not file_id:
        return {}
    text = client.files.content(file_id).text
    out: dict[str, dict[str, Any]] = {}
    for raw in text.splitlines():
        if raw.strip():
            line = json.loads(raw)
            out[str(line["custom_id"])] = line
    return out


def fetch(
    ws: Workspace,
    settings: Settings,
    batch_id: str,
    jobs: Mapping[str, StructuredJob[T]],
) -> dict[str, JobResult[T]]:
    """Results of a finished batch by custom id; every line is logged in the run log.

    A line that failed, expired, is missing or does not validate comes back
    with an :class:`EndpointError` / :class:`InvalidOutputError` naming why; an
    answer cut at its output limit with an :class:`OutputLengthError`.
    """
    stored = refresh(ws, settings, batch_id)
    if stored.status not in FINISHED:
        raise PersonaError(
            f"batch {batch_id} is {stored.status}: collect it once it is completed "
            "(`persona batch status`)"
        )
    client = _client(settings)
    batch = client.batches.retrieve(batch_id)
    answers = _lines(client, batch.output_file_id)
    errors = _lines(client, batch.error_file_id)
    llm = settings.llm
    prices = price_table(llm)
    log = RunLog(ws.conn)
    results: dict[str, JobResult[T]] = {}
    for cid, job in jobs.items():
        prompt = load_prompt(job.prompt_file)
        in_hash = input_hash(job.variables)
        key = fixture_key(job.task, in_hash, job.output_model.__name__)
        line = answers.get(cid) or errors.get(cid)
        usage = Usage(model=llm.model)
        status, error, inp, out, model = "ok", None, None, None, llm.model
        value: T | None = None
        notes: list[str] = []
        response = (line or {}).get("response") or {}
        body = response.get("body") or {}
        if line is None:
            status, error = "missing", f"no result for this request (batch {stored.status})"
        elif line.get("error") or response.get("status_code") != 200:
            detail = line.get("error") or body.get("error") or {}
            status = "expired" if detail.get("code") == "batch_expired" else "error"
            error = (
                f"{detail.get('message') or 'request failed'} (HTTP {response.get('status_code')})"
            )
        else:
            u = body.get("usage") or {}
            inp, out = u.get("prompt_tokens"), u.get("completion_tokens")
            model = str(body.get("model") or llm.model)
            choice = (body.get("choices") or [{}])[0]
            content = (choice.get("message") or {}).get("content") or ""
            try:
                parsed, notes = repair_fields(json.loads(content), job.output_model)
                value = job.output_model.model_validate(parsed)
            except (ValueError, ValidationError) as exc:
                status, error = "invalid", f"the reply does not match the schema: {str(exc)[:300]}"
            if value is not None and job.check is not None:
                # no re-ask in a batch: what the check finds is repaired or reported
                checked = job.check(value)
                value, notes = checked.value, notes + checked.repairs + checked.problems
            if choice.get("finish_reason") == "length":
                status, error, value = "length", "finish_reason=length", None
        full = cost_usd(model, inp, out, prices) if inp is not None and out is not None else None
        cost = None if full is None else full * BATCH_DISCOUNT
        if inp is None and out is None and status != "ok":
            cost = 0.0  # nothing was answered, nothing is billed
        usage = usage.plus(inp, out, cost, model)
        log.log_call(
            CallRecord(
                run_id=stored.run_id,
                task=job.task,
                model=model,
                prompt_file=str(prompt.path),
                prompt_version=prompt.version,
                input_hash=in_hash,
                fixture_key=key,
                attempt=1,
                method="batch",
                input_tokens=inp,
                output_tokens=out,
                cost_usd=cost,
                latency_ms=0.0,
                status=status,
                error=error,
                fixture=False,
            )
        )
        result: JobResult[T] = JobResult(
            job, value=value, usage=usage, run_id=stored.run_id, warnings=notes if value else []
        )
        if value is None:
            message = f"task '{job.task}' ({cid}): {error}"
            if status == "length":
                result.error = OutputLengthError(
                    message, task=job.task, usage=usage, limit=int(out or 0)
                )
            else:
                kind = InvalidOutputError if status == "invalid" else EndpointError
                result.error = kind(message, task=job.task, usage=usage)
        results[cid] = result
    return results


def mark_collected(ws: Workspace, stored: StoredBatch, failed: int, note: str) -> None:
    """Close the batch and its run once its results are stored."""
    _update(ws, stored.id, "collected", stored.counts, note)
    RunLog(ws.conn).finish_run(stored.run_id, "partial" if failed else "ok", note)


__all__ = [
    "BATCH_DISCOUNT",
    "BatchUnsupportedError",
    "StoredBatch",
    "cancel",
    "fetch",
    "mark_collected",
    "refresh",
    "request_body",
    "stored_batches",
    "submit",
]
