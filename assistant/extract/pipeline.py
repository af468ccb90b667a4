"""Plan and run extraction: one structured task per interview (per window when long).

Incremental: an interview is extracted again only when its content hash, the
prompt version or the configured model differ from its stored analysis, or
when the last attempt failed (``force`` re-extracts anyway). All windows of
all selected interviews run as one budgeted batch
(:func:`~assistant.llm.tasks.run_batch`); one interview's failure never stops
the others, it is stored as failed and can be retried alone.

An answer cut at its output limit (``finish_reason=length``) does not fail
the interview: its window is split in two at a turn boundary and each half is
asked in a further round (:mod:`~assistant.extract.split`), each split noted in
the run log. Nothing paid for is lost: each window's answer is kept as it arrives, and an
interview is verified and stored the moment its last window returns, so a
kill or Ctrl-C after 22 of 30 calls keeps those 22, and the next run sends
only the 8 that are missing.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.embeddings import Embedder, for_analysis, make_embedder
from assistant.evidence import TranscriptIndex
from assistant.extract.answer_checks import analysis_warnings, speaker_check, window_warnings
from assistant.extract.checked import CheckedAnalysis, QuoteChecker, check_analysis
from assistant.extract.merge import merge_analyses
from assistant.extract.split import MAX_SPLITS, split_note, split_window, unsplittable_message
from assistant.extract.store import (
    Provenance,
    analysis_row,
    save_analysis,
    save_failure,
    stored_counts,
)
from assistant.extract.windows import Window, scope_line, speakers_line, split_windows
from assistant.hashing import stable_hash
from assistant.library import interview_ids, load_transcript, resolve_interview_id
from assistant.llm.budget import PlannedCall, plan_call
from assistant.llm.prompts import load_prompt
from assistant.llm.runlog import CallRecord, RunLog, step_warnings
from assistant.llm.tasks import (
    JobResult,
    LlmTaskError,
    OutputLengthError,
    StructuredJob,
    run_batch,
)
from assistant.locking import writes
from assistant.models import Transcript
from assistant.progress import ProgressFn
from assistant.resources import prompts_dir
from assistant.schemas import InterviewAnalysis, extraction_model
from assistant.settings import Settings, StudySettings
from assistant.study import EXTRACTION_FOCUS, study_block
from assistant.workspace import Workspace

TASK = "extract_interview"


def extraction_prompt() -> Path:
    """The bundled extraction prompt file."""
    return prompts_dir() / "extract_interview.md"


@dataclass
class ExtractionOutcome:
    """What happened to one interview: ``extracted``, ``unchanged``, ``failed`` or ``skipped``."""

    interview_id: str
    status: str
    insights: int = 0
    verified: int = 0
    unverified: int = 0
    note: int = 0
    unattributed: int = 0
    windows: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    """What was repaired, dropped or looks wrong in the answers (see answer_checks)."""

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "skipped")

    def to_json(self) -> dict[str, Any]:
        """The `persona extract --json` object."""
        return {
            "interview_id": self.interview_id,
            "status": self.status,
            "insights": self.insights,
            "verified": self.verified,
            "unverified": self.unverified,
            "note": self.note,
            "unattributed": self.unattributed,
            "windows": self.windows,
            "error": self.error,
            "warnings": self.warnings,
        }


@dataclass
class _Target:
    """An interview that needs extraction, with its windows and jobs."""

    iid: str
    content_hash: str
    transcript: Transcript
    windows: list[Window]
    jobs: list[StructuredJob[Any]] = field(default_factory=list)
    pieces: list[_Piece] = field(default_factory=list)
    """The windows as asked, in order (a window whose answer was cut becomes two)."""
    settled: bool = False


@dataclass(eq=False)
class _Piece:
    """One window of a target as asked, with its answer once it came."""

    window: Window
    job: StructuredJob[Any]
    depth: int = 0
    result: JobResult[Any] | None = None


def _job(
    transcript: Transcript,
    window: Window,
    speakers: str,
    study: StudySettings,
    check: Callable[[Any], Any] | None,
) -> StructuredJob[Any]:
    """The extraction job of one window (its schema follows the study's audience;
    ``check`` repairs or reports the speaker labels it echoes)."""
    variables = {
        "transcript": window.text,
        "speakers": speakers,
        "scope": scope_line(transcript, window),
        "study": study_block(study),
        "focus": EXTRACTION_FOCUS[study.audience],
    }
    model = extraction_model(study.audience)
    return StructuredJob(
        TASK, extraction_prompt(), variables, model, check=check, on_length="raise"
    )


def _select(ws: Workspace, ids: Sequence[str] | None) -> list[str]:
    if ids:
        return list(dict.fromkeys(resolve_interview_id(ws, i) for i in ids))
    return interview_ids(ws)


def _is_current(ws: Workspace, iid: str, content_hash: str, version: str, model: str) -> bool:
    row = analysis_row(ws.conn, iid)
    return (
        row is not None
        and row["status"] == "ok"
        and row["content_hash"] == content_hash
        and row["prompt_version"] == version
        and row["model"] == model
    )


def _plan(
    ws: Workspace, settings: Settings, ids: Sequence[str] | None, force: bool
) -> tuple[list[_Target], list[str]]:
    """(interviews needing work with their jobs, interviews already current)."""
    cfg = settings.extract
    version = load_prompt(extraction_prompt()).version
    study = settings.study
    targets: list[_Target] = []
    current: list[str] = []
    for iid in _select(ws, ids):
        transcript = load_transcript(ws.conn, iid)
        chash = transcript.content_hash
        if not force and _is_current(ws, iid, chash, version, settings.llm.model):
            current.append(iid)
            continue
        windows = split_windows(transcript, cfg.window_tokens, cfg.overlap_turns)
        target = _Target(iid, chash, transcript, windows)
        speakers = speakers_line(transcript)
        check = speaker_check([label for label, _, _ in transcript.speakers()])
        for w in windows:
            target.jobs.append(_job(transcript, w, speakers, study, check))
        target.pieces = [_Piece(w, j) for w, j in zip(windows, target.jobs, strict=True)]
        targets.append(target)
    return targets, current


def plan_extraction(
    ws: Workspace, settings: Settings, ids: Sequence[str] | None = None, force: bool = False
) -> list[PlannedCall]:
    """The calls `persona extract` would make (only interviews that need work)."""
    targets, _ = _plan(ws, settings, ids, force)
    return [plan_call(j.prompt_file, j.variables, j.output_model) for t in targets for j in t.jobs]


class _ProgressLog(RunLog):
    """The workspace run log, also reporting each successful call to ``progress``."""

    def __init__(self, ws: Workspace, owners: dict[str, str], total: int, fn: ProgressFn) -> None:
        super().__init__(ws.conn)
        self.owners = owners
        self.total = total
        self.fn = fn
        self.done = 0

    def log_call(self, rec: CallRecord) -> None:
        super().log_call(rec)
        if rec.status == "ok":
            self.done += 1
            self.fn(self.done, self.total, self.owners.get(rec.input_hash, rec.task))

    def say(self, iid: str, what: str) -> None:
        """Report work on ``iid`` between calls (at the current count)."""
        self.fn(self.done, self.total, f"{iid}: {what}")


def _unchanged(ws: Workspace, iid: str) -> ExtractionOutcome:
    n, counts = stored_counts(ws.conn, iid)
    row = analysis_row(ws.conn, iid)
    windows = int(row["windows"]) if row else 0
    return _counted(ExtractionOutcome(iid, "unchanged", n, windows=windows), counts)


def _counted(outcome: ExtractionOutcome, counts: dict[str, int]) -> ExtractionOutcome:
    outcome.verified = counts["verified"]
    outcome.unverified = counts["unverified"]
    outcome.note = counts["note"]
    outcome.unattributed = counts["unattributed"]
    return outcome


def _settle(
    ws: Workspace,
    target: _Target,
    results: list[JobResult[Any]],
    settings: Settings,
    prov: Provenance,
    embedder: Callable[[], Embedder],
    say: Callable[[str], None] | None = None,
) -> ExtractionOutcome:
    """Verify, merge and store one interview's window results (or record its failure).

    ``say`` hears what is being done between the last answer and the stored
    interview (a long interview's windows: verifying, merging, storing).
    """
    iid = target.iid
    problem = next((r for r in results if r.status != "ok"), None)
    if problem is not None:
        if problem.skipped:
            error = "not started: the budget was reached"
            status = "skipped"
        else:
            error = str(problem.error)
            status = "failed"
        save_failure(ws.conn, iid, target.content_hash, prov, error)
        return ExtractionOutcome(iid, status, windows=len(target.windows), error=error)
    cfg = settings.extract
    checker = QuoteChecker(TranscriptIndex(target.transcript), cfg.fuzzy_threshold)
    parts: list[CheckedAnalysis] = []
    models: list[str] = []
    warnings: list[str] = []
    fixture = False
    windows = [p.window for p in target.pieces] or target.windows  # as asked (split or not)
    for n, (r, w) in enumerate(zip(results, windows, strict=True)):
        assert r.value is not None and r.usage is not None
        if say is not None:
            say(f"verifying the quotes of window {n + 1} of {len(windows)}")
        if w.part:
            where = f" (turns {w.first_turn}-{w.last_turn})"
        else:
            where = f" (part {w.index + 1} of {w.count})" if w.count > 1 else ""
        value = r.value if isinstance(r.value, InterviewAnalysis) else r.value.to_analysis()
        warnings += [f"{x}{where}" for x in r.warnings]
        warnings += window_warnings(w.text, value, where)
        parts.append(check_analysis(value, checker))
        models.append(r.usage.model)
        fixture = fixture or r.usage.fixture
    if say is not None and len(parts) > 1:
        say(f"merging the insights of {len(parts)} windows")
    merged = parts[0] if len(parts) == 1 else merge_analyses(parts, embedder(), cfg.merge_threshold)
    warnings = list(dict.fromkeys([*warnings, *analysis_warnings(target.transcript.text, merged)]))
    RunLog(ws.conn).add_warnings(results[-1].run_id, step_warnings("extract", iid, warnings))
    answered = replace(prov, response_model=", ".join(dict.fromkeys(models)), fixture=fixture)
    if say is not None:
        say(f"storing {len(merged.insights)} insights")
    try:
        save_analysis(ws.conn, iid, target.content_hash, merged, answered)
    except Exception as exc:
        error = f"cannot store: {type(exc).__name__}: {exc}"
        save_failure(ws.conn, iid, target.content_hash, prov, error)
        return ExtractionOutcome(iid, "failed", windows=len(parts), error=error)
    counts = merged.counts()
    outcome = ExtractionOutcome(
        iid, "extracted", len(merged.insights), windows=len(parts), warnings=warnings
    )
    return _counted(outcome, counts)


@writes("extracting insights")
def extract_interviews(
    ws: Workspace,
    settings: Settings,
    ids: Sequence[str] | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
    *,
    embedder: Embedder | None = None,
) -> list[ExtractionOutcome]:
    """Extract, verify and store the analyses of interviews (all when ``ids`` is empty).

    Returns one outcome per selected interview, in id order. Budget refusals
    (:class:`~assistant.llm.budget.BudgetExceededError`), missing fixtures in
    replay mode and fatal endpoint errors raise before anything is stored.
    ``embedder`` (default: the configured one, loaded only when a transcript
    needs several windows) is used to merge windows' insights.
    """
    targets, current = _plan(ws, settings, ids, force)
    outcomes = {iid: _unchanged(ws, iid) for iid in current}
    jobs = [j for t in targets for j in t.jobs]
    if jobs:
        owners = {stable_hash(j.variables): t.iid for t in targets for j in t.jobs}
        log = (
            _ProgressLog(ws, owners, len(jobs), progress)
            if progress is not None
            else RunLog(ws.conn)
        )
        loaded: list[Embedder] = [for_analysis(embedder)] if embedder is not None else []

        def get_embedder() -> Embedder:
            if not loaded:
                loaded.append(for_analysis(make_embedder(settings.embeddings)))
            return loaded[0]

        version = load_prompt(extraction_prompt()).version
        queue = [(t, piece) for t in targets for piece in t.pieces]
        speakers = {t.iid: speakers_line(t.transcript) for t in targets}
        study = settings.study
        notes: list[str] = []
        split_away: set[int] = set()
        budget = settings.llm.budget_usd
        spent = 0.0

        def store_now(owner: list[tuple[_Target, _Piece]], i: int, result: JobResult[Any]) -> None:
            """Verify and store an interview as soon as its last window returns; split a
            window whose answer was cut at the output limit and queue its halves."""
            t, piece = owner[i]
            piece.result = result
            if t.settled:
                return
            if isinstance(result.error, OutputLengthError):
                exc = result.error
                halves = None
                if not exc.repetitive and piece.depth < MAX_SPLITS:
                    halves = split_window(t.transcript, piece.window)
                if halves is not None:
                    made = [
                        _Piece(
                            w,
                            _job(t.transcript, w, speakers[t.iid], study, piece.job.check),
                            piece.depth + 1,
                        )
                        for w in halves
                    ]
                    at = t.pieces.index(piece)
                    t.pieces[at : at + 1] = made
                    queue.extend((t, m) for m in made)
                    notes.append(split_note(t.iid, piece.window, halves, exc.limit))
                    split_away.add(id(result))
                    if isinstance(log, _ProgressLog):
                        log.total += 1
                        log.owners.update({stable_hash(m.job.variables): t.iid for m in made})
                    return
                message = unsplittable_message(t.transcript, piece.window, exc)
                result.error = OutputLengthError(
                    f"task '{TASK}': {message}", task=TASK, usage=exc.usage, limit=exc.limit
                )
            if result.status == "ok" and any(p.result is None for p in t.pieces):
                return
            t.settled = True
            prov = Provenance(settings.llm.model, version, run_id=result.run_id)
            mine = [p.result or result for p in t.pieces]
            say = None
            if isinstance(log, _ProgressLog) and len(mine) > 1:  # a long interview: seconds
                say = functools.partial(log.say, t.iid)
            outcomes[t.iid] = _settle(ws, t, mine, settings, prov, get_embedder, say)

        try:
            while queue:
                owner, queue, noted = queue, [], len(notes)
                batch = asyncio.run(
                    run_batch(
                        [piece.job for _, piece in owner],
                        settings=settings,
                        workspace=ws,
                        runlog=log,
                        label=TASK if not notes else f"{TASK} (split windows)",
                        budget_usd=None if budget is None else max(0.0, budget - spent),
                        reuse=not force,
                        on_result=functools.partial(store_now, owner),
                        notes=list(notes),
                    )
                )
                spent += batch.spent_usd
                if batch.reused and progress is not None:
                    progress(
                        len(jobs), len(jobs), f"{batch.reused} answers kept from an earlier run"
                    )
                if len(notes) > noted:
                    # Cut answers were split and asked again: not a partial run by themselves.
                    lost = sum(r.status != "ok" and id(r) not in split_away for r in batch.results)
                    status = "ok" if lost == 0 and not batch.stopped_for_budget else None
                    log.add_note(batch.run_id, "\n".join(notes[noted:]), status)
        except LlmTaskError as exc:
            # A fatal endpoint error stopped the batch: interviews not stored yet are
            # marked failed with the reason, so every one of them says why.
            reason = str(exc)
            prov = Provenance(settings.llm.model, version)
            for t in targets:
                if t.iid not in outcomes:
                    save_failure(ws.conn, t.iid, t.content_hash, prov, reason)
            raise
    return [outcomes[i] for i in sorted(outcomes)]
