"""Theme counts and the saturation curve, computed from theme items (no Textual here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.models import EvidenceStatus
from assistant.review import EvidenceLink, ReviewItem


@dataclass
class ThemeSummary:
    """A theme item with its kind and the interviews its verified evidence comes from."""

    item: ReviewItem
    kind: str
    interviews: list[str]

    @classmethod
    def of(cls, item: ReviewItem) -> ThemeSummary:
        return cls(item, theme_kind(item), theme_interviews(item))


@dataclass
class SaturationPoint:
    """One interview in date order: themes it was first to mention, and the total so far."""

    interview_id: str
    date: str | None
    new_themes: int
    total_themes: int


def theme_kind(item: ReviewItem) -> str:
    """The insight kind of a theme, from its key ``theme:<kind>:<anchor>``."""
    parts = item.key.split(":")
    return parts[1] if len(parts) >= 3 and parts[0] == "theme" else "other"


def theme_interviews(item: ReviewItem) -> list[str]:
    """Distinct interviews behind the theme's verified evidence."""
    return sorted(
        {
            e.interview_id
            for c in item.claims()
            for e in c.evidence
            if e.status == EvidenceStatus.verified
        }
    )


def theme_quotes(item: ReviewItem, order: Sequence[str] = ()) -> dict[str, list[EvidenceLink]]:
    """The theme's distinct quotes grouped by interview (in ``order``, then by id)."""
    seen: set[str] = set()
    groups: dict[str, list[EvidenceLink]] = {}
    for claim in item.claims():
        for link in claim.evidence:
            if not link.quote or link.key() in seen:
                continue
            seen.add(link.key())
            groups.setdefault(link.interview_id, []).append(link)
    rank = {iid: n for n, iid in enumerate(order)}
    ordered = sorted(groups, key=lambda i: (rank.get(i, len(rank)), i))
    return {iid: sorted(groups[iid], key=lambda e: e.start or 0) for iid in ordered}


def saturation(
    themes: Sequence[ThemeSummary], order: Sequence[str], dates: dict[str, str | None]
) -> list[SaturationPoint]:
    """New themes per interview in date order (``order``) and the running total."""
    rank = {iid: n for n, iid in enumerate(order)}
    first: dict[str, int] = {}
    for theme in themes:
        known = [i for i in theme.interviews if i in rank]
        if known:
            earliest = min(known, key=rank.__getitem__)
            first[earliest] = first.get(earliest, 0) + 1
    points: list[SaturationPoint] = []
    total = 0
    for iid in order:
        total += first.get(iid, 0)
        points.append(SaturationPoint(iid, dates.get(iid), first.get(iid, 0), total))
    return points
