"""Interview filters shared by every command and the app: company, industry, segment, role, tag.

:class:`InterviewFilter` holds what the user asked for; :func:`select_interviews`
turns it into interview ids. Every criterion is case-insensitive and all given
criteria must hold:

- ``company``: the interview's account (:mod:`assistant.accounts`, any spelling);
- ``industry``: words of the account's industry (metadata or a verified fact);
- ``segment``: the account's segment (:mod:`assistant.segments`);
- ``role``: a participant's DMU role in the metadata, or the DMU role of an
  extracted insight of the interview;
- ``tag``: one of the interview's tags (metadata), or a codebook tag on one of
  its insights (:mod:`assistant.tags`). Lists of insights (``persona
  insights``, exports) go further with :func:`filter_insights`: they keep only
  the insights the tag marks, plus every insight of an interview whose
  metadata carries the tag.

Review items (themes, personas, ICP, messaging) follow the same rule through
:func:`tag_marks`: a claim is *marked* by a tag when one of its evidence links
cites an insight carrying the codebook tag, or comes from an interview whose
metadata carries it; an item is marked when one of its claims is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Protocol, TypeVar

from assistant.errors import UsageError
from assistant.models import DmuRole
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.review.models import Claim, ReviewItem


class _Tagged(Protocol):
    interview_id: str
    tags: list[str]


TaggedT = TypeVar("TaggedT", bound=_Tagged)


@dataclass(frozen=True)
class InterviewFilter:
    """What to keep; None means any."""

    company: str | None = None
    industry: str | None = None
    segment: str | None = None
    role: str | None = None
    tag: str | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def describe(self) -> str:
        """``company=Acme, role=champion`` (empty when nothing is filtered)."""
        return ", ".join(
            f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name)
        )


SPEAKER_ROLES = ("participant", "interviewer", "any")


def split_search_role(role: str) -> tuple[str, str | None]:
    """`persona search --role`: (speaker role, DMU role filter). A DMU role searches the
    words of participants of interviews with that role."""
    if role in SPEAKER_ROLES:
        return role, None
    if role.strip().casefold().replace(" ", "_") not in DmuRole.__members__:
        raise UsageError(
            f"--role must be participant, interviewer, any or a DMU role "
            f"({', '.join(DmuRole.__members__)}), not {role!r}"
        )
    return "participant", role


def interview_roles(ws: Workspace) -> dict[str, set[str]]:
    """Interview id -> the DMU roles of its participants (metadata) and of its insights."""
    from assistant.accounts import load_metas

    out: dict[str, set[str]] = {
        iid: {p.dmu_role.value for p in meta.participants if p.dmu_role}
        for iid, meta in load_metas(ws.conn)
    }
    for iid, role in ws.conn.execute(
        "SELECT DISTINCT interview_id, dmu_role FROM insights WHERE dmu_role IS NOT NULL"
    ):
        out.setdefault(iid, set()).add(role)
    return out


def select_interviews(ws: Workspace, flt: InterviewFilter) -> list[str]:
    """Ids of the interviews matching every criterion of ``flt``, sorted."""
    from assistant.accounts import load_identity, load_metas
    from assistant.icp_stats import load_accounts

    metas = load_metas(ws.conn)
    keep = {iid for iid, _ in metas}
    if flt.role:
        role = flt.role.strip().casefold().replace(" ", "_")
        if role not in DmuRole.__members__:
            raise UsageError(
                f"unknown role {flt.role!r}: choose from {', '.join(DmuRole.__members__)}"
            )
        roles = interview_roles(ws)
        keep &= {iid for iid in keep if role in roles.get(iid, set())}
    if flt.tag:
        tag = flt.tag.strip().casefold()
        tagged = {iid for iid, meta in metas if tag in {t.casefold() for t in meta.tags}}
        tagged |= {
            row[0]
            for row in ws.conn.execute(
                "SELECT DISTINCT i.interview_id FROM insight_tags t "
                "JOIN insights i ON i.id = t.insight_id WHERE t.tag = ? COLLATE NOCASE",
                (flt.tag.strip(),),
            )
        }
        keep &= tagged
    if flt.company:
        identity = load_identity(ws.conn)
        key = identity.find(flt.company)
        if key is None:
            names = ", ".join(sorted({identity.of(i).name for i, _ in metas})) or "none"
            raise UsageError(f"no account {flt.company!r} (accounts: {names})")
        keep &= {iid for iid, _ in metas if identity.of(iid).key == key}
    if flt.industry:
        words = flt.industry.strip().casefold()
        keep &= {
            iid
            for a in load_accounts(ws)
            if a.industry and words in a.industry.casefold()
            for iid in a.interviews
        }
    if flt.segment:
        from assistant.segments import compute_segments

        seg = compute_segments(ws)
        wanted = flt.segment.strip().casefold()
        match = [s for s in seg.segments if s.name.casefold() == wanted] or [
            s for s in seg.segments if wanted in s.name.casefold()
        ]
        if len(match) != 1:
            names = "; ".join(s.name for s in seg.segments) or "none"
            what = "no" if not match else "more than one"
            raise UsageError(f"{what} segment matches {flt.segment!r} (segments: {names})")
        keep &= set(match[0].interviews)
    return sorted(keep)


def filter_ids(ws: Workspace, flt: InterviewFilter, ids: Iterable[str]) -> list[str]:
    """``ids`` kept by ``flt`` (all of them when nothing is filtered)."""
    ids = list(ids)
    if not flt.active:
        return ids
    keep = set(select_interviews(ws, flt))
    return [i for i in ids if i in keep]


def filter_insights(
    ws: Workspace, flt: InterviewFilter, insights: Iterable[TaggedT]
) -> list[TaggedT]:
    """``insights`` of the interviews ``flt`` selects; with a tag, only the insights it marks
    (a codebook tag on the insight, or the tag in the interview's metadata)."""
    insights = list(insights)
    if not flt.active:
        return insights
    from assistant.accounts import load_metas

    keep = set(select_interviews(ws, flt))
    out = [i for i in insights if i.interview_id in keep]
    if flt.tag:
        tag = flt.tag.strip().casefold()
        whole = {
            iid for iid, meta in load_metas(ws.conn) if tag in {t.casefold() for t in meta.tags}
        }
        out = [i for i in out if i.interview_id in whole or tag in {t.casefold() for t in i.tags}]
    return out


@dataclass(frozen=True)
class TagMarks:
    """What one tag marks: insights carrying the codebook tag, interviews whose metadata has it."""

    tag: str
    insights: frozenset[str]
    interviews: frozenset[str]

    def claims(self, item: ReviewItem) -> list[Claim]:
        """The claims of ``item`` with evidence from a tagged insight or tagged interview."""
        return [
            c
            for c in item.claims()
            if any(
                e.interview_id in self.interviews or e.insight_id in self.insights
                for e in c.evidence
            )
        ]

    def items(self, items: Iterable[ReviewItem]) -> list[ReviewItem]:
        """The items with at least one marked claim, in their order."""
        return [i for i in items if self.claims(i)]


def tag_marks(ws: Workspace, tag: str) -> TagMarks:
    """What ``tag`` marks (case-insensitive); a tag nothing carries is a :class:`UsageError`
    naming the tags there are."""
    from assistant.accounts import load_metas
    from assistant.tags import list_tags

    wanted = tag.strip().casefold()
    metas = load_metas(ws.conn)
    interviews = frozenset(
        iid for iid, meta in metas if wanted in {t.casefold() for t in meta.tags}
    )
    insights = frozenset(
        row[0]
        for row in ws.conn.execute(
            "SELECT insight_id FROM insight_tags WHERE tag = ? COLLATE NOCASE", (tag.strip(),)
        )
    )
    if not interviews and not insights:
        known = sorted(
            {c.tag for c in list_tags(ws)} | {t for _, meta in metas for t in meta.tags},
            key=str.casefold,
        )
        raise UsageError(
            f"no insight or interview carries the tag {tag.strip()!r} "
            f"(tags: {', '.join(known) or 'none yet'})"
        )
    return TagMarks(tag.strip(), insights, interviews)
