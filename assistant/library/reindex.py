"""Reindex: re-embed every embeddable chunk with the configured model, built aside."""

from __future__ import annotations

import uuid

from assistant import db
from assistant.embeddings import META_KEY, Embedder
from assistant.library.handle import EMBED_GROUP_CHUNKS, Library
from assistant.library.rows import row_chunk
from assistant.locking import writes
from assistant.models import SpeakerRole
from assistant.progress import ProgressFn
from assistant.vectorstore import ACTIVE_META, VectorStore
from assistant.workspace import Workspace


@writes("reindexing")
def reindex(
    ws: Workspace,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
    progress: ProgressFn | None = None,
) -> int:
    """Re-embed every embeddable chunk with the configured model; return the count.

    The new vectors go into a new collection built aside; one SQLite
    transaction then makes it the one in use, and only after that is the old
    collection dropped. A reindex killed at any point leaves a complete index
    in use (the old one until the swap). Leftovers of killed reindexes are
    dropped by the next one.
    """
    lib = Library.open(ws, embedder=embedder, store=store)
    conn = ws.conn
    rows = conn.execute(
        "SELECT * FROM chunks WHERE role IN (?, ?) ORDER BY interview_id, id",
        (str(SpeakerRole.participant), str(SpeakerRole.unknown)),
    ).fetchall()
    chunks = [row_chunk(r) for r in rows]
    current = lib.store
    old_name = current.collection_name
    base = lib.settings.chroma.collection
    for name in current.collection_names():
        if name.startswith(base + "-") and name != old_name:
            current.drop(name)  # left by a killed reindex
    fresh = current.aside(f"{base}-{uuid.uuid4().hex[:8]}")
    step = EMBED_GROUP_CHUNKS
    for i in range(0, len(chunks), step):
        part = chunks[i : i + step]
        fresh.upsert(part, lib.embedder.embed([c.text for c in part]))
        if progress is not None:
            progress(min(i + step, len(chunks)), len(chunks), part[-1].interview_id)
    with db.transaction(conn):
        conn.execute("UPDATE chunks SET embedded = (role IN (?, ?))", ("participant", "unknown"))
        db.set_meta(conn, META_KEY, lib.embedder.name)
        db.set_meta(conn, ACTIVE_META, fresh.collection_name)
    current.collection_name, current.collection = fresh.collection_name, fresh.collection
    current.drop(old_name)
    return len(chunks)
