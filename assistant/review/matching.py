"""Claim identity across regenerations, and what a regenerated version would change.

Within a field, a new claim continues an old one when it has:
1. the same normalised text (case, spacing and punctuation ignored) as the
   claim's current text or the model's last text for it (so a claim the user
   reworded still matches what the model says again);
2. otherwise, evidence overlap: Jaccard similarity of the evidence keys of at
   least :data:`MATCH_OVERLAP`, best pair first.
Matched claims keep their ids; unmatched new claims get new ids; unmatched
old claims are removed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.review.models import (
    Claim,
    ClaimChange,
    ClaimDraft,
    EvidenceLink,
    Origin,
    ReviewItem,
    normalise,
)

MATCH_OVERLAP = 0.5
"""Least Jaccard overlap of evidence for two claims to be the same claim."""


@dataclass
class Proposal:
    """A generated version: claims with the ids they would keep (None = new)."""

    title: str
    origin: Origin
    fields: dict[str, list[tuple[str | None, ClaimDraft]]]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "origin": self.origin.model_dump(),
            "fields": {
                f: [
                    {"id": cid, **d.model_dump(mode="json", exclude_none=True)} for cid, d in claims
                ]
                for f, claims in self.fields.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Proposal:
        fields = {
            f: [(c.pop("id"), ClaimDraft.model_validate(c)) for c in (dict(x) for x in claims)]
            for f, claims in data["fields"].items()
        }
        return cls(data["title"], Origin.model_validate(data["origin"]), fields)


def _overlap(a: Sequence[EvidenceLink], b: Sequence[EvidenceLink]) -> float:
    ka, kb = {e.key() for e in a}, {e.key() for e in b}
    if not ka or not kb:
        return 0.0
    return len(ka & kb) / len(ka | kb)


def match_claims(old: Sequence[Claim], new: Sequence[ClaimDraft]) -> list[str | None]:
    """For each new claim, the id of the old claim it continues (None: a new claim).

    One-to-one, within one field: normalised text first (current or model
    text), then the best evidence overlap of at least :data:`MATCH_OVERLAP`.
    """
    result: list[str | None] = [None] * len(new)
    free = {c.id: c for c in old}
    for i, draft in enumerate(new):
        norm = normalise(draft.text)
        for claim in free.values():
            if norm in (normalise(claim.text), normalise(claim.model_text or "")):
                result[i] = claim.id
                del free[claim.id]
                break
    pairs = sorted(
        (
            (_overlap(draft.evidence, claim.evidence), i, claim.id)
            for i, draft in enumerate(new)
            if result[i] is None
            for claim in free.values()
        ),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    for score, i, cid in pairs:
        if score >= MATCH_OVERLAP and result[i] is None and cid in free:
            result[i] = cid
            del free[cid]
    return result


def propose(
    item: ReviewItem, title: str, origin: Origin, fields: Mapping[str, Sequence[Any]]
) -> Proposal:
    out: dict[str, list[tuple[str | None, ClaimDraft]]] = {}
    for name, raw in fields.items():
        drafts = [d if isinstance(d, ClaimDraft) else ClaimDraft(text=str(d)) for d in raw]
        out[name] = list(zip(match_claims(item.fields.get(name, []), drafts), drafts, strict=True))
    return Proposal(title, origin, out)


def diff_proposal(item: ReviewItem, proposal: Proposal) -> list[ClaimChange]:
    """Added, changed and removed claims of ``proposal`` against the current item.

    A user-owned claim is compared with the model's last text for it (so an
    unchanged model text is no change); user-owned claims the proposal lacks
    are not "removed": they stay.
    """
    changes: list[ClaimChange] = []
    matched: set[str] = set()
    for name, claims in proposal.fields.items():
        for cid, draft in claims:
            current = None if cid is None else item.claim(cid)
            if current is None:
                changes.append(ClaimChange(change="added", field=name, after=draft.text))
                continue
            matched.add(current.id)
            reference = (current.model_text if current.user_owned else None) or current.text
            same_evidence = {e.key() for e in current.evidence} == {e.key() for e in draft.evidence}
            if draft.text != reference or not same_evidence:
                changes.append(
                    ClaimChange(
                        change="changed",
                        field=name,
                        claim_id=current.id,
                        before=current.text,
                        after=draft.text,
                        user_owned=current.user_owned,
                    )
                )
    changes.extend(
        ClaimChange(change="removed", field=c.field, claim_id=c.id, before=c.text)
        for c in item.claims()
        if c.id not in matched and not c.user_owned
    )
    return changes
