"""What the library reports: one ingest result per file, interview summaries and details."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.models import Transcript

Status = Literal["ingested", "updated", "unchanged", "failed"]


@dataclass
class IngestResult:
    """What happened to one input file."""

    path: str
    status: Status
    interview_id: str | None = None
    error: str | None = None
    chunks: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "interview_id": self.interview_id,
            "error": self.error,
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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "format": self.format,
            "verbatim": self.verbatim,
            "turns": self.turns,
            "speakers": [vars(s) for s in self.speakers],
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
