"""`persona analyze --batch` against the fake server's Batch API, each command a new process."""

from __future__ import annotations

from assistant.generate.analyze import ThemePlans, estimate_pipeline
from assistant.generate.analyze_batch import batch_estimate
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import load_settings
from assistant.workspace import Workspace
from tests.extract.helpers import EXPECTED_COUNTS
from tests.extract.helpers import batch_env as _env
from tests.generate.helpers import generation_responder
from tests.support.cli import CliResult, run_cli

GENERATION_CALLS = 14
"""Themes, personas, ICP and messaging calls on the extracted sample corpus (test_analyze_cli)."""


def _analyze(ws: Workspace, server: FakeLlmServer, *extra: str) -> CliResult:
    return run_cli("-w", str(ws.root), "analyze", "--batch", "--json", *extra, env=_env(server))


def test_submit_wait_collect_and_continue_across_processes(corpus_ws: Workspace) -> None:
    with FakeLlmServer(
        responder=generation_responder(), model="authored-fixture", batch_polls=1
    ) as server:
        sub = _analyze(corpus_ws, server)
        assert sub.code == 0, sub.stderr
        data = sub.json()
        assert data["state"] == "submitted" and data["report"] is None
        (batch,) = data["batches"]
        assert batch["task"] == "extract_interview" and batch["requests"] >= 12
        assert "(extraction at the batch price)" in sub.stderr
        assert f"persona batch status {batch['id']}" in sub.stderr
        assert server.request_count == batch["requests"]  # the fake answers at submission
        # nothing stored nor called synchronously yet: themes etc. did not run
        assert corpus_ws.conn.execute("SELECT COUNT(*) FROM insights").fetchone()[0] == 0
        assert corpus_ws.conn.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0] == 0

        wait = _analyze(corpus_ws, server)  # the fake batch is in_progress for one poll
        assert wait.code == 0, wait.stderr
        waiting = wait.json()
        assert waiting["state"] == "waiting" and waiting["batches"][0]["id"] == batch["id"]
        assert waiting["batches"][0]["status"] == "in_progress"

        done = _analyze(corpus_ws, server)
        assert done.code == 0, done.stderr
        result = done.json()
        assert server.request_count == batch["requests"] + GENERATION_CALLS
    assert result["state"] == "done"
    assert result["batches"][0]["status"] == "collected"
    for row in result["collected"]:  # stored exactly as the synchronous path stores them
        want = EXPECTED_COUNTS[row["interview_id"]]
        assert (row["status"], row["insights"], row["verified"]) == (
            "extracted",
            want["insights"],
            want["verified"],
        )
    steps = {s["step"]: s for s in result["report"]["steps"]}
    assert list(steps) == ["extract", "themes", "personas", "icp", "messaging"]
    assert steps["extract"]["status"] == "ran"
    assert steps["extract"]["calls"] == batch["requests"]
    assert len(steps["extract"]["changes"]) == len(EXPECTED_COUNTS)
    assert all(steps[s]["status"] == "ran" for s in ("themes", "personas", "icp", "messaging"))
    assert result["report"]["calls"] == batch["requests"] + GENERATION_CALLS
    methods = dict(
        corpus_ws.conn.execute("SELECT method, COUNT(*) FROM llm_calls GROUP BY method").fetchall()
    )
    assert methods["batch"] == batch["requests"]
    assert corpus_ws.conn.execute("SELECT COUNT(*) FROM review_items").fetchone()[0] > 0


def test_failed_lines_are_retried_then_the_pipeline_continues(corpus_ws: Workspace) -> None:
    with FakeLlmServer(
        responder=generation_responder(),
        model="authored-fixture",
        batch_failed_lines=frozenset({1, 4}),
    ) as server:
        batch = _analyze(corpus_ws, server).json()["batches"][0]
        done = _analyze(corpus_ws, server)
        assert done.code == 0, done.stderr
        assert "2 failed batch lines retried synchronously" in done.stderr
        # 2 failed lines answered again synchronously, then the generation steps
        assert server.request_count == batch["requests"] + GENERATION_CALLS
    result = done.json()
    assert result["state"] == "done"
    assert {r["status"] for r in result["collected"]} == {"extracted"}
    retried = corpus_ws.conn.execute(
        "SELECT COUNT(*) FROM llm_calls WHERE method != 'batch' AND task = 'extract_interview'"
    ).fetchone()[0]
    assert retried == 2


