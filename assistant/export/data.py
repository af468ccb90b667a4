"""Everything an export contains, read once from the workspace.

:class:`ExportBundle` is the JSON export itself (it round-trips through
``ExportBundle.model_validate_json``); :class:`ExportData` adds what the
Markdown and CSV writers need: the numbered evidence appendix, each
interview's account, the provenance table and the parts that are empty.
Everything is sorted so the same workspace always gives the same files.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from assistant import db
from assistant.accounts import load_identity
from assistant.export.quote_context import ContextTurn, load_quote_context
from assistant.extract.store import StoredAnalysis, StoredInsight, list_analyses, list_insights
from assistant.icp_stats import ATTRIBUTES, IcpFit, IcpStatistics, compute_icp_statistics
from assistant.library.speaker_names import shown_speaker, speaker_names
from assistant.models import EvidenceStatus, InterviewMeta
from assistant.review import Claim, EvidenceLink, ReviewItem, list_items
from assistant.selection import (
    InterviewFilter,
    filter_insights,
    interview_roles,
    select_interviews,
)
from assistant.text_identity import normalise
from assistant.workspace import Workspace

FORMAT_VERSION = 1
NAMED_REASON_KINDS = ("trigger", "requirement", "goal")
"""Insight kinds whose words count as reasons to buy (ICP ``shared_not_named`` caveat)."""
FIXTURE_MODEL = "authored-fixture"
ICP_CRITERIA_META = "generate.icp.criteria"
"""Where the ICP generator stores the draft's fit criteria (``{attribute: values}``)."""


class InterviewRecord(BaseModel):
    """One interview as exported: identity, source and metadata."""

    id: str
    title: str
    source: str
    format: str
    verbatim: bool
    company: str | None
    meta: InterviewMeta


class ProvenanceEntry(BaseModel):
    """Which model and prompt version produced how many things of one stage."""

    stage: str
    model: str
    prompt_version: str
    fixture: bool
    count: int


class ExportBundle(BaseModel):
    """The JSON export: every part loads back into its own model."""

    format_version: int = FORMAT_VERSION
    provenance: list[ProvenanceEntry]
    interviews: list[InterviewRecord]
    review_items: list[ReviewItem]
    insights: list[StoredInsight]
    analyses: list[StoredAnalysis] = []
    """Each interview's summary, company facts and buying process, with their evidence."""
    icp_statistics: IcpStatistics
    icp_criteria: dict[str, list[str]] | None = None
    icp_fit: IcpFit | None = None
    filter: str | None = None
    """The interview filter of this export (``company=Acme``); None for everything."""
    segments: dict[str, Any] | None = None
    """`persona segments --json`: segments, their pains, value metrics and ICP fit."""
    persona_coverage: dict[str, dict[str, Any]] = {}
    """Persona key -> the accounts, interviews and segments it covers (and warnings)."""
    sizing: dict[str, Any] | None = None
    """The saved TAM/SAM/SOM worksheet (`persona sizing`), computed again; None without one."""
    sizing_error: str | None = None


@dataclass
class QuoteRef:
    """One quote of the evidence appendix (``E<number>``)."""

    number: int
    interview_id: str
    quote: str
    speaker: str | None
    turn: int | None
    start: int | None
    end: int | None
    status: str
    insight_ids: list[str] = field(default_factory=list)
    reason: str | None = None

    @property
    def ref(self) -> str:
        return f"E{self.number}"

    @property
    def anchor(self) -> str:
        return f"e{self.number}"


QuoteKey = tuple[str, int | None, int | None, str]


def _quote_key(interview_id: str, start: int | None, end: int | None, quote: str) -> QuoteKey:
    """A located quote is its place (its words are the transcript's); others are their text."""
    return (interview_id, start, end, "" if start is not None else normalise(quote))


@dataclass
class EvidenceIndex:
    """Every quote of the export, numbered in a stable order, and how claims reach them."""

    quotes: list[QuoteRef]
    by_key: dict[QuoteKey, QuoteRef]
    by_insight: dict[str, list[QuoteRef]]

    def for_link(self, link: EvidenceLink) -> list[QuoteRef]:
        """The appendix quotes of one evidence link (its quote, or its insight's quotes)."""
        if link.quote:
            ref = self.by_key.get(_quote_key(link.interview_id, link.start, link.end, link.quote))
            return [] if ref is None else [ref]
        if link.insight_id:
            return list(self.by_insight.get(link.insight_id, []))
        return []

    def for_claim(self, claim: Claim) -> list[QuoteRef]:
        """The appendix quotes behind a claim, in link order, without repeats."""
        seen: dict[int, QuoteRef] = {}
        for link in claim.evidence:
            for ref in self.for_link(link):
                seen.setdefault(ref.number, ref)
        return list(seen.values())


