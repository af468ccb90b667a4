"""Shared pieces of the generation steps: evidence links, interview facts, LLM runs.

Every generated claim cites insight (or company fact) ids; :class:`EvidenceIndex`
turns them into review-store :class:`~assistant.review.EvidenceLink` objects
pointing at their quotes. Only verified quotes make a claim supported; an
insight without one is linked with its unverified or note quotes, so the claim
shows as an assumption and the reader can see why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from assistant import db
from assistant.accounts import load_identity, load_metas
from assistant.extract import StoredInsight, list_insights
from assistant.llm.echo import Echoes, choices_text
from assistant.llm.prompts import load_prompt
from assistant.llm.runlog import RunLog, RunWarning
from assistant.llm.task_results import Checked
from assistant.llm.tasks import BatchResult, StructuredJob, run_batch
from assistant.models import EvidenceStatus
from assistant.provenance import Provenance
from assistant.resources import prompts_dir
from assistant.review import ClaimDraft, EvidenceLink, ReviewItem, upsert_generated
from assistant.schemas import CitedClaim
from assistant.settings import Settings
from assistant.study import with_study
from assistant.wording import count
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.committee import StakeholderMention

T = TypeVar("T", bound=BaseModel)


def prompt_path(task: str) -> Path:
    """The bundled prompt file of a generation task."""
    return prompts_dir() / f"{task}.md"


@dataclass(frozen=True)
class InterviewInfo:
    """What generation needs to know about one interview."""

    id: str
    date: dt.date | None
    account: str
    """The account's name from :mod:`assistant.accounts` (``(unknown: ID)`` when none)."""
    titles: dict[str, str]
    """Participant dmu_role -> title."""


def interview_infos(ws: Workspace) -> dict[str, InterviewInfo]:
    """Every interview's date, account and participant titles by role."""
    identity = load_identity(ws.conn)
    out: dict[str, InterviewInfo] = {}
    for iid, meta in load_metas(ws.conn):
        titles = {p.dmu_role.value: p.title for p in meta.participants if p.dmu_role and p.title}
        out[iid] = InterviewInfo(iid, meta.date, identity.of(iid).name, titles)
    return out


def date_order(infos: dict[str, InterviewInfo]) -> list[str]:
    """Interview ids by date (undated last), then id."""
    return sorted(infos, key=lambda i: (infos[i].date or dt.date.max, i))


@dataclass
class EvidenceIndex:
    """Insights and company facts by id, for turning cited ids into evidence links."""

    insights: dict[str, StoredInsight]
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    stakeholders: dict[str, StakeholderMention] = field(default_factory=dict)
    """Stakeholders named in buying processes (``<interview>:s<n>``): second-hand evidence."""

    @classmethod
    def load(cls, ws: Workspace) -> EvidenceIndex:
        insights = {i.id: i for i in list_insights(ws)}
        facts: dict[str, dict[str, Any]] = {}
        rows = ws.conn.execute(
            "SELECT f.id, f.interview_id, f.fact_group, f.attribute, f.value FROM company_facts f"
            " ORDER BY f.interview_id, f.position"
        ).fetchall()
        for r in rows:
            facts[r["id"]] = {**dict(r), "evidence": []}
        for e in ws.conn.execute(
            "SELECT * FROM evidence WHERE owner_type = 'fact' ORDER BY owner_id, position"
        ):
            if e["owner_id"] in facts:
                facts[e["owner_id"]]["evidence"].append(dict(e))
        from assistant.committee import load_stakeholders

        people = {m.id: m for m in load_stakeholders(ws)}
        return cls(insights, facts, people)

    def known(self, ref: str) -> bool:
        return ref in self.insights or ref in self.facts or ref in self.stakeholders

    def ids(self) -> list[str]:
        """Every id a claim may cite: insights, company facts, stakeholders."""
        return [*self.insights, *self.facts, *self.stakeholders]

    def id_check(self, variables: Mapping[str, Any]) -> Callable[[T], Checked[T]]:
        """A job check of the ids a draft cites (``evidence_ids``, ``quote_insight_ids``).

        An id written a little differently (case, whitespace, a unique prefix)
        is repaired to the id it names; an id that names nothing is a problem
        the session re-asks once, listing the ids the prompt gave.
        """
        known = self.ids()
        text = "\n".join(str(v) for v in variables.values())
        given = [i for i in known if i in text]

        def check(value: T) -> Checked[T]:
            echoes = Echoes("cited id", given, fallback=known)
            data = _map_ids(value.model_dump(mode="json"), echoes.read)
            problems = []
            if echoes.unknown:
                problems.append(f"cited ids not among those given: {choices_text(echoes.unknown)}")
            hint = f"cite only ids listed in the prompt, copied exactly: {choices_text(given, 100)}"
            return Checked(type(value).model_validate(data), problems, echoes.repairs, hint)

        return check

    def links(self, ref: str) -> list[EvidenceLink]:
        """Evidence links of one insight or fact id (empty when unknown)."""
        if ref in self.insights:
            ins = self.insights[ref]
            return _links(ins.interview_id, ref, ins.evidence)
        if ref in self.facts:
            fact = self.facts[ref]
            return _links(fact["interview_id"], ref, fact["evidence"])
        if ref in self.stakeholders:
            m = self.stakeholders[ref]
            return [
                link.model_copy(update={"described_by": m.described_by or "interviewee"})
                for link in _links(m.interview_id, ref, m.evidence)
            ]
        return []

    def claim(self, cited: CitedClaim, unknown: list[str]) -> ClaimDraft:
        """A review claim from a model claim; unknown ids are appended to ``unknown``."""
        evidence: list[EvidenceLink] = []
        for ref in dict.fromkeys(cited.evidence_ids):
            if not self.known(ref):
                unknown.append(ref)
            evidence += self.links(ref)
        return ClaimDraft(text=cited.text, evidence=evidence)

    def claims(self, cited: Iterable[CitedClaim], unknown: list[str]) -> list[ClaimDraft]:
        return [self.claim(c, unknown) for c in cited]

    def quote_claims(self, refs: Sequence[str], unknown: list[str]) -> list[ClaimDraft]:
        """One claim per cited insight: its first verified quote, verbatim, as the text."""
        out: list[ClaimDraft] = []
        for ref in dict.fromkeys(refs):
            links = [link for link in self.links(ref) if link.status == EvidenceStatus.verified]
            if not links:
                unknown.append(ref)
                continue
            out.append(ClaimDraft(text=f'"{links[0].quote}" ({links[0].speaker})', evidence=links))
        return out


