"""The interview library: ingest files, list and show interviews, fix roles, reindex.

Identity: an interview's id is a readable slug of its file stem (made unique)
bound to its source path. On re-ingest the *content* decides: a file whose
bytes (and sidecar) are unchanged is skipped without parsing; otherwise it is
parsed and its content hash compared — unchanged, changed ("updated": old
chunks and vectors replaced) or new ("ingested"). Content already stored under
another path is refused, naming the existing interview.

Only participant and unknown-role chunks are embedded; interviewer chunks are
keyword-searchable and give participant chunks their ``context``. Embedding
is batched across files. Every multi-row write runs in one transaction, and
one bad file never stops the batch.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant import db
from assistant.chunking import Chunk, chunk_transcript
from assistant.embeddings import META_KEY, Embedder, configured_id, make_embedder
from assistant.errors import PersonaError, UsageError
from assistant.models import InterviewMeta, SpeakerRole, Transcript, Turn
from assistant.settings import Settings, load_settings
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace

Status = Literal["ingested", "updated", "unchanged", "failed"]
ProgressFn = Callable[[int, int, str], None]
"""Called as ``progress(done, total, path)`` after each file is settled."""

SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
_GLOB_CHARS = re.compile(r"[*?\[]")
# Chunks embedded per call, across files. Large on purpose: on a CPU, every
# extra encode call costs noticeably (new tensor shapes), so fewer, larger calls
# keep ingest close to the pure embedding time; progress ticks once per group.
_EMBED_GROUP_CHUNKS = 1024


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


# --------------------------------------------------------------------------- helpers


def slugify(stem: str) -> str:
    """A readable id from a file stem: lowercase ASCII words joined by dashes."""
    text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "interview"


def readable_path(path: str | Path) -> str:
    """A path as printable text: bytes that are not UTF-8 shown as ``\\xNN`` escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def file_fingerprint(path: Path, meta_override: str | None = None) -> str:
    """sha256 of the file's bytes, its sidecar's and any flag metadata (the no-parse
    unchanged check)."""
    h = hashlib.sha256()
    h.update(path.read_bytes())
    if meta_override:
        h.update(b"\0flags\0")
        h.update(meta_override.encode("utf-8"))
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.stem + suffix)
        if sidecar.is_file():
            h.update(b"\0sidecar\0")
            h.update(sidecar.read_bytes())
    return h.hexdigest()


