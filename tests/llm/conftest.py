"""LLM test fixtures: the fake OpenAI-compatible server and settings pointing at it.

Nothing here mocks our own code: the real openai SDK and langchain-openai talk
HTTP to :class:`~assistant.llm.fake_server.FakeLlmServer` on 127.0.0.1, or to
vcrpy cassettes. pytest-recording tests use the same serializer and matcher as
the app (``vcr_config`` below); re-record them with
``pytest tests/llm --record-mode=rewrite`` (they record against the fake server).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.llm.cassettes import configure_vcr
from assistant.llm.cassettes import vcr_config as persona_vcr_config
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import Settings, load_settings
from tests.llm.helpers import CASSETTES, TEST_KEY


@pytest.fixture
def fake_server() -> Iterator[FakeLlmServer]:
    """A running fake server (no latency, no faults) for one test."""
    with FakeLlmServer() as server:
        yield server


@pytest.fixture
def make_settings(
    fake_server: FakeLlmServer, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Settings]:
    """Build settings aimed at the fake server; keyword args override ``[llm]`` keys."""

    def build(**llm: Any) -> Settings:
        monkeypatch.setenv("OPENAI_API_KEY", llm.pop("api_key", TEST_KEY))
        data = {
            "base_url": fake_server.base_url,
            "retry_base_s": 0.01,
            "timeout_s": 5.0,
            **llm,
        }
        return load_settings({"llm": data})

    return build


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """pytest-recording: the app's scrubbing, serializer and matcher."""
    return persona_vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """pytest-recording cassettes live with the app's, under fixtures/cassettes/pytest/."""
    return str(CASSETTES / "pytest" / Path(request.node.fspath).stem)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    """Register the persona JSON serializer and the fixture-key matcher."""
    configure_vcr(vcr)