def build_evidence_index(
    insights: Iterable[StoredInsight],
    items: Iterable[ReviewItem],
    names: Mapping[tuple[str, str], str] | None = None,
) -> EvidenceIndex:
    """Number every quote of the insights and of the claims' evidence links.

    Quotes are identified by interview and location (or normalised text when
    not located), sorted by interview then location, and numbered from 1.
    Speakers show as the person's name and title when ``names`` knows them.
    """
    found: dict[QuoteKey, QuoteRef] = {}
    insight_keys: dict[str, list[QuoteKey]] = {}

    def add(
        iid: str,
        quote: str,
        speaker: Any,
        turn: Any,
        start: Any,
        end: Any,
        status: str,
        reason: str | None = None,
    ) -> QuoteKey:
        key = _quote_key(iid, start, end, quote)
        shown = shown_speaker(names or {}, iid, speaker)
        found.setdefault(
            key, QuoteRef(0, iid, quote, shown, turn, start, end, status, reason=reason)
        )
        return key

    for ins in insights:
        for ev in ins.evidence:
            if not ev.get("quote"):
                continue
            key = add(
                ins.interview_id,
                ev["quote"],
                ev.get("speaker") or ev.get("claimed_speaker"),
                ev.get("turn"),
                ev.get("start"),
                ev.get("end"),
                str(ev.get("status") or EvidenceStatus.unverified),
                ev.get("reason"),
            )
            insight_keys.setdefault(ins.id, []).append(key)
            if ins.id not in found[key].insight_ids:
                found[key].insight_ids.append(ins.id)
    for item in items:
        for claim in item.claims():
            for link in claim.evidence:
                if link.quote:
                    add(
                        link.interview_id,
                        link.quote,
                        link.speaker,
                        link.turn,
                        link.start,
                        link.end,
                        link.status,
                    )
    ordered = sorted(
        found.items(),
        key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1] or 0, kv[0][2] or 0, kv[0][3]),
    )
    for number, (_, ref) in enumerate(ordered, 1):
        ref.number = number
        ref.insight_ids.sort()
    by_insight = {iid: [found[k] for k in keys] for iid, keys in insight_keys.items()}
    return EvidenceIndex([ref for _, ref in ordered], dict(ordered), by_insight)


@dataclass
class ExportData:
    """The bundle plus the derived views the writers share."""

    bundle: ExportBundle
    evidence: EvidenceIndex
    workspace_name: str
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(interview id, label) → "Name (Title)"`` for labels mapped to participants."""
    context: dict[int, list[ContextTurn]] = field(default_factory=dict)
    """Quote number -> the turns around it (quotes located in a transcript only)."""
    roles: dict[str, list[str]] = field(default_factory=dict)
    """Interview id -> the DMU roles of its participants (metadata and insights), sorted."""

    def speaker(self, interview_id: str, label: str | None) -> str | None:
        """The name and title shown for a speaker label, else the label."""
        return shown_speaker(self.names, interview_id, label)

    @property
    def interviews(self) -> dict[str, InterviewRecord]:
        return {i.id: i for i in self.bundle.interviews}

    def items(self, kind: str, *, include_rejected: bool = False) -> list[ReviewItem]:
        """Review items of one kind, by key (rejected ones left out unless asked)."""
        return [
            i
            for i in self.bundle.review_items
            if i.kind == kind and (include_rejected or i.status != "rejected")
        ]

    def company(self, interview_id: str) -> str | None:
        rec = self.interviews.get(interview_id)
        return None if rec is None else rec.company

    def empty_parts(self) -> list[str]:
        """Human sentences naming each part that has nothing to export yet."""
        out: list[str] = []
        b = self.bundle
        if not b.interviews:
            out.append("no interviews: run `persona ingest FILES` first")
        if not b.insights:
            out.append("no insights: run `persona extract --all`")
        for kind, command in (
            ("theme", "persona themes"),
            ("persona", "persona personas"),
            ("icp", "persona icp"),
            ("messaging", "persona messaging"),
        ):
            if not self.items(kind):
                out.append(f"no {kind} drafts: run `{command}` (or `persona analyze`)")
        return out


def load_interviews(conn: sqlite3.Connection) -> list[InterviewRecord]:
    """Every stored interview with its metadata, by id."""
    rows = conn.execute(
        "SELECT id, title, source_path, format, verbatim, meta_json FROM interviews ORDER BY id"
    ).fetchall()
    identity = load_identity(conn)
    out = []
    for r in rows:
        meta = InterviewMeta.model_validate(json.loads(r["meta_json"]))
        ref = identity.of(r["id"])
        out.append(
            InterviewRecord(
                id=r["id"],
                title=r["title"],
                source=r["source_path"],
                format=r["format"],
                verbatim=bool(r["verbatim"]),
                company=ref.name if ref.known else None,
                meta=meta,
            )
        )
    return out


def load_provenance(conn: sqlite3.Connection, items: Iterable[ReviewItem]) -> list[ProvenanceEntry]:
    """Models and prompt versions behind the extraction and every kind of review item."""
    out: list[ProvenanceEntry] = []
    rows = conn.execute(
        "SELECT COALESCE(response_model, model) AS m, prompt_version, fixture, COUNT(*) AS n "
        "FROM analyses WHERE status = 'ok' GROUP BY m, prompt_version, fixture"
    ).fetchall()
    out += [
        ProvenanceEntry(
            stage="extraction",
            model=r["m"],
            prompt_version=r["prompt_version"],
            fixture=bool(r["fixture"]),
            count=int(r["n"]),
        )
        for r in rows
    ]
    counts: dict[tuple[str, str, str], int] = {}
    for item in items:
        if item.origin.source != "model":
            continue
        key = (item.kind, item.origin.model or "?", item.origin.prompt_version or "?")
        counts[key] = counts.get(key, 0) + 1
    out += [
        ProvenanceEntry(
            stage=kind, model=model, prompt_version=pv, fixture=model == FIXTURE_MODEL, count=n
        )
        for (kind, model, pv), n in counts.items()
    ]
    return sorted(out, key=lambda p: (p.stage, p.model, p.prompt_version, p.fixture))


def named_reasons(insights: Iterable[StoredInsight]) -> set[str] | None:
    """Words of trigger, requirement and goal insights (None when nothing is extracted)."""
    insights = list(insights)
    if not insights:
        return None
    reasons: set[str] = set()
    for ins in insights:
        if ins.kind in NAMED_REASON_KINDS:
            reasons.add(ins.statement)
            reasons.update(
                e["quote"] for e in ins.evidence if e.get("status") == EvidenceStatus.verified
            )
    return reasons


def load_icp_criteria(conn: sqlite3.Connection) -> dict[str, list[str]] | None:
    """The ICP draft's fit criteria as the generator stored them (None when absent)."""
    raw = db.get_meta(conn, ICP_CRITERIA_META)
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {
        a: sorted(str(v) for v in data[a])
        for a in ATTRIBUTES
        if a in data and isinstance(data[a], list)
    }


