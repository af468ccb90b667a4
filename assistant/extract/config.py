"""``[extract]`` settings: window size, overlap, merge threshold, verifier threshold."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import UsageError
from assistant.evidence import DEFAULT_FUZZY_THRESHOLD
from assistant.settings import Settings


class ExtractSettings(BaseModel):
    """[extract] in persona.toml."""

    model_config = ConfigDict(extra="forbid")

    window_tokens: int = Field(
        6000,
        ge=200,
        description="Transcripts above this many tokens are split into overlapping windows.",
    )
    overlap_turns: int = Field(2, ge=0, description="Turns repeated between adjacent windows.")
    merge_threshold: float = Field(
        0.85,
        gt=0,
        le=1,
        description="Cosine similarity at which two same-kind insights of windows are merged.",
    )
    fuzzy_threshold: float = Field(
        DEFAULT_FUZZY_THRESHOLD, ge=0, le=100, description="Quote verifier fuzzy threshold."
    )


def extract_settings(settings: Settings) -> ExtractSettings:
    """The ``[extract]`` section of ``settings`` (defaults when absent)."""
    raw: Any = (settings.model_extra or {}).get("extract") or {}
    if isinstance(raw, ExtractSettings):
        return raw
    try:
        return ExtractSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"persona.toml: [extract] {where}: {first['msg']}") from exc
