"""Reading the library: resolve an id, list interviews, load a stored transcript."""

from __future__ import annotations

import json
import sqlite3

from assistant.errors import UsageError
from assistant.library.records import InterviewDetail, InterviewSummary, SpeakerSummary
from assistant.models import InterviewMeta, SpeakerRole, Transcript, Turn
from assistant.workspace import Workspace


def resolve_interview_id(ws: Workspace, id_or_prefix: str) -> str:
    """The interview id matching exactly, or the only id starting with the prefix."""
    conn = ws.conn
    if conn.execute("SELECT 1 FROM interviews WHERE id = ?", (id_or_prefix,)).fetchone():
        return id_or_prefix
    escaped = id_or_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        "SELECT id FROM interviews WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
        (escaped + "%",),
    ).fetchall()
    if len(rows) == 1:
        return str(rows[0]["id"])
    if not rows:
        raise UsageError(f"no interview {id_or_prefix!r}: see `persona interviews`")
    names = ", ".join(r["id"] for r in rows[:5])
    raise UsageError(f"{id_or_prefix!r} matches several interviews ({names}): give more of the id")


def _speakers(conn: sqlite3.Connection, iid: str) -> list[SpeakerSummary]:
    rows = conn.execute(
        "SELECT speaker, role, COUNT(*) AS n, MIN(idx) AS first FROM turns"
        " WHERE interview_id = ? GROUP BY speaker, role ORDER BY first",
        (iid,),
    ).fetchall()
    return [SpeakerSummary(r["speaker"], r["role"], int(r["n"])) for r in rows]


def _summary(conn: sqlite3.Connection, row: sqlite3.Row) -> InterviewSummary:
    speakers = _speakers(conn, row["id"])
    return InterviewSummary(
        id=row["id"],
        title=row["title"],
        source=row["source_path"],
        format=row["format"],
        verbatim=bool(row["verbatim"]),
        turns=sum(s.turns for s in speakers),
        speakers=speakers,
        diarized=bool(row["diarized"]),
        warnings=json.loads(row["warnings_json"]),
    )


def interview_ids(ws: Workspace) -> list[str]:
    """Every stored interview id, in order."""
    return [str(r[0]) for r in ws.conn.execute("SELECT id FROM interviews ORDER BY id")]


def list_interviews(ws: Workspace) -> list[InterviewSummary]:
    """Every stored interview, by id."""
    conn = ws.conn
    rows = conn.execute("SELECT * FROM interviews ORDER BY id").fetchall()
    return [_summary(conn, row) for row in rows]


def load_transcript(conn: sqlite3.Connection, iid: str) -> Transcript:
    """Rebuild the stored Transcript of interview ``iid``."""
    from assistant.library.speaker_rows import read_attributions

    row = conn.execute("SELECT * FROM interviews WHERE id = ?", (iid,)).fetchone()
    if row is None:
        raise UsageError(f"no interview {iid!r}")
    turns = [
        Turn(
            index=r["idx"],
            speaker=r["speaker"],
            role=SpeakerRole(r["role"]),
            start=r["start"],
            end=r["end"],
            text=r["text"],
            char_start=r["char_start"],
            char_end=r["char_end"],
        )
        for r in conn.execute(
            "SELECT * FROM turns WHERE interview_id = ? ORDER BY idx", (iid,)
        ).fetchall()
    ]
    return Transcript(
        source=row["source_path"],
        format=row["format"],
        title=row["title"],
        verbatim=bool(row["verbatim"]),
        diarized=bool(row["diarized"]),
        warnings=json.loads(row["warnings_json"]),
        text=row["text"],
        turns=turns,
        meta=InterviewMeta.model_validate(json.loads(row["meta_json"])),
        role_confidence=row["role_confidence"],
        role_method=row["role_method"],
        speaker_roles=read_attributions(conn, iid),
    )


def get_interview(ws: Workspace, id_or_prefix: str) -> InterviewDetail:
    """One interview with its metadata and turns (unique id prefixes accepted)."""
    iid = resolve_interview_id(ws, id_or_prefix)
    conn = ws.conn
    row = conn.execute("SELECT * FROM interviews WHERE id = ?", (iid,)).fetchone()
    return InterviewDetail(
        summary=_summary(conn, row),
        transcript=load_transcript(conn, iid),
        content_hash=row["content_hash"],
        ingested_at=row["ingested_at"],
        updated_at=row["updated_at"],
    )
