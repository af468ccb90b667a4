"""ping(): one tiny call that reports model, latency, and any error (for `persona doctor`)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from assistant.llm.client import ping
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import Settings, load_settings


def test_ping_ok(fake_server: FakeLlmServer, make_settings: Callable[..., Settings]) -> None:
    fake_server.model = "served-model"
    result = ping(make_settings())
    assert result.ok and result.error is None
    assert result.model == "served-model" and result.latency_s > 0
    assert fake_server.request_count == 1
    assert fake_server.requests[0].body["max_tokens"] == 8


def test_ping_reports_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    settings = load_settings({"llm": {"base_url": f"http://127.0.0.1:{port}/v1", "server": "vllm"}})
    result = ping(settings)
    assert not result.ok and "cannot connect" in (result.error or "")


def test_ping_reports_missing_key() -> None:
    result = ping(load_settings({}))
    assert not result.ok and "OPENAI_API_KEY" in (result.error or "")
