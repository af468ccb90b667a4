"""Batch summary: map over stored per-interview analyses, reduce in one LLM call.

The map step is deterministic: each selected interview's stored summary and
insights with their *verified* quotes only (unverified quotes never reach the
reducer as evidence; notes are marked as notes). The reduce step is one
``summarize_interviews`` task returning a :class:`~assistant.schemas.BatchSummary`.
Afterwards every notable quote is checked against its own transcript and
every theme's interview ids against the selection; the Markdown ends with
that evidence check.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.accounts import load_identity, load_metas
from assistant.errors import UsageError
from assistant.evidence import TranscriptIndex
from assistant.extract.checked import Evidence, QuoteChecker
from assistant.extract.store import analysis_row, list_insights
from assistant.library import load_transcript, resolve_interview_id
from assistant.llm.echo import Echoes, choices_text
from assistant.llm.task_results import Checked
from assistant.llm.tasks import Usage, run_structured
from assistant.models import EvidenceStatus, Transcript
from assistant.resources import prompts_dir
from assistant.schemas import BatchSummary, SummaryTheme
from assistant.settings import Settings
from assistant.study import with_study
from assistant.workspace import Workspace

TASK = "summarize_interviews"
THIN_SUPPORT = 2


def summary_prompt() -> Path:
    """The bundled batch-summary prompt file."""
    return prompts_dir() / "summarize_interviews.md"


@dataclass
class SummaryResult:
    """A batch summary with its deterministic evidence check."""

    interview_ids: list[str]
    summary: BatchSummary
    quote_checks: list[tuple[str, Evidence]]
    unknown_ids: list[str]
    usage: Usage
    warnings: list[str] = field(default_factory=list)
    """Interview ids repaired or not matched, and what the reply left out."""

    @property
    def markdown(self) -> str:
        """The model's Markdown followed by the evidence check."""
        return self.summary.markdown.rstrip() + "\n\n" + self.evidence_markdown() + "\n"

    def evidence_markdown(self) -> str:
        """The evidence check as Markdown: quote statuses, thin support, unknown ids."""
        n = len(self.interview_ids)
        ok = sum(ev.status == EvidenceStatus.verified for _, ev in self.quote_checks)
        lines = [
            "## Evidence check",
            "",
            f"- Interviews in this summary: {n}.",
            f"- Notable quotes verified against their transcripts: {ok} of "
            f"{len(self.quote_checks)}.",
        ]
        for iid, ev in self.quote_checks:
            if ev.status != EvidenceStatus.verified:
                lines.append(f'  - {ev.status.upper()} ({iid}): "{ev.shown}" ({ev.result.reason})')
        thin = [t.label for t in self.themes() if len(set(t.interviews)) <= THIN_SUPPORT]
        if thin:
            lines.append(
                f"- Resting on {THIN_SUPPORT} interviews or fewer (treat as hypotheses): "
                + "; ".join(thin)
                + "."
            )
        if self.unknown_ids:
            lines.append(
                "- Interview ids cited but not in this batch (not counted): "
                + ", ".join(self.unknown_ids)
                + "."
            )
        return "\n".join(lines)

    def themes(self) -> list[SummaryTheme]:
        s = self.summary
        return [*s.top_pains, *s.top_results, *s.top_aha_moments]

    def to_json(self) -> dict[str, Any]:
        """The `persona summarize --json` object."""
        return {
            "interviews": self.interview_ids,
            "summary": self.summary.model_dump(mode="json"),
            "support": {
                t.label: len(set(t.interviews) & set(self.interview_ids)) for t in self.themes()
            },
            "quote_checks": [{"interview_id": i, **ev.to_json()} for i, ev in self.quote_checks],
            "unknown_ids": self.unknown_ids,
            "warnings": self.warnings,
            "markdown": self.markdown,
            "model": self.usage.model,
            "fixture": self.usage.fixture,
        }


def select_interviews(
    ws: Workspace,
    ids: Sequence[str] = (),
    *,
    tag: str | None = None,
    company: str | None = None,
) -> list[str]:
    """Interview ids by id (prefixes allowed), tag or company (case-insensitive); all if none."""
    if ids:
        return sorted({resolve_interview_id(ws, i) for i in ids})
    identity = load_identity(ws.conn)
    wanted = None if company is None else identity.find(company)
    out = []
    for iid, meta in load_metas(ws.conn):
        if tag is not None and tag.lower() not in {t.lower() for t in meta.tags}:
            continue
        if company is not None and identity.of(iid).key != wanted:
            continue
        out.append(iid)
    return out


