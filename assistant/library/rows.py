"""Rows of the ``turns`` and ``chunks`` tables: writing them and reading chunks back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from assistant.chunking import Chunk
from assistant.models import SpeakerRole, Turn


def insert_turns(conn: sqlite3.Connection, iid: str, turns: Sequence[Turn]) -> None:
    conn.executemany(
        "INSERT INTO turns(interview_id, idx, speaker, role, start, end, text, char_start,"
        " char_end) VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (iid, t.index, t.speaker, str(t.role), t.start, t.end, t.text, t.char_start, t.char_end)
            for t in turns
        ],
    )


def insert_chunks(conn: sqlite3.Connection, chunks: Sequence[Chunk]) -> None:
    conn.executemany(
        "INSERT INTO chunks(id, interview_id, turn_start, turn_end, speaker, role, char_start,"
        " char_end, text, context, embedded) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                c.id,
                c.interview_id,
                c.turn_start,
                c.turn_end,
                c.speaker,
                str(c.role),
                c.char_start,
                c.char_end,
                c.text,
                c.context,
                int(c.embeddable),
            )
            for c in chunks
        ],
    )


def chunks_by_id(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Chunk]:
    """Stored chunks with the given ids (in id order)."""
    out: list[Chunk] = []
    wanted = sorted(ids)
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        marks = ",".join("?" * len(part))
        rows = conn.execute(f"SELECT * FROM chunks WHERE id IN ({marks}) ORDER BY id", part)
        out += [row_chunk(r) for r in rows]
    return out


def row_chunk(r: sqlite3.Row) -> Chunk:
    return Chunk(
        id=r["id"],
        interview_id=r["interview_id"],
        turn_start=r["turn_start"],
        turn_end=r["turn_end"],
        speaker=r["speaker"],
        role=SpeakerRole(r["role"]),
        char_start=r["char_start"],
        char_end=r["char_end"],
        text=r["text"],
        context=r["context"],
    )
