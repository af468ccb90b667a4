"""What the library reports: one ingest result per file, interview summaries and details."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.models import Transcript

Status = Literal["ingested", "updated", "unchanged", "duplicate", "skipped", "failed"]


@dataclass
class IngestResult:
    """What happened to one input file, and what it became.

    ``error`` says why a file ``failed``; ``reason`` why it is a ``duplicate``
    or was ``skipped``. ``format``, ``speakers``, ``verbatim``, ``diarized``
    and ``warnings`` describe the stored interview (None / empty otherwise).
    """

    path: str
    status: Status
    interview_id: str | None = None
    error: str | None = None
    chunks: int = 0
    reason: str | None = None
    format: str | None = None
    speakers: list[str] = field(default_factory=list)
    verbatim: bool | None = None
    diarized: bool | None = None
    warnings: list[str] = field(default_factory=list)

    def describe(self, transcript: Transcript) -> None:
        """Fill in what ``transcript`` is (format, speakers, flags, warnings)."""
        self.format = transcript.format
        self.speakers = [label for label, _role, _n in transcript.speakers()]
        self.verbatim = transcript.verbatim
        self.diarized = transcript.diarized
        self.warnings = list(transcript.warnings)

    @property
    def needs_attention(self) -> bool:
        """Not stored as diarized verbatim, or read with warnings (a person should look)."""
        return (
            self.status in ("duplicate", "skipped")
            or bool(self.warnings)
            or self.verbatim is False
            or self.diarized is False
        )

    def report(self) -> str:
        """One line for people: what the file became (or why not)."""
        if self.status == "failed":
            return f"{self.path}: {self.error}"
        if self.status in ("duplicate", "skipped"):
            return f"{self.path}: {self.status} — {self.reason}"
        what = f"{self.path}: {self.status} as {self.format}"
        if not self.verbatim:
            return f"{what} — notes, not verbatim"
        if not self.diarized:
            return f"{what} — verbatim, not diarized (speaker Unattributed)"
        shown = ", ".join(self.speakers[:6]) + (", …" if len(self.speakers) > 6 else "")
        n = len(self.speakers)
        return f"{what} — {n} speaker{'' if n == 1 else 's'} ({shown}), diarized"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "interview_id": self.interview_id,
            "error": self.error,
            "reason": self.reason,
            "format": self.format,
            "speakers": self.speakers,
            "verbatim": self.verbatim,
            "diarized": self.diarized,
            "warnings": self.warnings,
        }


@dataclass
class SpeakerSummary:
    """One speaker of an interview: label, role and number of turns."""

    label: str
    role: str
    turns: int


@dataclass
class InterviewSummary:
    """One row of `persona interviews`."""

    id: str
    title: str
    source: str
    format: str
    verbatim: bool
    turns: int
    speakers: list[SpeakerSummary]
    diarized: bool = True
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``notes``, ``not diarized`` (verbatim, speaker Unattributed) or ``verbatim``."""
        if not self.verbatim:
            return "notes"
        return "verbatim" if self.diarized else "not diarized"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "format": self.format,
            "verbatim": self.verbatim,
            "diarized": self.diarized,
            "turns": self.turns,
            "speakers": [vars(s) for s in self.speakers],
            "warnings": self.warnings,
        }


@dataclass
class InterviewDetail:
    """An interview as stored: summary, metadata and turns."""

    summary: InterviewSummary
    transcript: Transcript
    content_hash: str
    ingested_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        t = self.transcript
        data = self.summary.to_json()
        data.update(
            {
                "meta": t.meta.model_dump(mode="json", exclude_none=True),
                "role_confidence": t.role_confidence,
                "role_method": t.role_method,
                "content_hash": self.content_hash,
                "ingested_at": self.ingested_at,
                "updated_at": self.updated_at,
                "turns": [
                    {
                        "index": turn.index,
                        "speaker": turn.speaker,
                        "role": str(turn.role),
                        "start": turn.start,
                        "text": turn.text,
                    }
                    for turn in t.turns
                ],
            }
        )
        return data
