"""The vector store: Chroma, embedded in the workspace or a Chroma server.

Embedded (default): a ``PersistentClient`` in ``.persona/chroma/``. Server:
an ``HttpClient`` when ``[chroma] host`` (or ``CHROMA_HOST``) is set — the
shared, scale-out path. Vectors are computed by us and passed in; the
collection also records :class:`~assistant.chroma_function.PersonaEmbeddingFunction` so it reopens with
the right function (never Chroma's default).

The collection in use is recorded in the database (``vectors.collection`` in
``workspace_meta``; the configured ``[chroma] collection`` until a reindex):
`persona reindex` builds a new collection aside and swaps the record in one
SQLite transaction, so a killed reindex leaves the old index in use, never an
empty one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import db
from assistant.chunking import Chunk
from assistant.embeddings import Embedder
from assistant.errors import UsageError
from assistant.settings import Settings
from assistant.workspace import Workspace

ACTIVE_META = "vectors.collection"
"""workspace_meta key naming the Chroma collection in use."""


def active_collection(ws: Workspace, settings: Settings) -> str:
    """The name of the collection in use (the configured one until a reindex swaps)."""
    return db.get_meta(ws.conn, ACTIVE_META) or settings.chroma.collection


SYNC_THRESHOLD = 100
"""Writes after which Chroma saves a local collection's index (its default: 1,000). Writes
not saved yet are replayed into the index by the next process that opens it: at the default,
a 1,250-interview workspace kept ~700 and every `persona search` spent ~0.3 s replaying them
(0.04 s with none); at 100 fewer than 100 wait, for ~12 % more of Chroma's own
write time (benchmarks/RESULTS.md, "CLI cold start")."""


@dataclass(frozen=True)
class VectorHit:
    """One nearest-neighbour result: a chunk id and its cosine distance."""

    chunk_id: str
    distance: float


def make_client(ws: Workspace, settings: Settings) -> Any:
    """A Chroma client: HttpClient when a host is configured, else persistent in the workspace."""
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    client_settings = ChromaClientSettings(anonymized_telemetry=False)
    if settings.chroma.host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma.host, port=settings.chroma.port, settings=client_settings
            )
        except Exception as exc:
            raise UsageError(
                f"cannot reach the Chroma server at {settings.chroma.host}:{settings.chroma.port}: {exc}"
            ) from exc
    try:
        return chromadb.PersistentClient(path=str(ws.chroma_dir), settings=client_settings)
    except Exception as exc:
        raise UsageError(
            f"the vector store {ws.chroma_dir} cannot be opened ({type(exc).__name__}: "
            f"{str(exc)[:160]}): run `persona doctor --fix` to rebuild it from the database"
        ) from exc


class VectorStore:
    """One Chroma collection of transcript chunks."""

    def __init__(self, client: Any, collection_name: str, embedder: Embedder) -> None:
        self.client = client
        self.collection_name = collection_name
        self.embedder = embedder
        self.collection = self._open()

    @classmethod
    def open(cls, ws: Workspace, settings: Settings, embedder: Embedder) -> VectorStore:
        """The workspace's chunk collection in use (created on first use)."""
        client = make_client(ws, settings)
        try:
            return cls(client, active_collection(ws, settings), embedder)
        except Exception as exc:
            where = (
                f"the Chroma server at {settings.chroma.host}:{settings.chroma.port}"
                if settings.chroma.host
                else f"the vector store {ws.chroma_dir}"
            )
            raise UsageError(
                f"{where} cannot be read ({type(exc).__name__}: {str(exc)[:160]}): "
                "run `persona doctor`"
            ) from exc

    def aside(self, name: str) -> VectorStore:
        """Another collection on the same client (a reindex builds one, then swaps)."""
        return VectorStore(self.client, name, self.embedder)

    def collection_names(self) -> list[str]:
        """Every collection on the client."""
        return [getattr(c, "name", str(c)) for c in self.client.list_collections()]

    def drop(self, name: str) -> None:
        """Delete a collection (absent is fine)."""
        with contextlib.suppress(Exception):
            self.client.delete_collection(name)

    def ids(self) -> set[str]:
        """Every stored vector's chunk id."""
        out: set[str] = set()
        step = 5000
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=step, offset=offset)
            batch = got.get("ids") or []
            out.update(batch)
            if len(batch) < step:
                return out
            offset += step

    def _open(self) -> Any:
        from assistant.chroma_function import PersonaEmbeddingFunction

        return self.client.get_or_create_collection(
            name=self.collection_name,
            embedding_function=PersonaEmbeddingFunction.for_embedder(self.embedder),
            configuration={"hnsw": {"space": "cosine", "sync_threshold": SYNC_THRESHOLD}},
        )

    def _persist_often(self) -> None:
        """Give a collection made with Chroma's default sync threshold ours (before a write).

        Writers only (readers never write); an index this process has already loaded
        keeps its threshold, so the next writing process is the first to save often.
        """
        hnsw = (getattr(self.collection, "configuration", None) or {}).get("hnsw") or {}
        if hnsw.get("sync_threshold", SYNC_THRESHOLD) != SYNC_THRESHOLD:
            self.collection.modify(configuration={"hnsw": {"sync_threshold": SYNC_THRESHOLD}})

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Store vectors for ``chunks`` (same order), with filterable metadata.

        Chunk texts are not stored in Chroma (SQLite holds them): indexing
        documents would double the cost of every write.
        """
        if not chunks:
            return
        self._persist_often()
        step = max(1, int(self.client.get_max_batch_size()))
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=[list(v) for v in vectors[i : i + step]],
                metadatas=[_metadata(c) for c in part],
            )

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        """Update role/speaker metadata of stored chunks without re-embedding."""
        if chunks:
            self.collection.update(
                ids=[c.id for c in chunks], metadatas=[_metadata(c) for c in chunks]
            )

    def delete_ids(self, ids: Sequence[str]) -> None:
        """Delete vectors by chunk id."""
        if ids:
            self.collection.delete(ids=list(ids))

    def delete_interviews(self, interview_ids: Sequence[str]) -> None:
        """Delete every vector of the given interviews."""
        if interview_ids:
            self.collection.delete(where={"interview_id": {"$in": list(interview_ids)}})

    def query(
        self,
        vector: Sequence[float],
        k: int,
        *,
        role: str | None,
        interview_id: str | None,
        interviews: Collection[str] | None = None,
    ) -> list[VectorHit]:
        """The ``k`` nearest chunks, optionally filtered by role and interview(s)."""
        clauses: list[dict[str, Any]] = []
        if role:
            clauses.append({"role": role})
        if interview_id:
            clauses.append({"interview_id": interview_id})
        if interviews is not None:
            clauses.append({"interview_id": {"$in": sorted(interviews)}})
        where: dict[str, Any] | None = None
        if len(clauses) == 1:
            where = clauses[0]
        elif clauses:
            where = {"$and": clauses}
        result = self.collection.query(
            query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"]
        )
        ids = result["ids"][0] if result["ids"] else []
        dists = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [VectorHit(i, float(d)) for i, d in zip(ids, dists, strict=True)]

    def count(self) -> int:
        """Number of stored vectors."""
        return int(self.collection.count())

    def reset(self) -> None:
        """Drop and recreate the collection (used by reindex)."""
        with contextlib.suppress(Exception):  # absent collection is fine
            self.client.delete_collection(self.collection_name)
        self.collection = self._open()


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "interview_id": chunk.interview_id,
        "role": str(chunk.role),
        "speaker": chunk.speaker,
        "turn_start": chunk.turn_start,
        "turn_end": chunk.turn_end,
    }
