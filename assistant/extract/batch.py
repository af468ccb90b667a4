"""`persona extract --batch`: extraction through the provider's Batch API.

:func:`submit_extraction` plans exactly what `persona extract` would send (the
same windows, prompt variables and model) and submits it as one batch; custom
ids are ``<interview id>#<window>:<input hash>``. :func:`collect_extraction`
(any later process: `persona batch collect ID`) re-plans the interviews,
matches each result to its window by input hash, and stores every interview
whose windows all came back through the same verify-merge-store step as the
synchronous path (:func:`~assistant.extract.pipeline._settle`). Failed,
expired or invalid lines are retried synchronously (``retry=True``, default)
or reported per interview as failed with the reason. An interview with an
answer cut at its output limit is extracted again synchronously, where the
cut window is split in two and each half asked (a batch cannot split).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from assistant.embeddings import Embedder, for_analysis, make_embedder
from assistant.errors import UsageError
from assistant.extract.pipeline import (
    TASK,
    ExtractionOutcome,
    _plan,
    _settle,
    _Target,
    extract_interviews,
    extraction_prompt,
)
from assistant.extract.store import Provenance
from assistant.hashing import stable_hash as input_hash
from assistant.llm.batch import (
    SUBMITTING,
    StoredBatch,
    fetch,
    mark_collected,
    stored_batches,
    submit,
    waiting_requests,
)
from assistant.llm.prompts import load_prompt
from assistant.llm.task_results import OutputLengthError
from assistant.llm.tasks import JobResult, StructuredJob, run_batch
from assistant.locking import writes
from assistant.progress import ProgressFn
from assistant.settings import Settings
from assistant.workspace import Workspace


def _custom_id(target: _Target, window: int, job: StructuredJob[Any]) -> str:
    return f"{target.iid}#{window}:{input_hash(job.variables)}"


@writes("submitting a batch")
def submit_extraction(
    ws: Workspace, settings: Settings, ids: Sequence[str] | None = None, force: bool = False
) -> StoredBatch | None:
    """Submit the extraction of the selected interviews as one batch (None: nothing to do)."""
    targets, _ = _plan(ws, settings, ids, force)
    jobs = {_custom_id(t, w, j): j for t in targets for w, j in enumerate(t.jobs)}
    if not jobs:
        return None
    waiting = waiting_requests(ws, TASK)
    if any(b.startswith(SUBMITTING) for b in waiting.values()):
        raise UsageError(
            "a batch submit of this workspace was interrupted: run `persona batch status` "
            "(it finds the batch at the provider or clears the submit) before submitting again"
        )
    # an interview whose window is in a batch not collected yet would be paid for twice
    queued = sorted({cid.split("#", 1)[0]: waiting[cid] for cid in jobs if cid in waiting}.items())
    if queued:
        where = ", ".join(f"{iid} (batch {bid})" for iid, bid in queued[:5])
        more = f" and {len(queued) - 5} more" if len(queued) > 5 else ""
        raise UsageError(
            f"{len(queued)} of these interviews are already in a batch not collected yet: "
            f"{where}{more}; collect it (`persona batch collect ID`) or cancel it first"
        )
    return submit(ws, settings, TASK, jobs)


@writes("collecting a batch")
def collect_extraction(
    ws: Workspace,
    settings: Settings,
    batch_id: str,
    retry: bool = True,
    progress: ProgressFn | None = None,
) -> tuple[list[ExtractionOutcome], list[str]]:
    """Store a finished extraction batch; (outcomes, notes on what was retried or changed).

    ``progress`` hears of each interview as it is stored (``extract: <id>``).
    """
    (stored,) = stored_batches(ws, batch_id)
    iids = sorted({cid.split("#", 1)[0] for cid in stored.custom_ids})
    targets, _ = _plan(ws, settings, iids, force=True)
    current = {_custom_id(t, w, j): (t, w) for t in targets for w, j in enumerate(t.jobs)}
    notes: list[str] = []
    stale = [cid for cid in stored.custom_ids if cid not in current]
    if stale:
        notes.append(
            f"{len(stale)} requests no longer match their interview (changed since submit): "
            "their answers are not stored; run `persona extract` on them"
        )
    wanted = {
        cid: current[cid][0].jobs[current[cid][1]] for cid in stored.custom_ids if cid in current
    }
    results = fetch(ws, settings, batch_id, wanted)
    cut = {
        current[cid][0].iid
        for cid, r in results.items()
        if retry and isinstance(r.error, OutputLengthError)
    }
    if cut:
        notes.append(
            f"{len(cut)} interviews had an answer cut at its output limit: extracted again "
            f"synchronously with the cut window split in two: {', '.join(sorted(cut))}"
        )
    failed = [
        cid for cid, r in results.items() if r.error is not None and current[cid][0].iid not in cut
    ]
    if failed and retry:
        notes.append(f"{len(failed)} failed batch lines retried synchronously: {', '.join(failed)}")
        batch = asyncio.run(
            run_batch(
                [results[cid].job for cid in failed],
                settings=settings,
                workspace=ws,
                label=f"{TASK} (batch retry)",
            )
        )
        for cid, r in zip(failed, batch.results, strict=True):
            results[cid] = r
    elif failed:
        notes.append(f"{len(failed)} failed batch lines reported, not retried: {', '.join(failed)}")
    version = load_prompt(extraction_prompt()).version
    loaded: list[Embedder] = []

    def get_embedder() -> Embedder:
        if not loaded:
            loaded.append(for_analysis(make_embedder(settings.embeddings)))
        return loaded[0]

    outcomes: list[ExtractionOutcome] = []
    stale_targets = {cid.split("#", 1)[0] for cid in stale}
    for t in targets:
        if t.iid in cut:
            continue
        mine: list[JobResult[Any]] = []
        for w, j in enumerate(t.jobs):
            cid = _custom_id(t, w, j)
            if cid in results:
                mine.append(results[cid])
        if t.iid in stale_targets or len(mine) < len(t.jobs):
            outcomes.append(
                ExtractionOutcome(t.iid, "failed", error="changed since the batch was submitted")
            )
            continue
        prov = Provenance(settings.llm.model, version, run_id=stored.run_id)
        outcomes.append(_settle(ws, t, mine, settings, prov, get_embedder))
        if progress:
            progress(len(outcomes), len(targets), f"extract: {t.iid}")
    if cut:
        outcomes += extract_interviews(ws, settings, sorted(cut), force=True, progress=progress)
    bad = sum(o.failed for o in outcomes)
    mark_collected(
        ws,
        stored,
        bad,
        "; ".join([f"{len(outcomes) - bad} interviews stored, {bad} failed", *notes]),
    )
    return outcomes, notes
