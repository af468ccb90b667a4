"""One page per interview: summary, insights, buying process, company facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.export.badges import EVIDENCE_MARKS
from assistant.export.data import ExportData, InterviewRecord
from assistant.export.markdown.parts import inline
from assistant.extract.store import BUYING_PROCESS_FIELDS, buying_process_items, item_text
from assistant.models import EvidenceStatus
from assistant.text_identity import normalise


def interview_doc(rec: InterviewRecord, data: ExportData) -> str:
    """One interview: account, summary, insights with quotes, company facts, buying process."""
    analysis = next((a for a in data.bundle.analyses if a.interview_id == rec.id), None)
    insights = [i for i in data.bundle.insights if i.interview_id == rec.id]
    lines = [
        f"# {inline(rec.title)}",
        "",
        f"`{rec.id}` · {rec.format}"
        + ("" if rec.verbatim else " · interviewer notes, not verbatim"),
    ]
    if rec.company:
        lines.append(f"Account: {inline(rec.company)}")
    people = [
        f"{inline(p.name)}"
        + (f", {inline(p.title)}" if p.title else "")
        + (f" ({p.dmu_role})" if p.dmu_role else "")
        for p in rec.meta.participants
    ]
    if people:
        lines.append("Participants: " + "; ".join(people))
    if analysis is None:
        return "\n".join([*lines, "", "_Not extracted yet: run `persona extract --all`._"]) + "\n"
    lines += ["", "## Summary", "", inline(analysis.summary or "(none)")]
    if analysis.error:
        lines += ["", f"> Last extraction failed: {inline(analysis.error)}"]
    lines += ["", "## Insights", ""]
    if not insights:
        lines.append("_None._")
    for ins in insights:
        role = f", {ins.dmu_role}" if ins.dmu_role else ""
        lines.append(f"- **{ins.kind}** — {inline(ins.statement)} ({inline(ins.speaker)}{role})")
        lines += _evidence_bullets(ins.evidence, data, rec.id)
    lines += ["", "## Buying process", ""]
    bp = analysis.buying_process or {}
    for name, heading in BUYING_PROCESS_FIELDS:
        items = [item for field_name, item in buying_process_items(bp) if field_name == name]
        if not items:
            lines.append(f"- **{heading}:** _not said_")
            continue
        lines.append(f"- **{heading}:**")
        for item in items:
            lines.append(f"  - {inline(item_text(item))}")
            lines += ["  " + b for b in _evidence_bullets(item.get("evidence") or [], data, rec.id)]
    lines += ["", "## Company facts", ""]
    if not analysis.facts:
        lines.append("_None stated._")
    for f in analysis.facts:
        lines.append(f"- [{f.group}] {inline(f.attribute)}: {inline(f.value)}")
        lines += _evidence_bullets(f.evidence, data, rec.id)
    return "\n".join(lines) + "\n"


def _evidence_bullets(evidence: Sequence[dict[str, Any]], data: ExportData, iid: str) -> list[str]:
    out = []
    for e in evidence:
        key = (iid, e.get("start"), e.get("end"), normalise(str(e.get("quote") or "")))
        ref = data.evidence.by_key.get(key)
        link = f" [{ref.ref}](../evidence.md#{ref.anchor})" if ref else ""
        why = (
            f" — why: {inline(e['reason'])}"
            if e.get("reason") and e.get("status") != EvidenceStatus.verified
            else ""
        )
        out.append(
            f"  - {EVIDENCE_MARKS.get(str(e.get('status')), e.get('status'))}: “{inline(str(e.get('quote')))}”"
            f"{link}{why}"
        )
    return out
