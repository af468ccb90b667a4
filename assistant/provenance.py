"""Provenance: what produced a stored result (extraction, generated review items)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provenance:
    """The model asked for and the prompt version, and where known, who answered.

    ``response_model`` is the model(s) the server said answered (None: the one
    asked for); ``fixture`` is True when recorded fixtures answered; ``run_id``
    is the run log entry of the calls.
    """

    model: str
    prompt_version: str
    response_model: str | None = None
    fixture: bool = False
    run_id: str | None = None

    @property
    def answered_by(self) -> str:
        """The model that answered (the one asked for, when the server did not say)."""
        return self.response_model or self.model
