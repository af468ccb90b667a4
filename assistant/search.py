"""Hybrid retrieval over transcript chunks: vectors plus BM25, fused by rank.

- Vectors: Chroma nearest neighbours of the embedded query. Only participant
  and unknown-role chunks are embedded, so ``role="interviewer"`` is served by
  keywords alone.
- Keywords: SQLite FTS5 (``chunks_fts``, porter stemming) ranked by ``bm25()``
  over the same chunks; every query word is optional (OR).
- Fusion: reciprocal rank fusion, ``score = Σ 1 / (60 + rank)`` over the two
  lists, so neither score scale dominates.

When vectors are missing (a deleted ``.persona/chroma``, a crash before a
repair), search says so: :attr:`Searcher.warnings` holds "keyword-only: …"
and the CLI prints it; it never falls back silently.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from assistant.embeddings import Embedder
from assistant.errors import UsageError
from assistant.library import Library, resolve_interview_id
from assistant.models import SpeakerRole, Transcript
from assistant.vectorstore import VectorStore
from assistant.wording import count
from assistant.workspace import Workspace

RoleFilter = Literal["participant", "interviewer", "any"]
RRF_K = 60
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One retrieved chunk."""

    chunk_id: str
    interview_id: str
    speaker: str
    role: str
    turn: int
    turn_end: int
    char_start: int
    char_end: int
    text: str
    context: str | None
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "interview_id": self.interview_id,
            "speaker": self.speaker,
            "role": self.role,
            "turn": self.turn,
            "text": self.text,
            "score": round(self.score, 6),
        }


def fts_query(query: str) -> str | None:
    """A safe FTS5 expression: each word quoted, joined by OR (None if no words)."""
    words = _WORD.findall(query)
    if not words:
        return None
    return " OR ".join('"' + w.replace('"', "") + '"' for w in dict.fromkeys(words))


def keyword_search(
    conn: sqlite3.Connection,
    query: str,
    limit: int,
    role: str | None,
    interview_id: str | None,
    interviews: Collection[str] | None = None,
) -> list[str]:
    """Chunk ids ranked by BM25 (best first)."""
    expr = fts_query(query)
    if expr is None:
        return []
    sql = (
        "SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid"
        " WHERE chunks_fts MATCH ?"
    )
    params: list[Any] = [expr]
    if role:
        sql += " AND c.role = ?"
        params.append(role)
    if interview_id:
        sql += " AND c.interview_id = ?"
        params.append(interview_id)
    if interviews is not None:
        sql += f" AND c.interview_id IN ({','.join('?' * len(interviews))})"
        params.extend(sorted(interviews))
    sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
    params.append(limit)
    return [row[0] for row in conn.execute(sql, params)]


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return scores


class Searcher:
    """Hybrid search over one workspace; keeps the model and store loaded between queries."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.warnings: list[str] = []
        """What the last search could not use (missing vectors), for the user to see."""

    @classmethod
    def open(
        cls, ws: Workspace, *, embedder: Embedder | None = None, store: VectorStore | None = None
    ) -> Searcher:
        """A searcher with the workspace's settings; pass a loaded embedder or store to share them."""
        lib = Library.open(ws, embedder=embedder, store=store)
        lib.check_model()
        return cls(lib)

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        role: RoleFilter = "any",
        interview: str | None = None,
        interviews: Collection[str] | None = None,
    ) -> list[SearchHit]:
        """The ``k`` best chunks for ``query``, filtered by role and interview.

        ``interviews``: only chunks of these interview ids (a filter's selection).
        """
        vector: list[float] | None = None
        if not query.strip():
            raise UsageError("the search query is empty")
        if k < 1:
            raise UsageError("-k must be at least 1")
        if role not in ("participant", "interviewer", "any"):
            raise UsageError(f"--role must be participant, interviewer or any, not {role!r}")
        conn = self.lib.conn
        iid = resolve_interview_id(self.lib.ws, interview) if interview else None
        role_filter = None if role == "any" else role
        pool = max(4 * k, 20)
        if interviews is not None and not interviews:
            return []
        rankings = [keyword_search(conn, query, pool, role_filter, iid, interviews)]
        self.warnings = []
        if role != SpeakerRole.interviewer and self._has_vectors():
            vector = self._embed_if_searchable(query)
        if vector is not None:
            try:
                hits = self.lib.store.query(
                    vector, pool, role=role_filter, interview_id=iid, interviews=interviews
                )
            except Exception as exc:  # e.g. a reindex in another process swapped the index
                self.warnings.append(
                    f"keyword-only: the vector index could not be read ({type(exc).__name__}); "
                    "search again, or run `persona doctor`"
                )
                hits = []
            rankings.append([h.chunk_id for h in hits])
        scores = rrf(rankings)
        best = sorted(scores, key=lambda cid: -scores[cid])
        return self._hits(best, scores, k)

    def _embed_if_searchable(self, query: str) -> list[float] | None:
        """The query's vector, or None when the store has no vectors to search."""
        return self.lib.embedder.embed([query])[0] if self._vectors_present() else None

    def _has_vectors(self) -> bool:
        row = self.lib.conn.execute("SELECT 1 FROM chunks WHERE embedded = 1 LIMIT 1").fetchone()
        return row is not None

    def _vectors_present(self) -> bool:
        """Compare stored vectors with embedded chunks; warn when some or all are missing."""
        expected = int(
            self.lib.conn.execute("SELECT COUNT(*) FROM chunks WHERE embedded = 1").fetchone()[0]
        )
        try:
            stored = self.lib.store.count()
        except Exception as exc:  # e.g. a reindex in another process swapped the index
            self.warnings.append(
                f"keyword-only: the vector index could not be read ({type(exc).__name__}); "
                "search again, or run `persona doctor`"
            )
            return False
        if stored == 0:
            self.warnings.append(
                f"keyword-only: the vector index is empty but {count(expected, 'chunk')} should have "
                "vectors; run `persona doctor --fix` (or `persona reindex`)"
            )
            return False
        if stored < expected:
            self.warnings.append(
                f"{expected - stored} of {count(expected, 'chunk')} have no vectors and are found by "
                "keywords only; run `persona doctor --fix`"
            )
        return True

    def _hits(self, ids: list[str], scores: dict[str, float], k: int) -> list[SearchHit]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {
            r["id"]: r
            for r in self.lib.conn.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", ids)
        }
        hits: list[SearchHit] = []
        for cid in ids:
            r = rows.get(cid)
            if r is None:  # a stale vector whose chunk is gone
                continue
            hits.append(
                SearchHit(
                    chunk_id=cid,
                    interview_id=r["interview_id"],
                    speaker=r["speaker"],
                    role=r["role"],
                    turn=r["turn_start"],
                    turn_end=r["turn_end"],
                    char_start=r["char_start"],
                    char_end=r["char_end"],
                    text=r["text"],
                    context=r["context"],
                    score=scores[cid],
                )
            )
            if len(hits) == k:
                break
        return hits


