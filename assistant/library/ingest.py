"""Ingest: plan each file, embed across files in groups, write each file in a savepoint.

On re-ingest the *content* decides: a file whose bytes (and sidecar) are
unchanged is skipped without parsing; otherwise it is parsed and its content
hash compared — unchanged, changed ("updated": old chunks and vectors
replaced) or new ("ingested"). Content already stored under another path is
refused, naming the existing interview. One bad file never stops the batch.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant import db
from assistant.chunking import Chunk, chunk_transcript
from assistant.embeddings import META_KEY, Embedder
from assistant.errors import PersonaError
from assistant.library.handle import EMBED_GROUP_CHUNKS, Library
from assistant.library.paths import expand_paths, file_fingerprint, readable_path, slugify
from assistant.library.queries import load_transcript
from assistant.library.records import IngestResult
from assistant.library.rows import insert_chunks, insert_turns
from assistant.locking import writes
from assistant.models import InterviewMeta, Transcript
from assistant.progress import ProgressFn
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace

EMBED_SLICE = 256
"""Passages embedded between two progress reports."""


@dataclass
class _Planned:
    """A parsed file waiting for its vectors."""

    result: IngestResult
    source: str
    file_hash: str
    transcript: Transcript
    chunks: list[Chunk]
    override: str | None
    existed: bool
    meta_override: str | None = None
    """JSON of the metadata given as CLI flags (kept so a re-ingest re-applies it)."""


@writes("ingesting")
def ingest_paths(
    ws: Workspace,
    paths: Sequence[str | Path],
    *,
    progress: ProgressFn | None = None,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
    meta: InterviewMeta | None = None,
    format: str | None = None,
) -> list[IngestResult]:
    """Ingest files, folders and globs; one result per input file, in input order.

    ``format`` forces one registry format for every file (no detection).

    ``meta`` (the CLI's metadata flags) wins over each file's own metadata,
    field by field; it is stored with the interview and re-applied when the
    file is ingested again without flags (new flags merge over stored ones).
    """
    lib = Library.open(ws, embedder=embedder, store=store)
    lib.check_model()
    files, missing = expand_paths(paths)
    if files and lib.conn.execute("SELECT 1 FROM chunks LIMIT 1").fetchone():
        from assistant.vector_sync import repair_drift

        repair_drift(lib, notice=_stderr)  # a crash earlier may have left vectors out of step
    return _Ingestor(lib, len(files) + len(missing), progress, meta, format).run(files, missing)


class _Ingestor:
    """One ingest run: plan files, embed across files in groups, write per file."""

    def __init__(
        self,
        lib: Library,
        total: int,
        progress: ProgressFn | None,
        meta: InterviewMeta | None = None,
        format: str | None = None,
    ) -> None:
        self.lib = lib
        self.format = format
        self.meta_flags = {} if meta is None else meta.model_dump(mode="json", exclude_unset=True)
        self.total = total
        self.progress = progress
        self.done = 0
        self.pending: list[_Planned] = []
        self.pending_chunks = 0
        self.batch_hashes: dict[str, str] = {}  # content hash -> interview id (this run)
        self.batch_ids: set[str] = set()
        self.max_bytes = int(lib.settings.ingest.max_file_mb * 1024 * 1024)
        existing = lib.conn.execute(
            "SELECT id, source_path, content_hash, file_hash, interviewer_override, meta_override,"
            " speaker_override FROM interviews"
        ).fetchall()
        self.by_source = {row["source_path"]: row for row in existing}
        self.by_hash = {row["content_hash"]: row for row in existing}
        self.ids = {row["id"] for row in existing}

    def run(self, files: list[Path], missing: list[IngestResult]) -> list[IngestResult]:
        results: list[IngestResult] = []
        for r in missing:
            r.path = readable_path(r.path)
            results.append(r)
            self._tick(r.path)
        for path in files:
            result = IngestResult(readable_path(path), "failed")
            results.append(result)
            if result.path != str(path):
                result.error = (
                    "the file name is not valid UTF-8 (shown with \\x escapes): rename the file"
                )
                self._tick(result.path)
                continue
            queued = False
            try:
                queued = self._plan(path, result)
            except PersonaError as exc:
                result.error = _reason(exc, path)
            except Exception as exc:  # one bad file never stops the batch
                result.error = f"{type(exc).__name__}: {exc}"
            if not queued:
                self._tick(result.path)
            if self.pending_chunks >= EMBED_GROUP_CHUNKS:
                self._flush()
        self._flush()
        return results

    def _tick(self, path: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, path)

    def _plan(self, path: Path, result: IngestResult) -> bool:
        """Settle ``path`` now (unchanged, duplicate) or queue it; True when queued."""
        from assistant.ingest import parse_file
        from assistant.library.speaker_rows import apply_override, stored_override

        source = str(path.resolve())
        if path.stat().st_size > self.max_bytes:
            parse_file(path, max_bytes=self.max_bytes)  # raises the size error
        row = self.by_source.get(source)
        meta_json = self._meta_override(row)
        file_hash = file_fingerprint(path, meta_json)
        if row is not None and row["file_hash"] == file_hash and self.format is None:
            result.status, result.interview_id = "unchanged", row["id"]
            result.describe(load_transcript(self.lib.conn, row["id"]))
            return False
        override = row["interviewer_override"] if row is not None else None
        meta = None if meta_json is None else InterviewMeta.model_validate_json(meta_json)
        transcript = parse_file(
            path, max_bytes=self.max_bytes, meta_override=meta, format=self.format
        )
        chosen = stored_override(row)
        if chosen["roles"]:
            transcript = apply_override(transcript, chosen)
        result.describe(transcript)
        chash = transcript.content_hash
        if row is not None and row["content_hash"] == chash:
            with db.transaction(self.lib.conn):  # same content, new bytes: remember them
                self.lib.conn.execute(
                    "UPDATE interviews SET file_hash = ? WHERE id = ?", (file_hash, row["id"])
                )
            result.status, result.interview_id = "unchanged", row["id"]
            return False
        other = self.by_hash.get(chash)
        if other is not None and other["source_path"] != source:
            result.status, result.interview_id = "duplicate", other["id"]
            result.reason = f"same content as interview {other['id']} ({other['source_path']})"
            return False
        if chash in self.batch_hashes:
            first = self.batch_hashes[chash]
            result.status, result.interview_id = "duplicate", first
            result.reason = f"same content as interview {first} (in this batch)"
            return False
        interview_id = row["id"] if row is not None else self._new_id(path)
        self.batch_hashes[chash] = interview_id
        chunks = chunk_transcript(transcript, interview_id, self.lib.settings.ingest.chunk_chars)
        result.interview_id = interview_id
        result.chunks = len(chunks)
        self.pending.append(
            _Planned(
                result, source, file_hash, transcript, chunks, override, row is not None, meta_json
            )
        )
        self.pending_chunks += sum(c.embeddable for c in chunks)
        return True

    def _meta_override(self, row: sqlite3.Row | None) -> str | None:
        """Stored flag metadata of ``row`` with this run's flags merged over it (JSON)."""
        from assistant.ingest.metadata import deep_update

        merged: dict[str, Any] = {}
        if row is not None and row["meta_override"]:
            merged = json.loads(row["meta_override"])
        deep_update(merged, self.meta_flags)
        return json.dumps(merged, sort_keys=True) if merged else None

    def _new_id(self, path: Path) -> str:
        base = slugify(path.stem)
        candidate, n = base, 2
        while candidate in self.ids or candidate in self.batch_ids:
            candidate, n = f"{base}-{n}", n + 1
        self.batch_ids.add(candidate)
        return candidate

    def _embed(self, texts: list[str]) -> list[list[float]]:
        """Embed ``texts`` in slices, reporting each slice (a long file embeds for minutes)."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), EMBED_SLICE):
            vectors += self.lib.embedder.embed(texts[start : start + EMBED_SLICE])
            if self.progress is not None and len(texts) > EMBED_SLICE:
                done = min(start + EMBED_SLICE, len(texts))
                self.progress(self.done, self.total, f"embedded {done} of {len(texts)} passages")
        return vectors

    def _flush(self) -> None:
        """Embed the pending files' chunks in one go, then write each file."""
        if not self.pending:
            return
        planned, self.pending, self.pending_chunks = self.pending, [], 0
        texts = [c.text for p in planned for c in p.chunks if c.embeddable]
        try:
            vectors = self._embed(texts)
        except PersonaError:
            raise
        except Exception as exc:
            for p in planned:
                p.result.error = f"embedding failed: {type(exc).__name__}: {exc}"
                p.result.interview_id = None
                self._tick(p.result.path)
            return
        try:
            write_group(self.lib, planned, vectors)
        except Exception as exc:
            for p in planned:
                if p.result.error is None:
                    p.result.error = f"cannot store: {type(exc).__name__}: {exc}"
        for p in planned:
            if p.result.error is None:
                p.result.status = "updated" if p.existed else "ingested"
            self._tick(p.result.path)


def _stderr(message: str) -> None:
    import sys

    sys.stderr.write(message + "\n")


def _reason(exc: PersonaError, path: Path) -> str:
    """The error text without a leading ``path:`` (the CLI prints the path itself)."""
    text = str(exc)
    for prefix in (f"{path}: ", f"{path.name}: "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def write_group(lib: Library, planned: list[_Planned], vectors: Sequence[Sequence[float]]) -> None:
    """Store several parsed files and their vectors in one transaction.

    Each file's rows are written inside a savepoint: a file whose rows fail is
    rolled back alone and marked failed. Vectors are written last, in one call;
    if that fails, the whole transaction is rolled back.
    """
    conn = lib.conn
    stored: list[Chunk] = []
    stored_vectors: list[Sequence[float]] = []
    replaced: list[str] = []
    pos = 0
    with db.transaction(conn):
        for p in planned:
            embedded = [c for c in p.chunks if c.embeddable]
            mine = vectors[pos : pos + len(embedded)]
            pos += len(embedded)
            conn.execute("SAVEPOINT interview")
            try:
                _write_rows(conn, p)
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK TO interview")
                p.result.error = f"cannot store: {exc}"
                continue
            finally:
                conn.execute("RELEASE interview")
            stored.extend(embedded)
            stored_vectors.extend(mine)
            if p.existed:
                replaced.append(str(p.result.interview_id))
        if stored:
            db.set_meta(conn, META_KEY, lib.embedder.name)
        if replaced:
            lib.store.delete_interviews(replaced)
        lib.store.upsert(stored, stored_vectors)


def _write_rows(conn: sqlite3.Connection, p: _Planned) -> None:
    """Replace one interview's rows: the interview, its turns and chunks.

    A new file never takes over an id that another file holds (whatever their
    stems): that is refused here, inside the write, not only when ids are chosen.
    """
    t = p.transcript
    iid = str(p.result.interview_id)
    now = db.now_iso()
    holder = conn.execute("SELECT source_path FROM interviews WHERE id = ?", (iid,)).fetchone()
    if holder is not None and holder[0] != p.source:
        raise sqlite3.IntegrityError(
            f"interview id {iid} already belongs to {holder[0]}: ingest this file again"
        )
    conn.execute("DELETE FROM chunks WHERE interview_id = ?", (iid,))
    conn.execute("DELETE FROM turns WHERE interview_id = ?", (iid,))
    conn.execute(
        "INSERT INTO interviews(id, source_path, content_hash, file_hash, interviewer_override,"
        " title, format, verbatim, text, meta_json, role_confidence, role_method,"
        " ingested_at, updated_at, meta_override, diarized, warnings_json)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(id) DO UPDATE SET source_path=excluded.source_path,"
        " content_hash=excluded.content_hash, file_hash=excluded.file_hash,"
        " meta_override=excluded.meta_override,"
        " title=excluded.title, format=excluded.format, verbatim=excluded.verbatim,"
        " text=excluded.text, meta_json=excluded.meta_json,"
        " role_confidence=excluded.role_confidence, role_method=excluded.role_method,"
        " updated_at=excluded.updated_at, diarized=excluded.diarized,"
        " warnings_json=excluded.warnings_json",
        (
            iid,
            p.source,
            t.content_hash,
            p.file_hash,
            p.override,
            t.title,
            t.format,
            int(t.verbatim),
            t.text,
            t.meta.model_dump_json(),
            t.role_confidence,
            t.role_method,
            now,
            now,
            p.meta_override,
            int(t.diarized),
            json.dumps(t.warnings),
        ),
    )
    insert_turns(conn, iid, t.turns)
    insert_chunks(conn, p.chunks)
    from assistant.library.speaker_rows import stored_override, write_speakers

    row = conn.execute("SELECT speaker_override FROM interviews WHERE id = ?", (iid,)).fetchone()
    write_speakers(conn, iid, t, stored_override(row)["names"])