def _skip(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    name = path.name
    return (
        any(part.startswith(".") for part in rel)
        or name.endswith(SIDECAR_SUFFIXES)
        or name.lower().startswith("readme")
    )


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files named by ``paths`` (files, folders walked recursively, globs), in order.

    Folders skip hidden files, ``*.meta.yaml`` sidecars and README files.
    Paths that match nothing come back as failed results.
    """
    files: list[Path] = []
    missing: list[IngestResult] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not _skip(child, p):
                    add(child)
        elif p.is_file():
            add(p)
        elif _GLOB_CHARS.search(str(raw)):
            matches = sorted(glob.glob(str(p), recursive=True))
            hits = [Path(m) for m in matches if Path(m).is_file()]
            if not hits:
                missing.append(IngestResult(str(raw), "failed", error="no files match"))
            for m in hits:
                if not m.name.endswith(SIDECAR_SUFFIXES):
                    add(m)
        elif p.exists():
            missing.append(IngestResult(str(raw), "failed", error="not a regular file"))
        else:
            missing.append(IngestResult(str(raw), "failed", error="no such file or directory"))
    return files, missing


def check_embedding_model(ws: Workspace, settings: Settings) -> None:
    """Refuse to mix vectors of two models: ask for `persona reindex` on a change."""
    stored = db.get_meta(ws.conn, META_KEY)
    configured = configured_id(settings.embeddings)
    if stored is not None and stored != configured:
        raise UsageError(
            f"this workspace's vectors were made with {stored} but the configuration says "
            f"{configured}: run `persona reindex` to re-embed with the new model"
        )


def _check_embedder(ws: Workspace, embedder: Embedder) -> None:
    stored = db.get_meta(ws.conn, META_KEY)
    if stored is not None and stored != embedder.name:
        raise UsageError(
            f"this workspace's vectors were made with {stored}, not {embedder.name}: "
            "run `persona reindex` to re-embed with the new model"
        )


@dataclass
class Library:
    """The workspace's interviews with their settings, embedder and vector store.

    ``embedder`` and ``store`` are created from the settings on first use;
    pass them in to share a loaded model or to use a test embedder.
    """

    ws: Workspace
    settings: Settings = field(default_factory=Settings)
    _embedder: Embedder | None = None
    _store: VectorStore | None = None

    @classmethod
    def open(
        cls,
        ws: Workspace,
        *,
        embedder: Embedder | None = None,
        store: VectorStore | None = None,
        settings: Settings | None = None,
    ) -> Library:
        return cls(ws, settings or load_settings(ws.config_data()), embedder, store)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.ws.conn

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embeddings)
        return self._embedder

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            self._store = VectorStore.open(self.ws, self.settings, self.embedder)
        return self._store

    def check_model(self) -> None:
        """Raise when stored vectors come from another model than the one in use."""
        if self._embedder is None:
            check_embedding_model(self.ws, self.settings)
        else:
            _check_embedder(self.ws, self._embedder)


# --------------------------------------------------------------------------- ingest


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
    ws.check_writable()
    lib = Library.open(ws, embedder=embedder, store=store)
    lib.check_model()
    files, missing = expand_paths(paths)
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
            "SELECT id, source_path, content_hash, file_hash, interviewer_override, meta_override"
            " FROM interviews"
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
            if self.pending_chunks >= _EMBED_GROUP_CHUNKS:
                self._flush()
        self._flush()
        return results

    def _tick(self, path: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, path)

    def _plan(self, path: Path, result: IngestResult) -> bool:
        """Settle ``path`` now (unchanged, duplicate) or queue it; True when queued."""
        from assistant.ingest import assign_roles, parse_file

        source = str(path.resolve())
        if path.stat().st_size > self.max_bytes:
            parse_file(path, max_bytes=self.max_bytes)  # raises the size error
        row = self.by_source.get(source)
        meta_json = self._meta_override(row)
        file_hash = file_fingerprint(path, meta_json)
        if row is not None and row["file_hash"] == file_hash and self.format is None:
            result.status, result.interview_id = "unchanged", row["id"]
            return False
        override = row["interviewer_override"] if row is not None else None
        meta = None if meta_json is None else InterviewMeta.model_validate_json(meta_json)
        transcript = parse_file(
            path, max_bytes=self.max_bytes, meta_override=meta, format=self.format
        )
        if override:
            transcript = assign_roles(transcript, interviewer=override)
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
            result.error = f"same content as interview {other['id']} ({other['source_path']})"
            return False
        if chash in self.batch_hashes:
            result.error = f"same content as interview {self.batch_hashes[chash]} (in this batch)"
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

    def _flush(self) -> None:
        """Embed the pending files' chunks in one go, then write each file."""
        if not self.pending:
            return
        planned, self.pending, self.pending_chunks = self.pending, [], 0
        texts = [c.text for p in planned for c in p.chunks if c.embeddable]
        try:
            vectors = self.lib.embedder.embed(texts) if texts else []
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
    """Replace one interview's rows: the interview, its turns and chunks."""
    t = p.transcript
    iid = str(p.result.interview_id)
    now = db.now_iso()
    conn.execute("DELETE FROM chunks WHERE interview_id = ?", (iid,))
    conn.execute("DELETE FROM turns WHERE interview_id = ?", (iid,))
    conn.execute(
        "INSERT INTO interviews(id, source_path, content_hash, file_hash, interviewer_override,"
        " title, format, verbatim, text, meta_json, role_confidence, role_method,"
        " ingested_at, updated_at, meta_override) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(id) DO UPDATE SET source_path=excluded.source_path,"
        " content_hash=excluded.content_hash, file_hash=excluded.file_hash,"
        " meta_override=excluded.meta_override,"
        " title=excluded.title, format=excluded.format, verbatim=excluded.verbatim,"
        " text=excluded.text, meta_json=excluded.meta_json,"
        " role_confidence=excluded.role_confidence, role_method=excluded.role_method,"
        " updated_at=excluded.updated_at",
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
        ),
    )
    _insert_turns(conn, iid, t.turns)
    _insert_chunks(conn, p.chunks)


def _insert_turns(conn: sqlite3.Connection, iid: str, turns: Sequence[Turn]) -> None:
    conn.executemany(
        "INSERT INTO turns(interview_id, idx, speaker, role, start, end, text, char_start,"
        " char_end) VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (iid, t.index, t.speaker, str(t.role), t.start, t.end, t.text, t.char_start, t.char_end)
            for t in turns
        ],
    )


def _insert_chunks(conn: sqlite3.Connection, chunks: Sequence[Chunk]) -> None:
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


# --------------------------------------------------------------------------- reading


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
    )


def list_interviews(ws: Workspace) -> list[InterviewSummary]:
    """Every stored interview, by id."""
    conn = ws.conn
    rows = conn.execute("SELECT * FROM interviews ORDER BY id").fetchall()
    return [_summary(conn, row) for row in rows]


def load_transcript(conn: sqlite3.Connection, iid: str) -> Transcript:
    """Rebuild the stored Transcript of interview ``iid``."""
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
        text=row["text"],
        turns=turns,
        meta=InterviewMeta.model_validate(json.loads(row["meta_json"])),
        role_confidence=row["role_confidence"],
        role_method=row["role_method"],
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


# --------------------------------------------------------------------------- roles, reindex


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

    ws.check_writable()
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
        _insert_chunks(conn, new_chunks)
        if to_embed:
            db.set_meta(conn, META_KEY, lib.embedder.name)
        if to_embed or to_update or to_delete:
            lib.store.delete_ids(to_delete)
            lib.store.update_metadata(to_update)
            lib.store.upsert(to_embed, vectors)
    return get_interview(ws, iid)


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
    chunks = [_row_chunk(r) for r in rows]
    lib.store.reset()
    step = _EMBED_GROUP_CHUNKS
    for i in range(0, len(chunks), step):
        part = chunks[i : i + step]
        lib.store.upsert(part, lib.embedder.embed([c.text for c in part]))
        if progress is not None:
            progress(min(i + step, len(chunks)), len(chunks), part[-1].interview_id)
    with db.transaction(conn):
        conn.execute("UPDATE chunks SET embedded = (role IN (?, ?))", ("participant", "unknown"))
        db.set_meta(conn, META_KEY, lib.embedder.name)
    return len(chunks)


def _row_chunk(r: sqlite3.Row) -> Chunk:
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
