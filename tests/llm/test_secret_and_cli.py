"""The API key never leaks; `persona runs` and `persona estimate` over a real workspace."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.db import now_iso
from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.tasks import StructuredJob, run_batch
from assistant.settings import Settings
from assistant.workspace import Workspace
from tests.llm.helpers import ECHO_PROMPT, EchoOut
from tests.support.cli import run_cli

SENTINEL = "SENTINEL-persona-key-0d9f-never-leak"


def run_jobs(settings: Settings, ws: Workspace, n: int = 2) -> None:
    jobs = [StructuredJob("echo_task", ECHO_PROMPT, {"text": f"t{i}"}, EchoOut) for i in range(n)]
    asyncio.run(run_batch(jobs, settings=settings, workspace=ws))


def test_api_key_never_appears_anywhere(
    tmp_path: Path,
    fake_server: FakeLlmServer,
    make_settings: Callable[..., Settings],
    workspace: Workspace,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    cassettes = tmp_path / "cassettes"
    fake_server.add_faults("rate_limit", "schema_invalid")  # error paths are logged too
    fake_server.retry_after = "0"
    settings = make_settings(api_key=SENTINEL, mode="record", cassette_dir=str(cassettes))
    run_jobs(settings, workspace)
    assert fake_server.requests[0].headers["authorization"] == f"Bearer {SENTINEL}"  # it was used
    workspace.close()

    env = {"OPENAI_API_KEY": SENTINEL}
    outputs = [
        run_cli("--workspace", str(workspace.root), *args, env=env)
        for args in (("config",), ("config", "--json"), ("runs",), ("runs", "--json"))
    ]
    assert all(o.code == 0 for o in outputs), [o.stderr for o in outputs]
    texts = [o.stdout + o.stderr for o in outputs]
    captured = capsys.readouterr()
    texts += [caplog.text, captured.out, captured.err]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "persona.db" for p in files) and any(p.suffix == ".json" for p in files)
    for path in files:
        assert SENTINEL.encode() not in path.read_bytes(), f"key leaked into {path}"
    for text in texts:
        assert SENTINEL not in text


def test_runs_json_shape_and_totals(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace: Workspace
) -> None:
    fake_server.add_faults("server_error")
    run_jobs(make_settings(max_concurrency=1), workspace, n=2)
    workspace.close()
    res = run_cli("--workspace", str(workspace.root), "runs", "--json")
    assert res.code == 0, res.stderr
    data = res.json()
    (run,) = data["runs"]
    calls = data["calls"]
    assert len(calls) == 3  # one 500, its retry, and the second job
    required = {
        "run_id",
        "task",
        "model",
        "status",
        "input_tokens",
        "output_tokens",
        "cost_usd",
        "fixture",
    }
    assert all(required <= set(c) for c in calls)
    assert [c["status"] for c in calls] == ["server_error", "ok", "ok"]
    assert run["calls"] == 3 and run["ok_calls"] == 2 and run["status"] == "ok"
    assert run["input_tokens"] == sum(c["input_tokens"] or 0 for c in calls)
    assert run["input_tokens"] == sum(u["prompt_tokens"] for u in fake_server.usage_log)
    assert run["cost_usd"] == pytest.approx(sum(c["cost_usd"] or 0 for c in calls))
    human = run_cli("--workspace", str(workspace.root), "runs")
    assert run["run_id"] in human.stdout and "server_error" in human.stdout


def add_interview(ws: Workspace, ident: str, text: str) -> None:
    ws.conn.execute(
        "INSERT INTO interviews(id, source_path, content_hash, title, format, verbatim, text, "
        "meta_json, role_confidence, role_method, ingested_at, updated_at) "
        "VALUES (?, ?, 'h', ?, 'txt', 1, ?, '{}', 1.0, 'test', ?, ?)",
        (ident, f"/x/{ident}.txt", ident, text, now_iso(), now_iso()),
    )


def test_estimate_cli_over_workspace_interviews(workspace: Workspace) -> None:
    add_interview(workspace, "a", "Customer: we closed the books in three days. " * 50)
    add_interview(workspace, "b", "Customer: approvals were slow. " * 20)
    workspace.close()
    args = ("--workspace", str(workspace.root), "estimate", "--prompt", str(ECHO_PROMPT), "--json")
    res = run_cli(*args, env={"PERSONA_BUDGET_USD": "100"})
    assert res.code == 0, res.stderr
    est = res.json()
    assert est["calls"] == 2 and est["input_tokens"] > 500
    assert est["est_output_tokens"] == 2 * 600
    expected = (est["input_tokens"] * 0.15 + est["est_output_tokens"] * 0.60) / 1e6
    assert est["est_cost_usd"] == pytest.approx(expected)
    assert est["budget_usd"] == 100 and est["within_budget"] is True
    tight = run_cli(*args, "--budget", "0.0000001").json()
    assert tight["within_budget"] is False and tight["budget_usd"] == 0.0000001
    unknown = run_cli(*args, env={"PERSONA_MODEL": "local-model"}).json()
    assert unknown["est_cost_usd"] is None


def test_estimate_without_a_prompt_says_what_to_do(workspace: Workspace, tmp_path: Path) -> None:
    res = run_cli(
        "--workspace", str(workspace.root), "estimate", "--prompt", str(tmp_path / "nope.md")
    )
    assert res.code == 2 and "nope.md" in res.stderr and "Traceback" not in res.stderr
