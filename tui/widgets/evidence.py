"""How evidence statuses look: verified, unverified (visibly marked), notes and
unattributed quotes (located in turns nobody is assigned to yet)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from assistant.models import EvidenceStatus

MARKS: dict[str, tuple[str, str]] = {
    EvidenceStatus.verified: ("✓", "green"),
    EvidenceStatus.unverified: ("✗ UNVERIFIED", "bold red"),
    EvidenceStatus.note: ("✎ note", "cyan"),
    EvidenceStatus.unattributed: ("? unattributed", "yellow"),
}


def evidence_badge(status: str) -> Text:
    """A short coloured badge for an evidence status."""
    mark, style = MARKS.get(status, (status, ""))
    return Text(mark, style=style)


def evidence_counts(evidence: list[dict[str, Any]]) -> Text:
    """``✓2 ✗1`` style counts of an item's quotes."""
    out = Text()
    for status in EvidenceStatus:
        n = sum(e["status"] == status for e in evidence)
        if n:
            mark, style = MARKS[status]
            out.append(f"{mark.split()[0]}{n} ", style=style)
    return out


def evidence_line(ev: dict[str, Any], number: int | None = None) -> Text:
    """One quote with its badge, speaker, turn and (for unverified) the reason."""
    text = Text()
    if number is not None:
        text.append(f"[{number}] ", style="bold")
    text.append_text(evidence_badge(ev.get("status", "")))
    text.append(f' "{ev.get("quote", "")}"')
    where = []
    if ev.get("speaker_name") or ev.get("speaker"):
        where.append(str(ev.get("speaker_name") or ev["speaker"]))
    if ev.get("turn") is not None:
        where.append(f"turn {ev['turn']}")
    if where:
        text.append(" — " + ", ".join(where), style="dim")
    if ev.get("status") in (EvidenceStatus.unverified, EvidenceStatus.unattributed) and ev.get(
        "reason"
    ):
        style = "red" if ev.get("status") == EvidenceStatus.unverified else "yellow"
        text.append(f"\n  {ev['reason']}", style=style)
    return text
