"""How often each theme comes up: the interviews with a verified quote behind any of its
claims, split by the participants' DMU roles and by segment (the report's theme charts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.export.data import ExportData
from assistant.models import EvidenceStatus
from assistant.review import ReviewItem

NO_ROLE = "no role given"
NO_SEGMENT = "no segment"


@dataclass
class ThemeCount:
    """One theme: its interviews, and how many of them each role and segment has."""

    item: ReviewItem
    interviews: list[str]
    by_role: dict[str, int] = field(default_factory=dict)
    by_segment: dict[str, int] = field(default_factory=dict)


def _segment_of(data: ExportData) -> dict[str, str]:
    seg = data.bundle.segments or {}
    return {iid: s["name"] for s in seg.get("segments") or [] for iid in s.get("interviews") or []}


def theme_counts(data: ExportData) -> list[ThemeCount]:
    """Every theme (rejected ones left out), most interviews first, then by title.

    An interview with two roles counts once for each role; one without a role
    counts under ``no role given``.
    """
    segment_of = _segment_of(data)
    out: list[ThemeCount] = []
    for item in data.items("theme"):
        interviews = sorted(
            {
                ref.interview_id
                for claim in item.claims()
                for ref in data.evidence.for_claim(claim)
                if ref.status == EvidenceStatus.verified
            }
        )
        tc = ThemeCount(item, interviews)
        for iid in interviews:
            for role in data.roles.get(iid) or [NO_ROLE]:
                tc.by_role[role] = tc.by_role.get(role, 0) + 1
            seg = segment_of.get(iid, NO_SEGMENT)
            tc.by_segment[seg] = tc.by_segment.get(seg, 0) + 1
        out.append(tc)
    return sorted(out, key=lambda t: (-len(t.interviews), t.item.title, t.item.id))
