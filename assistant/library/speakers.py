"""Fixing speaker roles: make a label the interviewer and re-embed only what changed."""

from __future__ import annotations

from assistant import db
from assistant.chunking import chunk_transcript
from assistant.embeddings import META_KEY, Embedder
from assistant.library.handle import Library
from assistant.library.queries import get_interview, load_transcript, resolve_interview_id
from assistant.library.records import InterviewDetail
from assistant.library.rows import insert_chunks
from assistant.locking import writes
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace


@writes("changing speaker roles")
def set_interviewer(
    ws: Workspace,
    id_or_prefix: str,
    label: str,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> InterviewDetail:
    """Make ``label`` the interviewer of an interview; re-embed only what changed.

    The choice is remembered and applied again when the file is re-ingested.
    """
    from assistant.ingest import assign_roles

    iid = resolve_interview_id(ws, id_or_prefix)
    conn = ws.conn
    transcript = load_transcript(conn, iid)
    transcript = assign_roles(transcript, interviewer=label)
    lib = Library.open(ws, embedder=embedder, store=store)
    new_chunks = chunk_transcript(transcript, iid, lib.settings.ingest.chunk_chars)
    old = {
        r["id"]: bool(r["embedded"])
        for r in conn.execute("SELECT id, embedded FROM chunks WHERE interview_id = ?", (iid,))
    }
    new_ids = {c.id for c in new_chunks}
    to_embed = [c for c in new_chunks if c.embeddable and not old.get(c.id, False)]
    to_update = [c for c in new_chunks if c.embeddable and old.get(c.id, False)]
    to_delete = [i for i, emb in old.items() if emb and (i not in new_ids)]
    to_delete += [c.id for c in new_chunks if not c.embeddable and old.get(c.id, False)]
    if to_embed:
        lib.check_model()
    vectors = lib.embedder.embed([c.text for c in to_embed]) if to_embed else []
    with db.transaction(conn):
        conn.execute(
            "UPDATE interviews SET role_confidence = ?, role_method = ?, interviewer_override = ?,"
            " updated_at = ? WHERE id = ?",
            (transcript.role_confidence, transcript.role_method, label, db.now_iso(), iid),
        )
        conn.executemany(
            "UPDATE turns SET role = ? WHERE interview_id = ? AND idx = ?",
            [(str(t.role), iid, t.index) for t in transcript.turns],
        )
        conn.execute("DELETE FROM chunks WHERE interview_id = ?", (iid,))
        insert_chunks(conn, new_chunks)
        if to_embed:
            db.set_meta(conn, META_KEY, lib.embedder.name)
        if to_embed or to_update or to_delete:
            lib.store.delete_ids(to_delete)
            lib.store.update_metadata(to_update)
            lib.store.upsert(to_embed, vectors)
    return get_interview(ws, iid)
