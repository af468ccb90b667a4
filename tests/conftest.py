"""Shared test set-up: no network, no real home folder, offline models.

Sockets are limited to loopback by pytest-socket (see ``addopts`` in
pyproject.toml), so a test that tries to reach a real LLM or a model hub
fails loudly. Every test gets a temporary HOME and XDG folders, and the
user's LLM settings are removed from the environment.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SAMPLE_TRANSCRIPTS = FIXTURES / "transcripts"
SHARED_DATA = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point home and config folders at temp dirs; drop the user's LLM settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "CHROMA_HOST",
        "PERSONA_WORKSPACE",
        "PERSONA_MODEL",
        "PERSONA_STRUCTURED_OUTPUT",
        "PERSONA_MAX_CONCURRENCY",
        "PERSONA_BUDGET_USD",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[object]:
    """A fresh, initialised workspace in a temp folder."""
    from assistant.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def shared_transcripts() -> Path:
    """The shared real-interview corpus; the test is skipped when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data/anthropic-interviewer is not present")
    return SHARED_DATA