ID_FIELDS = ("evidence_ids", "quote_insight_ids")
"""Fields of generation drafts that hold cited ids."""


def _map_ids(node: Any, fix: Callable[[str], str]) -> Any:
    if isinstance(node, list):
        return [_map_ids(n, fix) for n in node]
    if isinstance(node, dict):
        return {
            k: [fix(r) for r in v] if k in ID_FIELDS and isinstance(v, list) else _map_ids(v, fix)
            for k, v in node.items()
        }
    return node


def _links(iid: str, ref: str, evidence: Sequence[dict[str, Any]]) -> list[EvidenceLink]:
    verified = [e for e in evidence if e["status"] == EvidenceStatus.verified]
    chosen = verified or list(evidence)
    return [EvidenceLink.from_evidence(iid, ref, e) for e in chosen] or [
        EvidenceLink(interview_id=iid, insight_id=ref, status=EvidenceStatus.unverified)
    ]


def first_quote(ins: StoredInsight) -> str | None:
    """The first verified quote of an insight, or None."""
    return next((e["quote"] for e in ins.evidence if e["status"] == EvidenceStatus.verified), None)


def insight_line(ins: StoredInsight, quotes: int = 1) -> str:
    """An insight as one prompt line: id, kind, statement, verified quotes."""
    metric = ""
    if ins.metric:
        parts = [f"{k}={v}" for k, v in ins.metric.items() if v]
        metric = " [metric: " + "; ".join(parts) + "]"
    line = f"- {ins.id} [{ins.kind}] {ins.statement}{metric}"
    verified = [e["quote"] for e in ins.evidence if e["status"] == EvidenceStatus.verified][:quotes]
    for q in verified:
        line += f'\n  quote: "{q}"'
    if not verified:
        line += "\n  (no verified quote: cite only as an assumption)"
    return line


