"""Persona groups: which interviews one persona draft is made from.

Role split: participants of a role are put in seniority bands by title
(:func:`seniority`). A role is split into variants
(``persona:<role>:<band>``) only when at least two bands each hold at least
:data:`MIN_VARIANT_ACCOUNTS` distinct accounts; interviews of smaller bands join
the largest variant. Otherwise one persona ``persona:<role>``. A role whose
segments share no theme is split by segment (``[generate] persona_segments``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.extract import StoredInsight, list_insights
from assistant.generate.common import (
    InterviewInfo,
    interview_infos,
)
from assistant.segments import Segmentation, themes_shared
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.committee import StakeholderMention

MIN_VARIANT_ACCOUNTS = 2
"""Accounts a seniority band or a segment needs for a persona of its own."""
MAX_SEGMENT_PERSONAS = 4
"""Most personas one role is split into by segment (the largest segments)."""
ROLE_ORDER = ("economic_buyer", "champion", "technical_buyer", "end_user", "other")
_EXEC = re.compile(
    r"\b(chief|c[efoti]o|founder|president|vp|vice president|head|owner|partner)\b", re.I
)
_MANAGER = re.compile(r"\b(director|manager|controller|lead|supervisor)\b", re.I)


def seniority(title: str | None) -> str:
    """``executive``, ``manager``, ``staff`` or ``unknown`` from a job title."""
    if not title:
        return "unknown"
    if _EXEC.search(title):
        return "executive"
    if _MANAGER.search(title):
        return "manager"
    return "staff"


@dataclass
class PersonaGroup:
    """The interviews (and their insights) behind one persona."""

    role: str
    variant: str | None
    interviews: list[str]
    accounts: list[str]
    titles: list[str]
    insights: list[StoredInsight] = field(default_factory=list)
    segment: str | None = None
    """Set when the role was split by segment (its interviews' segments share no theme)."""
    segments: list[str] = field(default_factory=list)
    """Every segment its interviews fall in (what the persona card states)."""
    stakeholders: list[StakeholderMention] = field(default_factory=list)
    """Second-hand evidence: people of this role as interviewees described them."""
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        seg = f":seg-{_slug(self.segment)}" if self.segment else ""
        return f"persona:{self.role}{seg}" + (f":{self.variant}" if self.variant else "")

    @property
    def secondhand(self) -> bool:
        """True when nobody of this role was interviewed: only descriptions by others."""
        return not self.insights and bool(self.stakeholders)

    def coverage(self) -> str:
        """What the persona card states: accounts and segments it covers."""
        n = len(self.accounts)
        segs = ", ".join(self.segments) or "no segment"
        how = " (second-hand: described by interviewees of other roles)" if self.secondhand else ""
        return (
            f"{n} account{'s' * (n != 1)}, {len(self.interviews)} interviews; segments: {segs}{how}"
        )


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold())) or "segment"


def split_role(
    role: str, interviews: Sequence[str], infos: dict[str, InterviewInfo]
) -> list[tuple[str | None, list[str]]]:
    """(variant, interview ids) for one role: split by seniority band when evidence shows it."""
    bands: dict[str, list[str]] = defaultdict(list)
    for iid in sorted(interviews):
        bands[seniority(infos[iid].titles.get(role))].append(iid)

    def accounts(ids: list[str]) -> int:
        return len({infos[i].account or i for i in ids})

    big = [
        b for b in sorted(bands) if b != "unknown" and accounts(bands[b]) >= MIN_VARIANT_ACCOUNTS
    ]
    if len(big) < 2:
        return [(None, sorted(interviews))]
    largest = max(big, key=lambda b: (accounts(bands[b]), b))
    out = {b: list(bands[b]) for b in big}
    for b, ids in bands.items():
        if b not in out:
            out[largest] += ids
    return [(b, sorted(out[b])) for b in sorted(out)]


