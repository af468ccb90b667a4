"""The evidence appendix: every quote cited, and every quote not verified with why."""

from __future__ import annotations

from typing import Any

from assistant.export.badges import EVIDENCE_MARKS
from assistant.export.data import ExportData
from assistant.export.markdown.parts import field_title, inline
from assistant.extract.store import buying_process_items, item_text
from assistant.models import EvidenceStatus


def evidence_doc(data: ExportData) -> str:
    """Every quote with interview, speaker, turn, character location and status."""
    lines = [
        "# Evidence appendix",
        "",
        "Every quote behind an insight or a claim. **verified**: found in the transcript at "
        "the location given (characters are offsets into the interview's normalised text, "
        "`persona show ID`); **unverified**: not found, never counted as support; "
        "**note**: from interviewer notes, not the customer's words.",
    ]
    if not data.evidence.quotes:
        lines += ["", "_No quotes yet: run `persona extract --all`._"]
    mine = {i.id for i in data.bundle.insights if i.added_by_user}  # highlights
    current = None
    for ref in data.evidence.quotes:
        if ref.interview_id != current:
            current = ref.interview_id
            rec = data.interviews.get(current)
            label = f" — {inline(rec.title)}" if rec else ""
            company = ""
            if rec and rec.company and rec.company not in rec.title:
                company = f" ({inline(rec.company)})"
            lines += ["", f"## `{current}`{label}{company}", ""]
        where = [ref.speaker or "unknown speaker"]
        if ref.turn is not None:
            where.append(f"turn {ref.turn}")
        if ref.start is not None:
            where.append(f"chars {ref.start}–{ref.end}")
        named = [f"{i} (added by you)" if i in mine else i for i in ref.insight_ids]
        insights = f" · insights: {', '.join(named)}" if named else ""
        why = (
            f" · why: {inline(ref.reason)}"
            if ref.reason and ref.status != EvidenceStatus.verified
            else ""
        )
        lines.append(
            f'- <a id="{ref.anchor}"></a>**{ref.ref}** · {EVIDENCE_MARKS.get(ref.status, ref.status)} · '
            f"“{inline(ref.quote)}” — {', '.join(where)}{insights}{why}"
        )
    lines += _unverified_section(data)
    return "\n".join(lines) + "\n"


def unverified_reason(evidence: dict[str, Any]) -> str:
    """Why a quote is not verified: its reason, else what its status says."""
    if evidence.get("reason"):
        return str(evidence["reason"])
    return (
        "from interviewer notes" if evidence.get("status") == EvidenceStatus.note else "not found"
    )


def unverified_quotes(data: ExportData) -> list[tuple[str, str, dict[str, Any]]]:
    """(interview, what it backs, evidence) of every quote not verified, from insights,
    company facts and buying processes alike."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for ins in data.bundle.insights:
        out += [
            (ins.interview_id, f"insight {ins.id} [{ins.kind}]", e)
            for e in ins.evidence
            if e.get("status") != EvidenceStatus.verified
        ]
    for a in data.bundle.analyses:
        for f in a.facts:
            out += [
                (a.interview_id, f"company fact {f.attribute}: {f.value}", e)
                for e in f.evidence
                if e.get("status") != EvidenceStatus.verified
            ]
        for name, item in buying_process_items(a.buying_process or {}):
            out += [
                (
                    a.interview_id,
                    f"buying process, {field_title(name).lower()}: {item_text(item)}",
                    e,
                )
                for e in item.get("evidence") or []
                if e.get("status") != EvidenceStatus.verified
            ]
    return out


def _unverified_section(data: ExportData) -> list[str]:
    rows = unverified_quotes(data)
    lines = ["", "## Quotes not verified, and why", ""]
    if not rows:
        return [*lines, "_Every quote was found in its transcript._"]
    lines.append(
        "Kept so nothing is hidden; never counted as support. Notes are interviewer notes, "
        "not the customer's words."
    )
    lines.append("")
    for iid, what, e in rows:
        reason = unverified_reason(e)
        lines.append(
            f"- `{iid}` · {e.get('status')} · “{inline(str(e.get('quote')))}” — backs "
            f"{inline(what)} · why: {inline(reason)}"
        )
    return lines
