"""How the CLI prints one piece of quote evidence (`persona insights`, `persona show`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.models import EvidenceStatus

EVIDENCE_MARKS = {
    EvidenceStatus.verified: "✓",
    EvidenceStatus.unverified: "✗",
    EvidenceStatus.note: "~",
    EvidenceStatus.unattributed: "?",
}


def evidence_line(e: Mapping[str, Any]) -> str:
    """``✓ verified: "quote" (turn 3)``, with the reason a quote was not verified."""
    mark = EVIDENCE_MARKS.get(e["status"], "?")
    where = f"turn {e['turn']}" if e.get("turn") is not None else "not located"
    if e.get("turn") is not None and (e.get("speaker_name") or e.get("speaker")):
        where += f", {e.get('speaker_name') or e['speaker']}"
    why = f" — {e['reason']}" if e.get("reason") else ""
    return f'{mark} {e["status"]}: "{e["quote"]}" ({where}){why}'
