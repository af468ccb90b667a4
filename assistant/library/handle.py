"""The Library handle: a workspace with its settings, embedder and vector store.

It also refuses to mix vectors of two embedding models in one workspace.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from assistant import db
from assistant.embeddings import META_KEY, Embedder, configured_id, make_embedder
from assistant.errors import UsageError
from assistant.settings import Settings, load_settings
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace

# Chunks embedded per call, across files. Large on purpose: on a CPU, every
# extra encode call costs noticeably (new tensor shapes), so fewer, larger calls
# keep ingest close to the pure embedding time; progress ticks once per group.
EMBED_GROUP_CHUNKS = 1024


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