def segment_split(
    interviews: Sequence[str], seg: Segmentation, infos: dict[str, InterviewInfo]
) -> tuple[list[tuple[str | None, list[str]]], str | None, tuple[str, str] | None]:
    """(segment, interview ids) parts of one role, why it was split, and (segment, note)
    when interviews of other segments joined that part.

    A role is split when its interviews fall into segments of which some pair
    shares no theme: their pains are different worlds, one persona would mix them.
    Only segments with :data:`MIN_VARIANT_ACCOUNTS` accounts of the role get a
    persona, at most :data:`MAX_SEGMENT_PERSONAS` (the largest): at hundreds of
    accounts a role would otherwise get a persona per small cluster. Interviews
    of the other segments join the largest part, and the third value says so.
    """
    of = seg.of_interviews()
    parts: dict[str, list[str]] = defaultdict(list)
    for iid in interviews:
        parts[of.get(iid) or ""].append(iid)

    def accounts(name: str) -> int:
        return len({(infos[i].account if i in infos else None) or i for i in parts[name]})

    sized = [p for p in parts if p and accounts(p) >= MIN_VARIANT_ACCOUNTS]
    big = sorted(sorted(sized, key=lambda p: (-accounts(p), p))[:MAX_SEGMENT_PERSONAS])
    apart = [
        (a, b) for n, a in enumerate(big) for b in big[n + 1 :] if not themes_shared(seg, a, b)
    ]
    if len(big) < 2 or not apart or "" in parts:
        return [(None, sorted(interviews))], None, None
    a, b = apart[0]
    why = f"segments {a!r} and {b!r} share no theme"
    largest = min(big, key=lambda p: (-accounts(p), p))
    out = {name: list(parts[name]) for name in big}
    small = sorted(p for p in parts if p not in out)
    for name in small:
        out[largest] += parts[name]
    joined = None
    if small:
        moved = sum(len(parts[p]) for p in small)
        joined = (
            largest,
            (
                f"{moved} interviews of {len(small)} smaller segments (under {MIN_VARIANT_ACCOUNTS} "
                f"accounts of this role, or past the {MAX_SEGMENT_PERSONAS} largest) are in the "
                f"persona of {largest!r}"
            ),
        )
    return [(name, sorted(out[name])) for name in big], why, joined


def persona_groups(ws: Workspace, segment_mode: str = "split") -> list[PersonaGroup]:
    """One group per DMU role present in the insights (split where the checks say so), and one
    per role nobody was interviewed for but interviewees described (second-hand).

    ``segment_mode``: ``split`` (one persona per segment and role when its segments share no
    theme) or ``warn`` (one persona, with a warning).
    """
    from assistant.committee import load_stakeholders
    from assistant.segments import compute_segments

    infos = interview_infos(ws)
    seg = compute_segments(ws)
    of = seg.of_interviews()
    by_role: dict[str, list[StoredInsight]] = defaultdict(list)
    for ins in list_insights(ws):
        if ins.dmu_role:
            by_role[ins.dmu_role].append(ins)
    described: dict[str, list[StakeholderMention]] = defaultdict(list)
    for m in load_stakeholders(ws):
        if m.dmu_role and m.dmu_role not in by_role and m.verified:
            described[m.dmu_role].append(m)
    order = sorted(
        set(by_role) | set(described),
        key=lambda r: (ROLE_ORDER.index(r) if r in ROLE_ORDER else 99, r),
    )
    groups = []
    for role in order:
        if role not in by_role:
            mentions = described[role]
            ids = sorted({m.interview_id for m in mentions})
            groups.append(
                PersonaGroup(
                    role,
                    None,
                    ids,
                    sorted({infos[i].account for i in ids if i in infos}),
                    sorted({m.name_or_title for m in mentions}),
                    segments=sorted({of[i] for i in ids if i in of}),
                    stakeholders=mentions,
                )
            )
            continue
        interviews = sorted({i.interview_id for i in by_role[role]})
        parts, why, joined = segment_split(interviews, seg, infos)
        warning = None
        if why and segment_mode != "split":
            warning = f"persona:{role} mixes worlds: {why} ([generate] persona_segments = warn)"
            parts = [(None, interviews)]
        for segment, part in parts:
            for variant, ids in split_role(role, part, infos):
                titles = sorted({t for i in ids if (t := infos[i].titles.get(role))})
                accounts = sorted({a for i in ids if (a := infos[i].account)})
                members = [i for i in by_role[role] if i.interview_id in ids]
                group = PersonaGroup(role, variant, ids, accounts, titles, members, segment)
                group.segments = sorted({of[i] for i in ids if i in of})
                if warning:
                    group.warnings.append(warning)
                if joined and segment_mode == "split" and segment == joined[0]:
                    group.warnings.append(joined[1])
                groups.append(group)
    return groups
