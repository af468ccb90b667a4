"""Embedders: the local model loads offline; the Chroma registration round-trips."""

from __future__ import annotations

import math
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaClientSettings
from chromadb.utils.embedding_functions import known_embedding_functions

from assistant.chroma_function import PersonaEmbeddingFunction
from assistant.embeddings import (
    Embedder,
    LocalEmbedder,
    OpenAIEmbedder,
    bundled_model_path,
    make_embedder,
)
from assistant.errors import UsageError
from assistant.settings import EmbeddingSettings
from tests.support.store import HashEmbedder


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_local_model_loads_offline_from_the_bundled_package(
    local_embedder: LocalEmbedder,
) -> None:
    assert bundled_model_path("all-MiniLM-L6-v2") is not None
    assert bundled_model_path("some-other-model") is None
    assert local_embedder.name == "local:all-MiniLM-L6-v2+int8"
    vecs = local_embedder.embed(
        ["Invoices wait for approval for weeks.", "Approvals were slow.", "I like hiking."]
    )
    assert [len(v) for v in vecs] == [384, 384, 384]
    assert math.isclose(sum(x * x for x in vecs[0]), 1.0, rel_tol=1e-4)
    assert cosine(vecs[0], vecs[1]) > cosine(vecs[0], vecs[2])
    assert local_embedder.embed([]) == []


def test_factory_picks_the_provider() -> None:
    local = make_embedder(EmbeddingSettings())
    assert isinstance(local, LocalEmbedder) and local.name == "local:all-MiniLM-L6-v2+int8"
    fp32 = make_embedder(EmbeddingSettings(runtime="onnx"))
    assert fp32.name == make_embedder(EmbeddingSettings(runtime="torch")).name
    assert fp32.name == "local:all-MiniLM-L6-v2"
    remote = make_embedder(EmbeddingSettings(provider="openai"))
    assert isinstance(remote, OpenAIEmbedder)
    assert remote.name == "openai:text-embedding-3-small" and remote.dimension == 1536
    assert isinstance(HashEmbedder(), Embedder)


def test_openai_embedder_without_key_or_base_url_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="OPENAI_API_KEY"):
        OpenAIEmbedder().embed(["x"])


def test_chroma_registration_round_trips(tmp_path: Path, local_embedder: LocalEmbedder) -> None:
    assert known_embedding_functions["persona"] is PersonaEmbeddingFunction
    settings = ChromaClientSettings(anonymized_telemetry=False)
    client = chromadb.PersistentClient(path=str(tmp_path), settings=settings)
    ef = PersonaEmbeddingFunction.for_embedder(local_embedder)
    # chroma types embedding functions over images too; ours embeds text only
    client.create_collection("chunks", embedding_function=ef)  # type: ignore[arg-type]
    del client

    reopened = chromadb.PersistentClient(path=str(tmp_path), settings=settings)
    collection = reopened.get_collection("chunks", embedding_function=None)
    restored = collection.configuration["embedding_function"]
    assert isinstance(restored, PersonaEmbeddingFunction)
    assert restored.get_config() == {"provider": "local", "model": "all-MiniLM-L6-v2+int8"}
    # The restored function embeds with our model (no ONNX download): add by text, query by text.
    collection.add(ids=["a", "b"], documents=["late fees on invoices", "mountain hiking trip"])
    result = collection.query(query_texts=["we paid late fees"], n_results=1)
    assert result["ids"] == [["a"]]
    # ...and with the runtime that built the collection (int8 vectors are a model of their own)
    assert np.allclose(restored(["late fees"]), ef(["late fees"]))
