"""Reading speakers for people: the per-interview report and the interviews that need a speaker check."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from assistant.ingest.roles import REVIEW_CONFIDENCE
from assistant.ingest.speaker_cues import same_label
from assistant.library.queries import resolve_interview_id
from assistant.library.speaker_names import speaker_names
from assistant.library.speaker_rows import read_attributions
from assistant.workspace import Workspace

# --------------------------------------------------------------------------- listing


@dataclass
class SpeakerView:
    """One speaker as `persona speakers ID` shows it."""

    label: str
    role: str
    confidence: float
    method: str
    turns: int
    sample: str
    participant: str | None = None
    shown_as: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class SpeakersReport:
    """The speakers of one interview, and what the last change did."""

    interview_id: str
    title: str
    confidence: float
    method: str
    speakers: list[SpeakerView]
    changed: list[str] = field(default_factory=list)
    evidence_changed: int = 0
    evidence_checked: int = 0
    participants: list[str] = field(default_factory=list)
    """Names of the metadata's participants (what a label can be mapped to)."""

    @property
    def needs_check(self) -> bool:
        return self.confidence < REVIEW_CONFIDENCE

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.interview_id,
            "title": self.title,
            "role_confidence": self.confidence,
            "role_method": self.method,
            "needs_check": self.needs_check,
            "speakers": [s.to_json() for s in self.speakers],
            "changed": self.changed,
            "evidence_checked": self.evidence_checked,
            "evidence_changed": self.evidence_changed,
            "participants": self.participants,
        }


def _sample(texts: list[str], width: int = 100) -> str:
    """A representative line: the longest of the first few turns, cut to ``width``."""
    best = max(texts[:6], key=len) if texts else ""
    return best if len(best) <= width else best[: width - 1].rstrip() + "…"


def speakers_report(ws: Workspace, id_or_prefix: str) -> SpeakersReport:
    """Every speaker of an interview with role, confidence, method, turns and a sample line."""
    iid = resolve_interview_id(ws, id_or_prefix)
    conn = ws.conn
    row = conn.execute(
        "SELECT title, role_confidence, role_method, meta_json FROM interviews WHERE id = ?",
        (iid,),
    ).fetchone()
    texts: dict[str, list[str]] = {}
    for t in conn.execute(
        "SELECT speaker, text FROM turns WHERE interview_id = ? ORDER BY idx", (iid,)
    ):
        texts.setdefault(t["speaker"], []).append(t["text"])
    names = speaker_names(conn, iid)
    views = [
        SpeakerView(
            label=a.label,
            role=a.role.value,
            confidence=a.confidence,
            method=a.method,
            turns=a.turns,
            sample=_sample(texts.get(a.label, [])),
            participant=_participant_of(conn, iid, a.label),
            shown_as=names.get((iid, a.label), a.label),
        )
        for a in read_attributions(conn, iid)
    ]
    people = [p.get("name", "") for p in json.loads(row["meta_json"]).get("participants", [])]
    return SpeakersReport(
        iid,
        row["title"],
        row["role_confidence"],
        row["role_method"],
        views,
        participants=[p for p in people if p],
    )


def _participant_of(conn: sqlite3.Connection, iid: str, label: str) -> str | None:
    r = conn.execute(
        "SELECT participant FROM speakers WHERE interview_id = ? AND label = ?", (iid, label)
    ).fetchone()
    return None if r is None else r["participant"]


@dataclass
class ReviewItem:
    """An interview whose speaker attribution needs a person's check."""

    interview_id: str
    title: str
    confidence: float
    method: str
    unsure: list[str]  # labels below the review confidence

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


def needing_review(ws: Workspace) -> list[ReviewItem]:
    """Verbatim interviews whose attribution confidence is below the review threshold."""
    conn = ws.conn
    rows = conn.execute(
        "SELECT id, title, role_confidence, role_method FROM interviews"
        " WHERE verbatim = 1 AND role_confidence < ? ORDER BY role_confidence, id",
        (REVIEW_CONFIDENCE,),
    ).fetchall()
    out = []
    for r in rows:
        unsure = [
            s["label"]
            for s in conn.execute(
                "SELECT label FROM speakers WHERE interview_id = ? AND confidence < ?"
                " ORDER BY label",
                (r["id"], REVIEW_CONFIDENCE),
            )
        ]
        out.append(ReviewItem(r["id"], r["title"], r["role_confidence"], r["role_method"], unsure))
    return out


def interviews_with_label(ws: Workspace, label: str) -> list[str]:
    """Ids of every interview that has a speaker with this label (case-insensitive)."""
    rows = ws.conn.execute("SELECT DISTINCT interview_id, label FROM speakers ORDER BY 1")
    return [r["interview_id"] for r in rows if same_label(r["label"], label)]