def test_expired_lines_reported_per_interview_then_only_the_missing_resubmitted(
    corpus_ws: Workspace,
) -> None:
    with FakeLlmServer(
        responder=generation_responder(), model="authored-fixture", batch_expire_after=9
    ) as server:
        first = _analyze(corpus_ws, server).json()["batches"][0]
        res = _analyze(corpus_ws, server, "--no-retry")
        assert res.code == 1
        assert "without a usable answer" in res.stderr and "expired" in res.stderr
        assert "persona analyze --batch" in res.stderr
        stored = corpus_ws.conn.execute(
            "SELECT COUNT(DISTINCT interview_id) FROM insights"
        ).fetchone()[0]
        assert 0 < stored < len(EXPECTED_COUNTS)  # what came back is kept

        server.batch_expire_after = None
        again = _analyze(corpus_ws, server)
        assert again.code == 0, again.stderr
        second = again.json()
        assert second["state"] == "submitted"
        assert second["batches"][0]["requests"] == first["requests"] - 9
        done = _analyze(corpus_ws, server)
        assert done.code == 0, done.stderr
    assert done.json()["state"] == "done"
    kept = corpus_ws.conn.execute("SELECT COUNT(DISTINCT interview_id) FROM insights")
    assert kept.fetchone()[0] == len(EXPECTED_COUNTS)


def test_a_server_without_batch_api_offers_the_sync_path_and_leaves_nothing(
    corpus_ws: Workspace,
) -> None:
    with FakeLlmServer(
        responder=generation_responder(), model="authored-fixture", batch=False
    ) as server:
        res = run_cli("-w", str(corpus_ws.root), "analyze", "--batch", env=_env(server))
        assert res.code == 1
        assert "no Batch API" in res.stderr and "without --batch" in res.stderr
        assert server.files == {} and server.batches == {} and server.request_count == 0
    conn = corpus_ws.conn
    assert conn.execute("SELECT COUNT(*) FROM llm_batches").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM insights").fetchone()[0] == 0


def test_plain_analyze_warns_about_an_uncollected_batch(corpus_ws: Workspace) -> None:
    with FakeLlmServer(
        responder=generation_responder(), model="authored-fixture", batch_polls=5
    ) as server:
        batch = _analyze(corpus_ws, server).json()["batches"][0]
        res = run_cli("-w", str(corpus_ws.root), "analyze", "--json", env=_env(server))
        assert res.code == 0, res.stderr
    assert f"batch {batch['id']}" in res.stderr and "not collected" in res.stderr


def test_estimate_applies_the_batch_price_to_extraction_only(corpus_ws: Workspace) -> None:
    prices = {"gpt-4o-mini": {"input": 1000.0, "output": 0.0}}
    settings = load_settings({"llm": {"model": "gpt-4o-mini", "prices": prices}})
    whole = estimate_pipeline(corpus_ws, settings, plans=ThemePlans(None))
    batched = batch_estimate(corpus_ws, settings, False, ThemePlans(None))
    full = {s.task: s.est_cost_usd for s in whole.steps}
    half = {s.task: s.est_cost_usd for s in batched.steps}
    assert full["extract_interview"] and whole.est_cost_usd and batched.est_cost_usd
    assert half["extract_interview"] == full["extract_interview"] / 2
    assert {t: c for t, c in half.items() if t != "extract_interview"} == {
        t: c for t, c in full.items() if t != "extract_interview"
    }
    assert len(full) > 1  # the later steps are in the estimate, at the list price
    expected = whole.est_cost_usd - full["extract_interview"] / 2
    assert abs(batched.est_cost_usd - expected) < 1e-9
    assert batched.calls == whole.calls
