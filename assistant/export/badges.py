"""What every export calls a claim and a quote: one badge per claim status, one mark per
evidence status. The Markdown and HTML exports both read them from here."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models import EvidenceStatus
from assistant.review import Claim, ReviewItem

EVIDENCE_MARKS: dict[str, str] = {
    EvidenceStatus.verified: "✓ verified",
    EvidenceStatus.unverified: "✗ unverified",
    EvidenceStatus.note: "~ note",
    EvidenceStatus.unattributed: "? unattributed (speaker not assigned)",
}
"""Evidence status -> the mark shown beside a quote."""


@dataclass(frozen=True)
class Badge:
    """A claim's status as shown: ``status`` (supported, secondhand, assumption), an icon,
    the word, and what it means."""

    status: str
    icon: str
    word: str
    detail: str = ""


def claim_badge(claim: Claim) -> Badge:
    """The badge of a claim: supported, second-hand (whose words) or assumption."""
    if claim.status == "supported":
        return Badge("supported", "✅", "supported")
    if claim.status == "secondhand":
        return Badge(
            "secondhand", "🗣️", "second-hand", f"{claim.secondhand_label}; not their own words"
        )
    return Badge("assumption", "⚠️", "ASSUMPTION", "no verified evidence")


def claim_note(claim: Claim) -> str:
    """`` · edited by a reviewer`` / `` · added by a reviewer`` (empty for model claims)."""
    if claim.origin.source == "user":
        return " · added by a reviewer"
    return " · edited by a reviewer" if claim.edited_by_user else ""


def generated_by(item: ReviewItem) -> str:
    """``a reviewer``, or ``MODEL @ prompt VERSION`` for a generated item."""
    origin = item.origin
    if origin.source == "user":
        return "a reviewer"
    return f"{origin.model} @ prompt {origin.prompt_version}"


def claim_counts(item: ReviewItem) -> tuple[int, int]:
    """(claims, assumptions) of an item, for its header line."""
    claims = item.claims()
    return len(claims), sum(c.status == "assumption" for c in claims)