def _header(iid: str, t: Transcript) -> str:
    meta = t.meta
    who = []
    for p in meta.participants:
        role = f" ({p.dmu_role.value})" if p.dmu_role else ""
        who.append(f"{p.name}{', ' + p.title if p.title else ''}{role}")
    company = meta.account.company if meta.account and meta.account.company else None
    lines = [f'<interview id="{iid}">']
    if who:
        lines.append("participant: " + "; ".join(who))
    if company:
        lines.append(f"company: {company}")
    if not t.verbatim:
        lines.append("source: interviewer notes, not verbatim (no participant quotes)")
    return "\n".join(lines)


def interview_digest(ws: Workspace, iid: str) -> str:
    """The map step for one interview: header, stored summary, insights, verified quotes."""
    row = analysis_row(ws.conn, iid)
    if row is None or row["summary"] is None:
        raise UsageError(f"interview {iid} has no analysis yet: run `persona extract {iid}`")
    t = load_transcript(ws.conn, iid)
    lines = [_header(iid, t), f"summary: {row['summary']}", "insights:"]
    for ins in list_insights(ws.conn, iid):
        tags = ins.kind + (f", {ins.intensity}" if ins.intensity else "")
        lines.append(f"- [{tags}] {ins.statement} ({ins.speaker})")
        verified = [e for e in ins.evidence if e["status"] == EvidenceStatus.verified]
        for e in verified:
            lines.append(f'  quote: "{e["quote"]}" ({e["speaker"]})')
        if not verified:
            noted = any(e["status"] == EvidenceStatus.note for e in ins.evidence)
            lines.append("  (from interviewer notes)" if noted else "  (no verified quote)")
    lines.append("</interview>")
    return "\n".join(lines)


def summarize(ws: Workspace, settings: Settings, selection: Sequence[str]) -> SummaryResult:
    """Summarise the stored analyses of ``selection`` (interview ids) in one LLM call."""
    ids = sorted(dict.fromkeys(selection))
    if not ids:
        raise UsageError("no interviews selected: give ids, --all, --tag or --company")
    digest = "\n\n".join(interview_digest(ws, iid) for iid in ids)
    warnings: list[str] = []
    value, usage = asyncio.run(
        run_structured(
            TASK,
            summary_prompt(),
            with_study({"analyses": digest, "count": str(len(ids))}, settings),
            BatchSummary,
            settings=settings,
            workspace=ws,
            check=interview_id_check(ids),
            warnings=warnings,
        )
    )
    fuzzy = settings.extract.fuzzy_threshold
    checkers: dict[str, QuoteChecker] = {}
    checks: list[tuple[str, Evidence]] = []
    for q in value.notable_quotes:
        if q.interview_id not in ids:
            checks.append((q.interview_id, _outside(q.quote, q.speaker)))
            continue
        if q.interview_id not in checkers:
            index = TranscriptIndex(load_transcript(ws.conn, q.interview_id))
            checkers[q.interview_id] = QuoteChecker(index, fuzzy)
        checks.append((q.interview_id, checkers[q.interview_id].check(q.quote, q.speaker)))
    cited = {
        i
        for t in [*value.top_pains, *value.top_results, *value.top_aha_moments]
        for i in t.interviews
    }
    cited |= {i for d in value.role_differences for i in d.interviews}
    unknown = sorted(cited - set(ids))
    return SummaryResult(ids, value, checks, unknown, usage, warnings)


def interview_id_check(ids: Sequence[str]) -> Callable[[BatchSummary], Checked[BatchSummary]]:
    """A job check: the interview ids a summary cites are the selection's (repaired when
    unambiguous: case, a unique prefix); other ids are re-asked once, then reported."""

    def check(value: BatchSummary) -> Checked[BatchSummary]:
        echoes = Echoes("interview id", ids)
        data = value.model_dump(mode="json")
        for group in ("top_pains", "top_results", "top_aha_moments", "role_differences"):
            for entry in data[group]:
                entry["interviews"] = [echoes.read(r) for r in entry["interviews"]]
        for q in data["notable_quotes"]:
            q["interview_id"] = echoes.read(q["interview_id"])
        problems = (
            [f"interview ids not in this batch: {choices_text(echoes.unknown)}"]
            if echoes.unknown
            else []
        )
        return Checked(
            BatchSummary.model_validate(data),
            problems,
            echoes.repairs,
            f"cite only these interview ids, copied exactly: {choices_text(list(ids))}",
        )

    return check


def _outside(quote: str, speaker: str) -> Evidence:
    from assistant.evidence import VerifiedQuote

    result = VerifiedQuote(
        quote=quote, status=EvidenceStatus.unverified, reason="interview not in this batch"
    )
    return Evidence(quote, speaker, result)
