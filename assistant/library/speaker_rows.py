"""Stored speaker rows: roles, confidence and method per label, and the user's kept overrides."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from assistant.ingest.roles import assign_roles
from assistant.ingest.speaker_cues import match_label, same_label, speaker_labels
from assistant.library.speaker_names import participant_for
from assistant.models import SpeakerAttribution, SpeakerRole, Transcript

# --------------------------------------------------------------------------- stored rows


def stored_override(row: Mapping[str, Any] | sqlite3.Row | None) -> dict[str, dict[str, str]]:
    """The user's stored choices of an ``interviews`` row: ``{"roles": {}, "names": {}}``."""
    out: dict[str, dict[str, str]] = {"roles": {}, "names": {}}
    if row is None:
        return out
    keys = row.keys()
    if "speaker_override" in keys and row["speaker_override"]:
        data = json.loads(row["speaker_override"])
        out["roles"].update(data.get("roles", {}))
        out["names"].update(data.get("names", {}))
    elif "interviewer_override" in keys and row["interviewer_override"]:
        out["roles"][row["interviewer_override"]] = "interviewer"
        out["roles"]["*"] = "participant"
    return out


def apply_override(transcript: Transcript, override: dict[str, dict[str, str]]) -> Transcript:
    """Detect roles with the user's stored choices for the labels this transcript still has."""
    labels = speaker_labels(transcript.turns)
    roles = {
        match_label(labels, label): SpeakerRole(role)
        for label, role in override["roles"].items()
        if label != "*" and any(same_label(label, s) for s in labels)
    }
    if "*" in override["roles"]:  # an older single-interviewer choice: everyone else answers
        rest = SpeakerRole(override["roles"]["*"])
        roles = {s: roles.get(s, rest) for s in labels}
    return assign_roles(transcript, roles=roles)


def write_speakers(
    conn: sqlite3.Connection, iid: str, transcript: Transcript, names: Mapping[str, str]
) -> None:
    """Replace the ``speakers`` rows of interview ``iid`` (names: chosen label → participant)."""
    conn.execute("DELETE FROM speakers WHERE interview_id = ?", (iid,))
    participants = transcript.meta.participants
    rows = []
    for a in transcript.speaker_roles:
        chosen = next((n for lbl, n in names.items() if same_label(lbl, a.label)), None)
        person = chosen or (p.name if (p := participant_for(a.label, participants)) else None)
        rows.append((iid, a.label, str(a.role), a.confidence, a.method, a.turns, person))
    conn.executemany(
        "INSERT INTO speakers(interview_id, label, role, confidence, method, turns, participant)"
        " VALUES (?,?,?,?,?,?,?)",
        rows,
    )


def read_attributions(conn: sqlite3.Connection, iid: str) -> list[SpeakerAttribution]:
    """The stored attribution of each speaker of interview ``iid``, in speaking order."""
    rows = conn.execute(
        "SELECT s.*, (SELECT MIN(idx) FROM turns t WHERE t.interview_id = s.interview_id"
        " AND t.speaker = s.label) AS first FROM speakers s WHERE s.interview_id = ?"
        " ORDER BY first",
        (iid,),
    ).fetchall()
    return [
        SpeakerAttribution(
            label=r["label"],
            role=SpeakerRole(r["role"]),
            confidence=r["confidence"],
            method=r["method"],
            turns=r["turns"],
        )
        for r in rows
    ]
