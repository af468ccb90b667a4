"""Pydantic models for transcripts and interview metadata.

Every parser returns a :class:`Transcript`. Its ``text`` is the *normalised
transcript text*: turns rendered as ``"{speaker}: {text}"`` and joined by a
blank line. Each turn's ``char_start``/``char_end`` locate the turn's own text
(without the label) in that string, so ``transcript.text[t.char_start:t.char_end]
== t.text`` always holds. Chunks and quote evidence point into the same string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SpeakerRole(StrEnum):
    """Who a speaker is in the interview."""

    interviewer = "interviewer"
    participant = "participant"
    observer = "observer"
    """Present but neither asking nor interviewed (a note-taker, a colleague listening)."""
    unknown = "unknown"


class EvidenceStatus(StrEnum):
    """Whether a quote may count as evidence: only ``verified`` quotes support a claim.

    ``unverified``: not found in the transcript; ``note``: from interviewer notes
    (not the participant's words). The values are the strings stored in the database.
    """

    verified = "verified"
    unverified = "unverified"
    note = "note"
    unattributed = "unattributed"
    """Located in turns whose speaker role is unknown (undiarized, or a label nobody
    assigned): not evidence until a person says who spoke."""


class DmuRole(StrEnum):
    """Role in the decision-making unit (see docs: domain)."""

    champion = "champion"
    economic_buyer = "economic_buyer"
    technical_buyer = "technical_buyer"
    end_user = "end_user"
    other = "other"


class AccountMetrics(BaseModel):
    """How valuable the account is to us: used to find the best customers.

    ``arr`` and ``ltv`` accept text such as ``"$52k"`` or ``"52,000"`` (read by
    :func:`assistant.firmographics.parse_money`); an amount in another currency
    or a range is refused with a message, never converted or guessed.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("arr", "ltv", mode="before")
    @classmethod
    def _money(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        from assistant.firmographics import QuantityError, parse_money

        try:
            q = parse_money(value)
        except QuantityError as exc:
            raise ValueError(f"expected an amount in USD: {exc}") from None
        if q.currency not in (None, "USD"):
            raise ValueError(
                f"{value!r} is in {q.currency}; metrics are compared in USD: give the USD "
                "amount (nothing is converted for you)"
            )
        if q.low is None or q.low != q.high:
            raise ValueError(f"{value!r} is a range or a bound; give one amount")
        return q.low

    arr: float | None = Field(None, description="Annual recurring revenue in USD.", ge=0)
    ltv: float | None = Field(None, description="Lifetime value in USD.", ge=0)
    tenure_months: int | None = Field(None, description="Months as a customer.", ge=0)
    expanded: bool | None = Field(None, description="Has the account expanded (upsell/seats)?")
    referred: bool | None = Field(None, description="Has the account referred other customers?")


class Account(BaseModel):
    """The participant's company (firmographics, tech stack, metrics)."""

    model_config = ConfigDict(extra="forbid")

    company: str | None = None
    industry: str | None = None
    employees: int | str | None = Field(
        None, description='Head count: 1400, "50-100" or "about 2,000" (read as numbers).'
    )
    revenue: str | None = Field(
        None, description='Annual revenue with its currency, e.g. "$40M", "€1,5M", "$10-50M".'
    )
    region: str | None = None
    tech_stack: list[str] = Field(default_factory=list)
    metrics: AccountMetrics | None = None

    @field_validator("employees")
    @classmethod
    def _head_count(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 0:
            raise ValueError("expected a number >= 0")
        if isinstance(value, str):
            from assistant.firmographics import QuantityError, parse_count

            try:
                parse_count(value)
            except QuantityError as exc:
                raise ValueError(
                    f"expected a head count like 1400, 50-100 or about 2,000 ({exc})"
                ) from None
        return value


class Participant(BaseModel):
    """A person interviewed."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: str | None = None
    company: str | None = None
    dmu_role: DmuRole | None = None


class InterviewMeta(BaseModel):
    """Metadata from YAML front matter, a ``NAME.meta.yaml`` sidecar or CLI flags."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    date: dt.date | None = None
    interviewer: str | None = Field(None, description="Speaker label of the interviewer.")
    participants: list[Participant] = Field(default_factory=list)
    account: Account | None = None
    segment: str | None = Field(
        None, description="The market segment the user puts this account in (or a tag segment:X)."
    )
    tags: list[str] = Field(default_factory=list)
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="Metadata keys this project does not know (guest, youtube_url...),"
        " kept as given with a warning; not used in analysis.",
    )


class Turn(BaseModel):
    """One speaker turn of a transcript."""

    index: int
    speaker: str
    role: SpeakerRole = SpeakerRole.unknown
    start: float | None = None
    end: float | None = None
    text: str
    char_start: int
    char_end: int


class SpeakerAttribution(BaseModel):
    """The role of one speaker label, how sure we are and how it was decided."""

    label: str
    role: SpeakerRole
    confidence: float = Field(ge=0, le=1)
    method: str = Field(description="override | metadata | label | content | none")
    turns: int = 0


@dataclass(slots=True)
class RawTurn:
    """A turn as a parser sees it, before offsets and roles are assigned.

    A plain dataclass, not a pydantic model: parsers make one per caption cue
    or word, and ``build_turns`` checks what becomes a :class:`Turn`.
    """

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None


class Transcript(BaseModel):
    """A parsed interview, in one shape whatever the source format."""

    source: str = Field(description="Path of the file it was read from.")
    format: str = Field(
        description="Name of the registry format it was read as (`persona formats`)."
    )
    title: str
    verbatim: bool = Field(
        True, description="False for interviewer notes: not the customer's words."
    )
    diarized: bool = Field(
        True, description="False when the source names no speakers (one `Unattributed` speaker)."
    )
    text: str = Field(description="The normalised transcript text that offsets point into.")
    turns: list[Turn]
    meta: InterviewMeta = Field(default_factory=InterviewMeta)
    role_confidence: float = Field(
        0.0, ge=0, le=1, description="Confidence of interviewer detection."
    )
    role_method: str = Field(
        "none", description="How the least certain speaker's role was assigned (see roles)."
    )
    speaker_roles: list[SpeakerAttribution] = Field(
        default_factory=list, description="Each speaker's role, confidence and method."
    )
    warnings: list[str] = Field(
        default_factory=list, description="What reading the file dropped, repaired or guessed."
    )

    @property
    def content_hash(self) -> str:
        """Identity of the content: sha256 of the normalised text and metadata."""
        h = hashlib.sha256(self.text.encode("utf-8"))
        h.update(self.meta.model_dump_json().encode("utf-8"))
        return h.hexdigest()

    def speakers(self) -> list[tuple[str, SpeakerRole, int]]:
        """Distinct speakers in order of first appearance: (label, role, turn count)."""
        seen: dict[str, tuple[SpeakerRole, int]] = {}
        for t in self.turns:
            role, n = seen.get(t.speaker, (t.role, 0))
            seen[t.speaker] = (role, n + 1)
        return [(label, role, n) for label, (role, n) in seen.items()]


def normalize_turn_text(text: str) -> str:
    """Normalise one turn's text: NFC, no control characters, single spaces."""
    if not text.isascii():  # ASCII is already NFC
        text = unicodedata.normalize("NFC", text)
    fast = " ".join(text.split())
    if fast.isprintable():
        return fast
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return " ".join(text.split())


def build_turns(raw: list[RawTurn]) -> tuple[str, list[Turn]]:
    """Render raw turns into the normalised text and offset-carrying turns.

    Empty turns are dropped; consecutive turns of one speaker are kept as given
    (parsers decide about merging).
    """
    parts: list[str] = []
    turns: list[Turn] = []
    speakers: dict[str, str] = {}  # raw label -> normalised (few labels, many turns)
    pos = 0
    for r in raw:
        body = normalize_turn_text(r.text)
        if not body:
            continue
        speaker = speakers.get(r.speaker)
        if speaker is None:
            speaker = speakers[r.speaker] = normalize_turn_text(r.speaker) or "Unknown"
        if parts:
            parts.append("\n\n")
            pos += 2
        label = f"{speaker}: "
        parts.append(label)
        pos += len(label)
        start = pos
        parts.append(body)
        pos += len(body)
        turns.append(
            Turn(
                index=len(turns),
                speaker=speaker,
                start=r.start,
                end=r.end,
                text=body,
                char_start=start,
                char_end=pos,
            )
        )
    return "".join(parts), turns