def run_jobs(
    ws: Workspace,
    settings: Settings,
    task: str,
    variables: Sequence[dict[str, Any]],
    output_model: type[T],
    *,
    budget_usd: float | None = None,
    notes: Sequence[str] = (),
    checks: Sequence[Callable[[T], Checked[T]] | None] | None = None,
    reuse: bool = True,
) -> tuple[list[T], Provenance, BatchResult[T]]:
    """Run one task over several inputs in one batch; raise the first failure.

    ``reuse=False`` asks the model again even where an answer to the same
    request is kept (regenerating); by default kept answers are reused.

    ``checks`` (one per input, or None) check each answer against what code
    knows (:class:`~assistant.llm.task_results.Checked`); what they and the
    session repaired or left out is in each result's ``warnings``.

    Every prompt is counted first: one above ``[llm] max_prompt_tokens`` raises
    :class:`~assistant.generate.prompt_budget.PromptBudgetError` before any
    call (the steps fit their prompts; this is the guard). ``notes`` (what the
    prompts left out) are written to the run log.
    """
    from assistant.generate.prompt_budget import PromptBudgetError
    from assistant.llm.budget import plan_call

    path = prompt_path(task)
    variables = [with_study(v, settings) for v in variables]
    limit = settings.llm.max_prompt_tokens
    for v in variables:
        tokens = plan_call(path, v, output_model, est_output_tokens=0).input_tokens
        if tokens > limit:
            raise PromptBudgetError(
                f"{task}: a prompt of {tokens:,} input tokens exceeds [llm] max_prompt_tokens "
                f"= {limit:,}; nothing was sent"
            )
    checks = checks or [None] * len(variables)
    jobs = [
        StructuredJob(task, path, v, output_model, check=c)
        for v, c in zip(variables, checks, strict=True)
    ]
    batch = asyncio.run(
        run_batch(
            jobs,
            settings=settings,
            workspace=ws,
            label=task,
            budget_usd=budget_usd,
            notes=notes,
            reuse=reuse,
        )
    )
    values: list[T] = []
    model = settings.llm.model
    missing = [r for r in batch.results if r.value is None]
    if missing:
        from assistant.errors import PersonaError

        reasons = [
            f"call {n}: {r.error if r.error is not None else 'not started: the budget was reached'}"
            for n, r in enumerate(batch.results, 1)
            if r.value is None
        ]
        why = "; ".join(reasons)
        done = len(batch.results) - len(missing)
        raise PersonaError(
            f"{task}: {len(missing)} of {count(len(batch.results), 'call')} did not finish ({why}); "
            f"the {count(done, 'answer')} received are kept: run it again to send only the missing ones"
        )
    for r in batch.results:
        assert r.value is not None
        values.append(r.value)
        if r.usage is not None and r.usage.model:
            model = r.usage.model
    return values, Provenance(model=model, prompt_version=load_prompt(path).version), batch


def keep_warnings(ws: Workspace, run_id: str | None, warnings: Sequence[RunWarning]) -> None:
    """Keep a step's warnings with its run (`persona runs`, the app's Runs screen)."""
    RunLog(ws.conn).add_warnings(run_id, warnings)


STEP_META = "generate.{step}.input_hash"


def step_hash(task: str, inputs: Any, settings: Settings) -> str:
    """The input hash of a generation step: its inputs, prompt version, model and study
    (a new ``[study]`` drafts again)."""
    from assistant.hashing import stable_hash

    version = load_prompt(prompt_path(task)).version
    study = settings.study.model_dump()
    return stable_hash(
        {"prompt": version, "model": settings.llm.model, "study": study, "inputs": inputs}
    )


def stored_step_hash(ws: Workspace, step: str) -> str | None:
    """The input hash recorded when ``step`` last ran."""
    return db.get_meta(ws.conn, STEP_META.format(step=step))


def record_step_hash(ws: Workspace, step: str, value: str) -> None:
    db.set_meta(ws.conn, STEP_META.format(step=step), value)


def store_item(
    ws: Workspace,
    kind: str,
    key: str,
    title: str,
    fields: Mapping[str, Sequence[ClaimDraft]],
    provenance: Provenance,
) -> tuple[ReviewItem, str]:
    """Upsert a generated item; also say what happened to it.

    The action is ``created``, ``updated`` (an untouched draft changed in
    place), ``pending`` (approved or user-edited: the new version waits for
    the user) or ``unchanged``.
    """

    def revisions(item_id: str) -> int:
        sql = "SELECT COUNT(*) FROM review_revisions WHERE item_id = ?"
        return int(ws.conn.execute(sql, (item_id,)).fetchone()[0])

    row = ws.conn.execute("SELECT id FROM review_items WHERE key = ?", (key,)).fetchone()
    before = None if row is None else revisions(row["id"])
    item = upsert_generated(ws, kind, key, title, fields, provenance)
    if before is None:
        return item, "created"
    if revisions(item.id) == before:
        return item, "unchanged"
    return item, "pending" if item.pending is not None and item.touched else "updated"