def collect_export_data(ws: Workspace, flt: InterviewFilter | None = None) -> ExportData:
    """Read everything the export writes from the workspace (read-only).

    ``flt`` keeps only the matching interviews, their insights and analyses
    (with a tag: only the insights it marks, :func:`~assistant.selection.filter_insights`);
    drafts (themes, personas, ICP, messaging) span all interviews and stay.
    """
    conn = ws.conn
    # Stored content only: the export applies speakers' names itself (build_evidence_index).
    items = sorted(list_items(ws, annotate=False), key=lambda i: (i.kind, i.key, i.id))
    insights = list_insights(conn)
    interviews = load_interviews(conn)
    analyses = list_analyses(conn)
    if flt is not None and flt.active:
        keep = set(select_interviews(ws, flt))
        insights = filter_insights(ws, flt, insights)
        interviews = [i for i in interviews if i.id in keep]
        analyses = [a for a in analyses if a.interview_id in keep]
    stats = compute_icp_statistics(ws, named_reasons(insights))
    bundle = ExportBundle(
        provenance=load_provenance(conn, items),
        interviews=interviews,
        review_items=items,
        insights=insights,
        analyses=analyses,
        filter=flt.describe() if flt is not None and flt.active else None,
        icp_statistics=stats,
    )
    criteria = load_icp_criteria(conn)
    if criteria is not None and any(i.kind == "icp" for i in items):
        bundle.icp_criteria = criteria
        bundle.icp_fit = stats.fit(criteria)
    _add_segments_and_sizing(ws, bundle)
    names = speaker_names(conn)
    evidence = build_evidence_index(insights, items, names)
    return ExportData(
        bundle,
        evidence,
        ws.root.name,
        names,
        context=load_quote_context(conn, evidence.quotes, names),
        roles={iid: sorted(r) for iid, r in interview_roles(ws).items()},
    )


def _add_segments_and_sizing(ws: Workspace, bundle: ExportBundle) -> None:
    """Segments, what each persona covers and the sizing worksheet (when saved)."""
    from assistant.generate.personas import persona_groups
    from assistant.segments import compute_segments
    from assistant.settings import load_settings
    from assistant.sizing import saved_sizing, to_json

    bundle.segments = compute_segments(ws).to_json()
    mode = load_settings(ws.config_data()).generate.persona_segments
    bundle.persona_coverage = {
        g.key: {
            "coverage": g.coverage(),
            "accounts": g.accounts,
            "interviews": g.interviews,
            "segments": g.segments,
            "secondhand": g.secondhand,
            "warnings": g.warnings,
        }
        for g in persona_groups(ws, mode)
    }
    result, error = saved_sizing(ws)
    bundle.sizing = None if result is None else to_json(result)
    bundle.sizing_error = error
