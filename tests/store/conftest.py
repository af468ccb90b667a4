"""Fixtures for storage, embedding and search tests.

The real model (all-MiniLM-L6-v2, offline) is loaded once per session; tests
that only need *some* vectors use :class:`HashEmbedder`, a tiny deterministic
bag-of-words embedder that implements the same protocol.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embeddings import LocalEmbedder
from tests.support.store import INTERVIEWS, CountingEmbedder, HashEmbedder


@pytest.fixture(scope="session")
def local_embedder() -> LocalEmbedder:
    """The real local model, loaded once for the whole session."""
    embedder = LocalEmbedder()
    assert embedder.dimension == 384  # forces the load
    return embedder


@pytest.fixture
def counting() -> CountingEmbedder:
    return CountingEmbedder(HashEmbedder())


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A folder of three small labelled interviews."""
    folder = tmp_path / "interviews"
    folder.mkdir()
    for name, text in INTERVIEWS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
