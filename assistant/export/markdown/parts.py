"""Pieces every Markdown page shares: slugs, field titles, footnotes, claim lines, item headers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from assistant.export.data import ExportData, QuoteRef
from assistant.models import EvidenceStatus
from assistant.review import Claim, ReviewItem

ICP_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Firmographics", frozenset({"firmographics", "firmographic"})),
    (
        "Challenges and goals",
        frozenset({"challenges_and_goals", "challenges_goals", "challenges", "goals", "pains"}),
    ),
    ("Tech stack", frozenset({"tech_stack", "technographics", "techstack", "technology"})),
    ("Behaviours", frozenset({"behaviours", "behaviors", "buying_behaviour", "buying_behavior"})),
    ("Disqualifiers (anti-ICP)", frozenset({"disqualifiers", "anti_icp", "disqualifier"})),
    ("Neighbourhoods", frozenset({"neighbourhoods", "neighborhoods", "segments", "neighbourhood"})),
)
"""The ICP document's sections and the item field names that fill each."""

EVIDENCE_MARKS: dict[str, str] = {
    EvidenceStatus.verified: "✓ verified",
    EvidenceStatus.unverified: "✗ unverified",
    EvidenceStatus.note: "~ note",
    EvidenceStatus.unattributed: "? unattributed (speaker not assigned)",
}

CRITERIA_GROUPS = frozenset({"firmographics", "firmographic", "tech_stack", "technographics"})
DRAFT_NOTE = "draft: generated, not yet reviewed by a person"
STATUS_NOTE = {"draft": DRAFT_NOTE, "approved": "approved", "rejected": "rejected"}


def slug(text: str) -> str:
    """A file-name slug: lowercase ASCII words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "item"


def field_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def field_title(name: str) -> str:
    text = re.sub(r"\bdmu\b", "DMU", name.replace("_", " ").strip())
    return text[:1].upper() + text[1:]


def inline(text: str) -> str:
    """One line of Markdown: newlines folded, HTML-looking brackets escaped."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")


class Footnotes:
    """Numbers a document's quotes ``[^1]``, ``[^2]`` … in order of first use."""

    def __init__(self, data: ExportData, appendix: str) -> None:
        self.data = data
        self.appendix = appendix
        self.used: dict[int, int] = {}
        self.refs: list[QuoteRef] = []

    def marks(self, claim: Claim) -> str:
        out = []
        for ref in self.data.evidence.for_claim(claim):
            if ref.number not in self.used:
                self.used[ref.number] = len(self.used) + 1
                self.refs.append(ref)
            out.append(f"[^{self.used[ref.number]}]")
        return "".join(out)

    def render(self) -> list[str]:
        if not self.refs:
            return []
        lines = ["", "## Sources", ""]
        for ref in self.refs:
            lines.append(
                f"[^{self.used[ref.number]}]: “{inline(ref.quote)}” — {_where(ref)} "
                f"[{ref.ref}]({self.appendix}#{ref.anchor})"
            )
        return lines


def _where(ref: QuoteRef) -> str:
    parts = [ref.speaker or "unknown speaker", f"interview `{ref.interview_id}`"]
    if ref.turn is not None:
        parts.append(f"turn {ref.turn}")
    if ref.start is not None:
        parts.append(f"chars {ref.start}–{ref.end}")
    parts.append(ref.status)
    return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def claim_line(claim: Claim, notes: Footnotes) -> str:
    """One claim as a bullet: badge, text, support, footnotes."""
    support = f"{_count(claim.support.interviews, 'interview')}, " + _count(
        claim.support.accounts, "account"
    )
    if claim.status == "supported":
        badge = "✅ supported"
    elif claim.status == "secondhand":
        badge = f"🗣️ second-hand ({claim.secondhand_label}; not their own words)"
    else:
        badge = "⚠️ **ASSUMPTION** (no verified evidence)"
    extra = " · edited by a reviewer" if claim.edited_by_user else ""
    if claim.origin.source == "user":
        extra = " · added by a reviewer"
    text = claim.text.strip()
    if "\n" in text:  # a multi-line message (email, talk track): keep its lines
        body = "\n".join("  " + line if line.strip() else "" for line in text.splitlines())
        head = f"- {badge} · {support}{extra} {notes.marks(claim)}".rstrip()
        return f"{head}\n\n{body}\n"
    return f"- {badge} — {inline(text)} · {support}{extra} {notes.marks(claim)}".rstrip()


def field_lines(
    title: str, claims: Sequence[Claim], notes: Footnotes, level: str = "##"
) -> list[str]:
    lines = ["", f"{level} {title}", ""]
    if not claims:
        return [*lines, "_No claims yet._"]
    return lines + [claim_line(c, notes) for c in claims]


def item_header(item: ReviewItem) -> str:
    origin = item.origin
    by = (
        "a reviewer"
        if origin.source == "user"
        else f"{origin.model} @ prompt {origin.prompt_version}"
    )
    counts = item.claims()
    assumptions = sum(c.status == "assumption" for c in counts)
    return (
        f"**Review status:** {STATUS_NOTE.get(item.status, item.status)} · "
        f"**Claims:** {len(counts)} ({_count(assumptions, 'assumption')}) · "
        f"**Generated by:** {by}"
    )


def item_doc(item: ReviewItem, data: ExportData, about: str, head: Sequence[str] = ()) -> str:
    """An item in its own file: title, ``about`` line, ``head`` lines, every field's claims."""
    notes = Footnotes(data, "../evidence.md")
    lines = [f"# {inline(item.title)}", "", about, "", item_header(item), *head]
    for name, claims in item.fields.items():
        lines += field_lines(field_title(name), claims, notes)
    lines += notes.render()
    return "\n".join(lines) + "\n"
