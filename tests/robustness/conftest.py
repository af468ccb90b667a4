"""Fixtures of the crash and two-process tests (helpers in tests/support/robustness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.llm.fake_server import FakeLlmServer
from tests.support.robustness import KEY, Env
from tests.support.store import INTERVIEWS


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A folder of three small labelled interviews."""
    folder = tmp_path / "interviews"
    folder.mkdir()
    for name, text in INTERVIEWS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    """An initialised workspace and a fake server (chat + embeddings) with some latency."""
    with FakeLlmServer(latency_s=0.4, embed_latency_s=0.3) as server:
        root = tmp_path / "ws"
        variables = {
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": KEY,
            "PERSONA_EMBEDDINGS_PROVIDER": "openai",
            "PERSONA_EMBEDDINGS_MODEL": "fake-embedding",
            "PERSONA_LLM_SERVER": "other",
            "PERSONA_MAX_CONCURRENCY": "2",
            "PERSONA_LLM_MAX_RETRIES": "0",
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
        }
        e = Env(root, server, variables)
        res = e.run("init", str(root))
        assert res.returncode == 0, res.stderr
        yield e
