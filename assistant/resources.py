"""Where bundled files live: prompts and the sample interviews.

In a source checkout (or an editable install) they are the top-level
``prompts/`` and ``fixtures/`` folders; in a built wheel they are copied to
``assistant/_bundled/`` (see ``force-include`` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(relative: str) -> Path:
    """Absolute path of a bundled folder or file, e.g. ``"fixtures/transcripts"``."""
    for base in (_PACKAGE / "_bundled", _PACKAGE.parent):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        f"bundled resource {relative!r} is missing: reinstall persona-assistant"
    )


def prompts_dir() -> Path:
    """The folder of prompt files."""
    return bundled_path("prompts")


def sample_transcripts_dir() -> Path:
    """The bundled sample interviews used by `persona demo`."""
    return bundled_path("fixtures/transcripts")