def search(
    ws: Workspace,
    query: str,
    *,
    k: int = 10,
    role: RoleFilter = "any",
    interview: str | None = None,
    interviews: Collection[str] | None = None,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> list[SearchHit]:
    """One-shot hybrid search (see :class:`Searcher` to run many queries)."""
    searcher = Searcher.open(ws, embedder=embedder, store=store)
    return searcher.search(query, k=k, role=role, interview=interview, interviews=interviews)


@dataclass
class FilteredSearch:
    """A search narrowed by the interview filters (`persona search`, the app's Search screen)."""

    hits: list[SearchHit]
    speakers: list[str]
    """The shown speaker of each hit (the named person when known)."""
    warnings: list[str]
    selected: int | None
    """How many interviews the filters keep (None: no filter)."""
    filters: str
    """The filters in words (``company=Acme, role=champion``), empty when none."""


def search_filtered(
    ws: Workspace,
    query: str,
    *,
    k: int = 10,
    role: str = "any",
    interview: str | None = None,
    company: str | None = None,
    industry: str | None = None,
    segment: str | None = None,
    tag: str | None = None,
    embedder: Embedder | None = None,
) -> FilteredSearch:
    """Hybrid search with the shared filters; ``role`` is a speaker role or a DMU role.

    A DMU role (``champion``…) searches participants' words in interviews with
    that role (:func:`assistant.selection.split_search_role`).
    """
    from assistant.library.speaker_names import shown_speaker, speaker_names
    from assistant.selection import InterviewFilter, select_interviews, split_search_role

    speaker_role, dmu_role = split_search_role(role or "any")
    flt = InterviewFilter(
        company=company or None,
        industry=industry or None,
        segment=segment or None,
        role=dmu_role,
        tag=tag or None,
    )
    interviews = set(select_interviews(ws, flt)) if flt.active else None
    searcher = Searcher.open(ws, embedder=embedder)
    hits = searcher.search(
        query,
        k=k,
        role=speaker_role,  # type: ignore[arg-type]
        interview=interview,
        interviews=interviews,
    )
    names = speaker_names(ws.conn)
    return FilteredSearch(
        hits,
        [shown_speaker(names, h.interview_id, h.speaker) or h.speaker for h in hits],
        list(searcher.warnings),
        None if interviews is None else len(interviews),
        flt.describe(),
    )


@dataclass(frozen=True)
class TextMatch:
    """Where a phrase occurs in a transcript: turn and character span of the transcript text."""

    turn: int
    start: int
    end: int


def find_in_transcript(transcript: Transcript, phrase: str) -> list[TextMatch]:
    """Every occurrence of ``phrase`` in the turns, in order (case-insensitive, spaces collapsed)."""
    words = phrase.split()
    if not words:
        raise UsageError("type something to find")
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [
        TextMatch(turn.index, turn.char_start + m.start(), turn.char_start + m.end())
        for turn in transcript.turns
        for m in pattern.finditer(turn.text)
    ]
