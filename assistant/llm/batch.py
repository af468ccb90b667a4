"""The provider's Batch API (OpenAI ``/v1/files`` + ``/v1/batches``): half price, within 24 h.

:func:`submit` renders every job exactly as a synchronous call would be sent
(same messages, strict JSON schema, model, temperature and output limit),
uploads them as one JSONL file and creates the batch; the batch id, the jobs'
custom ids and the run it belongs to are kept in the workspace
(``llm_batches``, migration 9), so any later process can :func:`refresh` or
:func:`fetch` it. The row is written as soon as the input file is uploaded
(status ``submitting``, before the create call), so a crash between the
provider accepting the batch and our answer loses nothing: :func:`recover`
(run by every batch command) finds the batch by its input file and keeps it, or,
when the provider never created it, deletes the file and says so. A server without the Batch API (local servers) raises
:class:`BatchUnsupportedError` and nothing stays behind (an uploaded file is
deleted again). :func:`fetch` turns each output line into a
:class:`~assistant.llm.tasks.JobResult` validated against the job's output
model and logs it in the run log like any call (method ``batch``, cost at
:data:`BATCH_DISCOUNT` of the list price); failed, expired or invalid lines
come back as per-item errors for the caller to retry or report.
"""

from __future__ import annotations

import contextlib
import itertools
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
SUBMITTING = "submitting"
"""A row whose input file is uploaded and whose ``batches.create`` had not returned."""
CLOSED = ("collected", "cancelled")
"""Statuses after which a batch's requests are no longer waiting for collection."""
RECOVER_SCAN = 1000
"""Provider batches listed (newest first) when looking for an interrupted submit."""


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
    placeholder = f"{SUBMITTING}:{upload.id}"
    created = now_iso()
    with transaction(ws.conn):  # kept before the create call: a crash after it loses nothing
        ws.conn.execute(
            "INSERT INTO llm_batches(id, task, run_id, status, custom_ids_json, counts_json, "
            "input_file_id, created_at, updated_at) VALUES (?, ?, '', ?, ?, '{}', ?, ?, ?)",
            (placeholder, task, SUBMITTING, json.dumps(list(jobs)), upload.id, created, created),
        )
    try:  # never retried: a create whose answer was lost would make a second, billed batch
        batch = client.with_options(max_retries=0).batches.create(
            input_file_id=upload.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"task": task, "workspace": ws.root.name[:64]},
        )
    except openai.NotFoundError as exc:
        client.files.delete(upload.id)  # nothing half-submitted
        _forget(ws, placeholder)
        raise _unsupported(settings, exc) from None
    except (openai.APIConnectionError, openai.InternalServerError) as exc:
        raise PersonaError(
            f"the provider did not answer the batch submit ({exc}): the batch may exist. "
            "Run `persona batch status`: it finds the batch and keeps it, or clears the submit "
            "when the provider never made it; do not submit again before"
        ) from None
    return _keep_created(ws, placeholder, batch, None)


def _keep_created(ws: Workspace, row_id: str, batch: Any, note: str | None) -> StoredBatch:
    """Turn a ``submitting`` row into the provider's batch, with a run of its own."""
    (row,) = stored_batches(ws, row_id)
    run_id = RunLog(ws.conn).start_run(f"{row.task} (batch)")
    with transaction(ws.conn):
        ws.conn.execute(
            "UPDATE llm_batches SET id = ?, run_id = ?, status = ?, counts_json = ?, note = ?, "
            "updated_at = ? WHERE id = ?",
            (
                str(batch.id),
                run_id,
                str(batch.status),
                json.dumps(_counts(batch)),
                note,
                now_iso(),
                row_id,
            ),
        )
    return stored_batches(ws, str(batch.id))[0]


def _forget(ws: Workspace, row_id: str) -> None:
    with transaction(ws.conn):
        ws.conn.execute("DELETE FROM llm_batches WHERE id = ?", (row_id,))


def recover(ws: Workspace, settings: Settings) -> list[str]:
    """Settle submits that a crash interrupted; one note for each (empty: none).

    Runs as the workspace's writer, so a submit in progress in another process
    is waited for, never taken for a crashed one. A ``submitting`` row whose
    input file the provider turned into a batch becomes that batch (to collect
    as usual); one the provider never created is removed with its file.
    """
    import openai

    with ws.writing("recovering an interrupted batch submit"):
        rows = [b for b in stored_batches(ws) if b.status == SUBMITTING]
        if not rows:
            return []
        client = _client(settings)
        wanted = {_input_file(ws, b.id): b for b in rows}
        found: dict[str, Any] = {}
        for batch in itertools.islice(client.batches.list(limit=100), RECOVER_SCAN):
            if batch.input_file_id in wanted and batch.input_file_id not in found:
                found[batch.input_file_id] = batch
            if len(found) == len(wanted):
                break
        notes = []
        for file_id, row in wanted.items():
            requests = f"{len(row.custom_ids)} {row.task} requests"
            if file_id in found:
                batch = found[file_id]
                _keep_created(ws, row.id, batch, "recovered after an interrupted submit")
                notes.append(
                    f"an interrupted submit ({requests}, {row.created_at}) had created batch "
                    f"{batch.id} at the provider: it is kept and can be collected as usual"
                )
                continue
            with contextlib.suppress(openai.APIError):
                client.files.delete(file_id)
            _forget(ws, row.id)
            notes.append(
                f"an interrupted submit ({requests}, {row.created_at}) never became a batch at "
                "the provider (nothing is billed for it): submit again"
            )
        return notes


def _input_file(ws: Workspace, row_id: str) -> str:
    row = ws.conn.execute(
        "SELECT input_file_id FROM llm_batches WHERE id = ?", (row_id,)
    ).fetchone()
    return str(row["input_file_id"])


def waiting_requests(ws: Workspace, task: str) -> dict[str, str]:
    """Custom ids of ``task`` in batches not collected or cancelled yet -> their batch id."""
    return {
        cid: b.id
        for b in stored_batches(ws)
        if b.task == task and b.status not in CLOSED
        for cid in b.custom_ids
    }


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
    if stored.status in (*CLOSED, SUBMITTING):  # a submitting row waits for recover()
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
    "CLOSED",
    "SUBMITTING",
    "BatchUnsupportedError",
    "StoredBatch",
    "cancel",
    "fetch",
    "mark_collected",
    "recover",
    "refresh",
    "request_body",
    "stored_batches",
    "submit",
    "waiting_requests",
]
