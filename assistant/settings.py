"""Settings: persona.toml sections, overridden by environment variables.

Each section is a pydantic model. :func:`load_settings` reads the workspace's
persona.toml and applies the environment on top (env wins).
The ``[llm]`` section and `persona config` provenance are added by the LLM layer.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import UsageError


class EmbeddingSettings(BaseModel):
    """[embeddings]: which model turns chunks into vectors."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["local", "openai"] = Field(
        "local", description="local = sentence-transformers offline; openai = /embeddings endpoint."
    )
    model: str | None = Field(
        None,
        description="Model name; default all-MiniLM-L6-v2 (local) or text-embedding-3-small (openai).",
    )
    batch_size: int = Field(64, ge=1, description="Texts per embedding call.")

    @property
    def model_name(self) -> str:
        """The model name, with the provider's default filled in."""
        if self.model:
            return self.model
        return "all-MiniLM-L6-v2" if self.provider == "local" else "text-embedding-3-small"


class ChromaSettings(BaseModel):
    """[chroma]: embedded store (default) or a Chroma server."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(None, description="Chroma server host; unset = embedded store.")
    port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("chunks", description="Collection holding transcript chunks.")


class IngestSettings(BaseModel):
    """[ingest]: limits and chunk sizes."""

    model_config = ConfigDict(extra="forbid")

    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused.")
    chunk_chars: int = Field(1000, ge=200, description="Maximum characters per chunk.")


class Settings(BaseModel):
    """All settings of a workspace."""

    model_config = ConfigDict(extra="allow")

    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)


ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "CHROMA_HOST": ("chroma", "host"),
    "CHROMA_PORT": ("chroma", "port"),
    "PERSONA_EMBEDDINGS_PROVIDER": ("embeddings", "provider"),
    "PERSONA_EMBEDDINGS_MODEL": ("embeddings", "model"),
}


def load_settings(config_data: dict[str, Any] | None = None) -> Settings:
    """Build settings from persona.toml data with environment overrides applied."""
    data: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in (config_data or {}).items()}
    for env, (section, key) in ENV_OVERRIDES.items():
        if os.environ.get(env):
            data.setdefault(section, {})[key] = os.environ[env]
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"persona.toml: [{where}] {first['msg']}") from exc
