"""Our embedder as a Chroma embedding function, registered under the name ``persona``.

A reopened collection gets this function back from its stored config (never
Chroma's default, which downloads an ONNX model). Only the vector store
imports this module, so commands that read SQLite alone never load chromadb.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.embeddings import (
    DEFAULT_LOCAL_MODEL,
    Embedder,
    local_settings_for,
    make_embedder,
)
from assistant.settings import EmbeddingSettings


@register_embedding_function
class PersonaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder; rebuilt from the collection's stored config.

    ``model`` is the recorded model id (``all-MiniLM-L6-v2+int8`` for the int8
    runtime), so a reopened collection embeds with the runtime that built it.
    """

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
            if self.provider == "local":
                settings = local_settings_for(self.model)
            else:
                settings = EmbeddingSettings(provider="openai", model=self.model)
            self._embedder = make_embedder(settings)
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
