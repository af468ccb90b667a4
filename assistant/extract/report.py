"""A stored analysis as plain-text lines: `persona show` and the app's Interview screen."""

from __future__ import annotations

from typing import Any

from assistant.cli.evidence_text import evidence_line
from assistant.extract.store import (
    BUYING_PROCESS_FIELDS,
    StoredAnalysis,
    StoredInsight,
    item_text,
)


def _evidence_line(e: dict[str, Any]) -> str:
    return "      " + evidence_line(e)


def analysis_lines(
    analysis: StoredAnalysis | None, insights: list[StoredInsight], *, with_insights: bool = True
) -> list[str]:
    """The extraction of one interview as text: summary, insights, facts, buying process."""
    if analysis is None:
        return ["", "not extracted yet: run `persona extract ID`"]
    lines = ["", f"## Summary ({analysis.status}, {analysis.model})"]
    if analysis.error:
        lines.append(f"  last extraction failed: {analysis.error}")
    lines.append(f"  {analysis.summary or '(none)'}")
    if with_insights:
        lines += ["", f"## Insights ({len(insights)})"]
    for i in insights if with_insights else []:
        role = f", {i.dmu_role}" if i.dmu_role else ""
        lines.append(f"  [{i.kind}] {i.statement} ({i.speaker}{role})")
        lines += [_evidence_line(e) for e in i.evidence]
    lines += ["", f"## Company facts ({len(analysis.facts)})"]
    for f in analysis.facts:
        lines.append(f"  [{f.group}] {f.attribute}: {f.value}")
        lines += [_evidence_line(e) for e in f.evidence]
    lines += ["", "## Buying process"]
    bp = analysis.buying_process or {}
    for name, heading in BUYING_PROCESS_FIELDS:
        value = bp.get(name)
        items = value if isinstance(value, list) else [value] if value else []
        lines.append(f"  {heading}:" + ("" if items else " (not said)"))
        for item in items:
            lines.append(f"    - {item_text(item)}")
            lines += ["  " + _evidence_line(e) for e in item.get("evidence") or []]
    return lines
