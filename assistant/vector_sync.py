"""Vectors agree with the database: drift between Chroma and SQLite, found and repaired.

SQLite is the record: a chunk row with ``embedded = 1`` must have a vector
under its chunk id, and a vector must belong to such a row. Writes go rows
and vectors in one SQLite transaction with the vectors written just before
the commit, so a crash can leave only two kinds of drift, both keyed by chunk
id: *orphan vectors* (vectors written, rows rolled back) and *chunks without
vectors* (vectors deleted for a replaced interview, rows rolled back; or a
deleted ``.persona/chroma``). :func:`repair_drift` deletes the first and
re-embeds the second; ingest runs it before it writes, and so does
`persona doctor --fix`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.vectorstore import VectorStore
from assistant.wording import count

if TYPE_CHECKING:
    from assistant.library import Library

FIX_HINT = "run `persona doctor --fix`"


@dataclass
class VectorDrift:
    """Chunk ids on one side only."""

    orphans: list[str] = field(default_factory=list)
    """Vectors whose chunk row does not exist (or is not embedded)."""
    missing: list[str] = field(default_factory=list)
    """Embedded chunk rows without a vector."""
    rows: int = 0
    vectors: int = 0

    @property
    def ok(self) -> bool:
        return not self.orphans and not self.missing

    def describe(self) -> str:
        """``N orphan vectors, M chunks without vectors``."""
        orphans = count(len(self.orphans), "orphan vector")
        return f"{orphans}, {count(len(self.missing), 'chunk')} without vectors"


def embedded_ids(conn: sqlite3.Connection) -> set[str]:
    """Ids of the chunk rows that should have a vector."""
    return {r[0] for r in conn.execute("SELECT id FROM chunks WHERE embedded = 1")}


def find_drift(conn: sqlite3.Connection, store: VectorStore) -> VectorDrift:
    """Compare chunk ids both ways (counts and ids)."""
    rows = embedded_ids(conn)
    vectors = store.ids()
    return VectorDrift(
        orphans=sorted(vectors - rows),
        missing=sorted(rows - vectors),
        rows=len(rows),
        vectors=len(vectors),
    )


def repair_drift(lib: Library, notice: Callable[[str], None] | None = None) -> VectorDrift:
    """Delete orphan vectors and embed chunks without vectors; return what was repaired."""
    from assistant.library.rows import chunks_by_id

    drift = find_drift(lib.conn, lib.store)
    if drift.ok:
        return drift
    if notice is not None:
        notice(f"vectors out of step with the database: {drift.describe()}; repairing")
    lib.store.delete_ids(drift.orphans)
    if drift.missing:
        lib.check_model()
        chunks = chunks_by_id(lib.conn, drift.missing)
        step = 512
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            lib.store.upsert(part, lib.embedder.embed([c.text for c in part]))
    return drift
