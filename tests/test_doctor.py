"""`persona doctor` reports each dependency, against a real (fake) LLM server."""

from __future__ import annotations

from pathlib import Path

from assistant.llm.fake_server import FakeLlmServer
from tests.support.cli import run_cli


def test_doctor_all_ok_against_fake_server(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path)).code == 0
    with FakeLlmServer(model="fake-model") as server:
        res = run_cli(
            "--workspace",
            str(tmp_path),
            "doctor",
            "--json",
            env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test-doctor"},
        )
        assert server.request_count >= 1
    assert res.code == 0, res.stdout + res.stderr
    checks = {c["name"]: c for c in res.json()}
    assert set(checks) == {"workspace", "llm", "embeddings", "chroma"}
    assert all(c["ok"] for c in checks.values())
    assert "384 dimensions" in checks["embeddings"]["detail"]
    assert "sk-test-doctor" not in res.stdout + res.stderr


def test_doctor_reports_unreachable_endpoint_and_missing_workspace(tmp_path: Path) -> None:
    res = run_cli(
        "doctor",
        "--json",
        cwd=tmp_path,
        env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "x"},
    )
    assert res.code == 1
    checks = {c["name"]: c for c in res.json()}
    assert not checks["workspace"]["ok"] and "persona init" in checks["workspace"]["fix"]
    assert not checks["llm"]["ok"] and "connect" in checks["llm"]["detail"]
    assert checks["embeddings"]["ok"]
