"""What the review store holds: items, claims, evidence links, origins and revisions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from assistant.models import EvidenceStatus
from assistant.provenance import Provenance
from assistant.text_identity import normalise

ItemKind = Literal["theme", "persona", "icp", "messaging"]


ItemStatus = Literal["draft", "approved", "rejected"]


KINDS: tuple[str, ...] = ("theme", "persona", "icp", "messaging")


USER = "user"


class EvidenceLink(BaseModel):
    """One piece of evidence behind a claim: an insight and/or a located quote."""

    model_config = ConfigDict(extra="forbid")

    interview_id: str
    insight_id: str | None = None
    quote: str | None = None
    speaker: str | None = None
    turn: int | None = None
    start: int | None = None
    end: int | None = None
    speaker_name: str | None = Field(
        None,
        exclude=True,
        description="The person and title the speaker label is, when known (set when read).",
    )
    status: EvidenceStatus = Field(
        EvidenceStatus.verified, description="Only verified evidence makes a claim supported."
    )
    described_by: str | None = Field(
        None,
        description="Second-hand evidence: the DMU role of the interviewee who described this "
        "person (a stakeholder named in a buying process); never that person's own words.",
    )

    @classmethod
    def from_evidence(cls, interview_id: str, owner_id: str, ev: Mapping[str, Any]) -> EvidenceLink:
        """The link to one stored evidence row (a dict or sqlite Row of the ``evidence`` table,
        or an item of ``StoredInsight.evidence``) of insight ``owner_id``."""
        keys = ev.keys()
        speaker = ev["speaker"] if "speaker" in keys else None
        if not speaker and "claimed_speaker" in keys:
            speaker = ev["claimed_speaker"]
        return cls(
            interview_id=interview_id,
            insight_id=owner_id,
            quote=ev["quote"],
            speaker=speaker,
            turn=ev["turn"],
            start=ev["start"],
            end=ev["end"],
            status=ev["status"],
        )

    def key(self) -> str:
        """Identity used to compare evidence across regenerations."""
        if self.insight_id:
            return f"insight:{self.insight_id}"
        if self.start is not None:
            return f"span:{self.interview_id}:{self.start}:{self.end}"
        return f"quote:{self.interview_id}:{normalise(self.quote or '')}"


class Support(BaseModel):
    """Distinct interviews and accounts behind a claim's verified evidence."""

    interviews: int = 0
    accounts: int = 0


class Origin(BaseModel):
    """Who produced an item or claim."""

    source: Literal["model", "user"]
    model: str | None = None
    prompt_version: str | None = None

    @classmethod
    def of(cls, provenance: Provenance) -> Origin:
        """The origin of a generated version."""
        return cls(source="model", model=provenance.model, prompt_version=provenance.prompt_version)

    @property
    def author(self) -> str:
        if self.source == "user":
            return USER
        return f"model:{self.model}@{self.prompt_version}"


class ClaimDraft(BaseModel):
    """A claim as a generator proposes it: text and evidence (support is computed)."""

    text: str
    evidence: list[EvidenceLink] = Field(default_factory=list)


class Claim(BaseModel):
    """One claim of an item, with its evidence and support."""

    id: str
    field: str
    text: str
    evidence: list[EvidenceLink] = Field(default_factory=list)
    support: Support = Field(default_factory=Support)
    origin: Origin
    edited_by_user: bool = False
    model_text: str | None = Field(None, description="The model's last text for this claim.")
    quote_flags: list[str] = Field(
        default_factory=list,
        exclude=True,
        description="Phrases the text puts in quotation marks that no cited participant said "
        "verbatim (computed when the item is read; never stored).",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> Literal["supported", "secondhand", "assumption"]:
        """``supported`` by a verified quote of the people themselves; ``secondhand`` when only
        someone else's verified description backs it; else an ``assumption``."""
        verified = [e for e in self.evidence if e.status == EvidenceStatus.verified]
        if any(e.described_by is None for e in verified):
            return "supported"
        return "secondhand" if verified else "assumption"

    @property
    def secondhand_label(self) -> str:
        """``as described by a champion`` (the roles whose words back a second-hand claim)."""
        roles = sorted({e.described_by for e in self.evidence if e.described_by})
        named = " and ".join(r.replace("_", " ") for r in roles) or "an interviewee"
        article = "an" if named[0] in "aeiou" else "a"
        return f"as described by {article} {named}"

    @property
    def user_owned(self) -> bool:
        """True for claims the user wrote or edited: a regeneration never changes them."""
        return self.edited_by_user or self.origin.source == "user"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "evidence": [e.model_dump(exclude_none=True) for e in self.evidence],
            "support": self.support.model_dump(),
            "origin": self.origin.model_dump(),
            "edited_by_user": self.edited_by_user,
            "quote_flags": self.quote_flags,
        }


class ClaimChange(BaseModel):
    """One difference between the current item and a pending regeneration."""

    change: Literal["added", "removed", "changed"]
    field: str
    claim_id: str | None = Field(None, description="Current claim id (None for added).")
    before: str | None = None
    after: str | None = None
    user_owned: bool = Field(False, description="User-written/edited: kept as is on accept.")


class PendingChanges(BaseModel):
    """A regenerated version waiting for the user's decision."""

    revision_id: int
    author: str
    created_at: str
    title_before: str
    title_after: str
    changes: list[ClaimChange]

    def by_change(self, change: str) -> list[ClaimChange]:
        return [c for c in self.changes if c.change == change]


class ReviewItem(BaseModel):
    """A theme, persona, ICP or messaging draft under review."""

    id: str
    kind: str
    key: str
    title: str
    status: ItemStatus
    origin: Origin
    fields: dict[str, list[Claim]]
    pending: PendingChanges | None = None
    created_at: str
    updated_at: str
    version: int = Field(
        0,
        description="The id of the item's last revision: an edit made against an older "
        "version is refused (another process changed the item meanwhile).",
    )

    def assumptions(self) -> list[Claim]:
        """Claims no verified evidence backs (what approving asks about)."""
        return [c for c in self.claims() if c.status == "assumption"]

    def claims(self) -> list[Claim]:
        return [c for claims in self.fields.values() for c in claims]

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims() if c.id == claim_id), None)

    @property
    def touched(self) -> bool:
        """True when a regeneration must not overwrite it (see the module rule)."""
        return self.status != "draft" or any(c.user_owned for c in self.claims())

    def summary_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "status": self.status}

    def to_json(self) -> dict[str, Any]:
        data = self.summary_json()
        data.update(
            {
                "key": self.key,
                "origin": self.origin.model_dump(),
                "fields": {f: [c.to_json() for c in cs] for f, cs in self.fields.items()},
                "pending": None if self.pending is None else self.pending.model_dump(),
                "created_at": self.created_at,
                "updated_at": self.updated_at,
                "version": self.version,
            }
        )
        return data


class Revision(BaseModel):
    """One entry of an item's history."""

    id: int
    item_id: str
    claim_id: str | None
    action: str
    author: str
    created_at: str
    before: Any = None
    after: Any = None
