"""Reindex: re-embed every embeddable chunk with the configured model."""

from __future__ import annotations

from assistant import db
from assistant.embeddings import META_KEY, Embedder
from assistant.library.handle import EMBED_GROUP_CHUNKS, Library
from assistant.library.rows import row_chunk
from assistant.models import SpeakerRole
from assistant.progress import ProgressFn
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace


def reindex(
    ws: Workspace,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
    progress: ProgressFn | None = None,
) -> int:
    """Re-embed every embeddable chunk with the configured model; return the count."""
    ws.check_writable()
    lib = Library.open(ws, embedder=embedder, store=store)
    conn = ws.conn
    rows = conn.execute(
        "SELECT * FROM chunks WHERE role IN (?, ?) ORDER BY interview_id, id",
        (str(SpeakerRole.participant), str(SpeakerRole.unknown)),
    ).fetchall()
    chunks = [row_chunk(r) for r in rows]
    lib.store.reset()
    step = EMBED_GROUP_CHUNKS
    for i in range(0, len(chunks), step):
        part = chunks[i : i + step]
        lib.store.upsert(part, lib.embedder.embed([c.text for c in part]))
        if progress is not None:
            progress(min(i + step, len(chunks)), len(chunks), part[-1].interview_id)
    with db.transaction(conn):
        conn.execute("UPDATE chunks SET embedded = (role IN (?, ?))", ("participant", "unknown"))
        db.set_meta(conn, META_KEY, lib.embedder.name)
    return len(chunks)
