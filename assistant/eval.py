"""`persona eval`: run a small labelled set through a model and measure its answers.

The set is the bundled sample interviews (``fixtures/transcripts/``), each with
reference insights we wrote in our own words (``fixtures/eval/<interview>.json``).
For each model, the interviews are ingested into a temporary workspace (the
user's workspace is never touched) and extracted, under the samples' ``[study]``
(Tallyflow, b2b) whatever the user's own says, exactly as `persona extract`
does, live against the configured endpoint or, with ``replay``, from the bundled
cassettes (no network). The report, per model:

- calls answered, the share whose first answer was schema-valid, re-asks (answers
  rejected and asked again) and truncations (``finish_reason=length``), from
  the run log of that workspace;
- the share of quotes verified against the transcripts (of every quote offered:
  unverified ones, quotes of interviewer notes and unattributed ones count
  as not verified);
- the share of reference insights found: a reference counts as found when an
  extracted insight of the same interview has a cosine similarity of at least
  :data:`THRESHOLD` with it, both embedded with the workspace's local embedder;
- cost (None when the model's price is unknown) and latency.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.embeddings import Embedder
from assistant.errors import UsageError
from assistant.resources import bundled_path
from assistant.settings import Settings
from assistant.workspace import Workspace, init_workspace

THRESHOLD = 0.5
"""Cosine similarity at which an extracted insight matches a reference insight.

Measured with the default local model (all-MiniLM-L6-v2) on the sample set:
the authored answers reach 0.5 for 98 % of the references (88 % at 0.55, 78 %
at 0.6); paraphrases of the same finding typically score 0.5-0.8, unrelated
findings about the same product 0.3-0.5. Another embedding model may need
another threshold (``threshold=``).
"""


@dataclass(frozen=True)
class Reference:
    """One reference insight of the labelled set."""

    interview: str
    kind: str
    statement: str


@dataclass(frozen=True)
class ReferenceResult:
    """Whether a reference insight was found, and the closest extracted insight."""

    reference: Reference
    similarity: float
    closest: str | None
    found: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "interview": self.reference.interview,
            "kind": self.reference.kind,
            "statement": self.reference.statement,
            "found": self.found,
            "similarity": round(self.similarity, 3),
            "closest": self.closest,
        }


@dataclass
class ModelReport:
    """What one model did on the labelled set."""

    model: str
    mode: str
    """``live`` or ``replay`` (recorded answers, no network)."""
    answered_by: list[str]
    """Model names the answers carry (``authored-fixture`` for our recorded answers)."""
    interviews: int
    failed: dict[str, str]
    """Interview id -> why its extraction failed."""
    calls: int
    """Calls (jobs) that got at least one answer; retries and re-asks not counted."""
    unanswered: int
    """Calls that never got an answer (endpoint errors only)."""
    first_try_valid: int
    reasks: int
    truncations: int
    quotes_verified: int
    quotes: int
    references: list[ReferenceResult]
    cost_usd: float | None
    latency_ms_mean: float | None
    wall_s: float
    threshold: float
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return sum(r.found for r in self.references)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return None if whole == 0 else round(part / whole, 4)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "mode": self.mode,
            "answered_by": self.answered_by,
            "interviews": self.interviews,
            "failed": self.failed,
            "calls": self.calls,
            "unanswered": self.unanswered,
            "schema_valid_first_try": self._share(self.first_try_valid, self.calls),
            "reasks": self.reasks,
            "truncations": self.truncations,
            "quotes_verified": self._share(self.quotes_verified, self.quotes),
            "quotes": self.quotes,
            "references_found": self._share(self.found, len(self.references)),
            "references": [r.to_json() for r in self.references],
            "threshold": self.threshold,
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 6),
            "latency_ms_mean": self.latency_ms_mean,
            "wall_s": round(self.wall_s, 2),
            "notes": self.notes,
        }

    def lines(self) -> list[str]:
        """The report for a terminal."""

        def pct(part: int, whole: int) -> str:
            return "n/a" if whole == 0 else f"{part / whole:.0%} ({part}/{whole})"

        cost = "unknown (no price)" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        latency = "n/a" if self.latency_ms_mean is None else f"{self.latency_ms_mean:.0f} ms"
        out = [
            f"== {self.model} ({self.mode}; answers by {', '.join(self.answered_by) or 'none'})",
            f"interviews extracted      {self.interviews - len(self.failed)}/{self.interviews}",
            f"calls answered            {self.calls} ({self.unanswered} without an answer)",
            f"schema-valid first try    {pct(self.first_try_valid, self.calls)}",
            f"re-asks                   {self.reasks}",
            f"truncations               {self.truncations}",
            f"quotes verified           {pct(self.quotes_verified, self.quotes)}",
            f"reference insights found  {pct(self.found, len(self.references))}"
            f"  (cosine >= {self.threshold})",
            f"cost                      {cost}",
            f"latency per call (mean)   {latency}; {self.wall_s:.1f} s in all",
        ]
        out += [f"failed: {iid}: {why}" for iid, why in self.failed.items()]
        missing = [r for r in self.references if not r.found]
        for r in missing:
            out.append(
                f"missing: {r.reference.interview}: {r.reference.statement} "
                f"(closest {r.similarity:.2f})"
            )
        out += [f"note: {n}" for n in self.notes]
        return out


def load_references(folder: Path | None = None) -> list[Reference]:
    """The reference insights of the labelled set (``fixtures/eval/*.json``)."""
    folder = folder or bundled_path("fixtures/eval")
    refs: list[Reference] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        refs += [
            Reference(data["interview"], r["kind"], r["statement"]) for r in data["references"]
        ]
    if not refs:
        raise UsageError(f"no reference insights in {folder}")
    return refs


def run_eval(
    settings: Settings,
    models: Sequence[str] = (),
    *,
    replay: bool = False,
    embedder: Embedder | None = None,
    threshold: float = THRESHOLD,
    references: Sequence[Reference] | None = None,
    transcripts: Path | None = None,
) -> list[ModelReport]:
    """Evaluate each of ``models`` (default: the configured one) on the labelled set."""
    from assistant.embeddings import make_embedder

    refs = list(references) if references is not None else load_references()
    embedder = embedder or make_embedder(settings.embeddings)
    folder = transcripts or bundled_path("fixtures/transcripts")
    return [
        _eval_model(settings, model, replay, embedder, threshold, refs, folder)
        for model in (models or [settings.llm.model])
    ]


def _eval_model(
    settings: Settings,
    model: str,
    replay: bool,
    embedder: Embedder,
    threshold: float,
    refs: list[Reference],
    transcripts: Path,
) -> ModelReport:
    from assistant.demo import SAMPLE_STUDY, demo_settings
    from assistant.extract import extract_interviews
    from assistant.library import ingest_paths
    from assistant.settings import StudySettings

    run = settings.model_copy(deep=True)
    run.llm.model = model
    run.study = StudySettings.model_validate(SAMPLE_STUDY)  # the set is Tallyflow's interviews
    if replay:
        run = demo_settings(run)
    mode = "replay" if run.llm.mode == "replay" else "live"
    with tempfile.TemporaryDirectory(prefix="persona-eval-") as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        try:
            ingested = ingest_paths(ws, [transcripts], embedder=embedder)
            bad = [r for r in ingested if r.status not in ("ingested", "unchanged")]
            if bad:
                raise UsageError(f"the labelled set did not ingest: {bad[0]}")
            started = time.perf_counter()
            outcomes = extract_interviews(ws, run, embedder=embedder)
            wall = time.perf_counter() - started
            report = _report(ws, model, mode, outcomes, wall, threshold)
            report.references = _match(ws, refs, embedder, threshold)
            unknown = sorted({r.interview for r in refs} - {o.interview_id for o in outcomes})
            if unknown:
                report.notes.append(
                    f"references name interviews not in the set: {', '.join(unknown)}"
                )
            return report
        finally:
            ws.close()


def _report(
    ws: Workspace, model: str, mode: str, outcomes: Sequence[Any], wall: float, threshold: float
) -> ModelReport:
    calls = ws.conn.execute(
        "SELECT fixture_key, attempt, status, model, cost_usd, latency_ms FROM llm_calls "
        "ORDER BY rowid"
    ).fetchall()
    by_job: dict[str, list[str]] = {}
    for c in calls:
        by_job.setdefault(str(c["fixture_key"]), []).append(str(c["status"]))
    answered = [s for statuses in by_job.values() for s in statuses if s != "missing_fixture"]
    firsts = [_first_answer(statuses) for statuses in by_job.values()]
    costs = [c["cost_usd"] for c in calls if c["status"] != "missing_fixture"]
    latencies = [float(c["latency_ms"]) for c in calls if c["status"] != "missing_fixture"]
    return ModelReport(
        model=model,
        mode=mode,
        answered_by=sorted({str(c["model"]) for c in calls if c["status"] == "ok"}),
        interviews=len(outcomes),
        failed={o.interview_id: str(o.error or o.status) for o in outcomes if o.failed},
        calls=sum(f is not None for f in firsts),
        unanswered=firsts.count(None),
        first_try_valid=firsts.count("ok"),
        reasks=answered.count("invalid_output"),
        truncations=answered.count("length"),
        quotes_verified=sum(o.verified for o in outcomes),
        quotes=sum(o.verified + o.unverified + o.note + o.unattributed for o in outcomes),
        references=[],
        cost_usd=None if not costs or None in costs else float(sum(costs)),
        latency_ms_mean=round(sum(latencies) / len(latencies), 1) if latencies else None,
        wall_s=wall,
        threshold=threshold,
    )


ANSWER_STATUSES = ("ok", "invalid_output", "length")
"""Run-log statuses of attempts that got an answer (others are transport errors)."""


def _first_answer(statuses: list[str]) -> str | None:
    """The status of a job's first answered attempt (retries after errors skipped)."""
    return next((s for s in statuses if s in ANSWER_STATUSES), None)


def _match(
    ws: Workspace, refs: list[Reference], embedder: Embedder, threshold: float
) -> list[ReferenceResult]:
    """Each reference against the extracted insights of its interview (exact vectors:
    :func:`~assistant.embeddings.for_analysis`, as the threshold was measured)."""
    import numpy as np

    from assistant.embeddings import for_analysis

    embedder = for_analysis(embedder)

    rows = ws.conn.execute("SELECT interview_id, statement FROM insights ORDER BY rowid").fetchall()
    statements: dict[str, list[str]] = {}
    for r in rows:
        statements.setdefault(str(r["interview_id"]), []).append(str(r["statement"]))
    vectors = {
        iid: _unit(np.asarray(embedder.embed(texts), dtype=float))
        for iid, texts in statements.items()
    }
    out: list[ReferenceResult] = []
    ref_vecs = _unit(np.asarray(embedder.embed([r.statement for r in refs]), dtype=float))
    for ref, vec in zip(refs, ref_vecs, strict=True):
        found = statements.get(ref.interview, [])
        if not found:
            out.append(ReferenceResult(ref, 0.0, None, False))
            continue
        sims = vectors[ref.interview] @ vec
        best = int(np.argmax(sims))
        score = float(sims[best])
        out.append(ReferenceResult(ref, score, found[best], score >= threshold))
    return out


def _unit(matrix: Any) -> Any:
    """Rows scaled to length 1 (cosine similarity is then a dot product)."""
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
