"""Budgets (refusal before any call, clean mid-batch stop) and concurrency."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

import pytest

from assistant.llm.budget import BudgetExceededError
from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.runlog import RunLog
from assistant.llm.tasks import StructuredJob, run_batch
from assistant.settings import Settings
from tests.llm.helpers import ECHO_PROMPT, EchoOut

# 1000 USD per 1M input tokens (0.001 per token), output free: easy arithmetic.
PRICES = {"prices": {"gpt-4o-mini": {"input": 1000.0, "output": 0.0}}, "est_output_tokens": 0}


def jobs(n: int) -> list[StructuredJob[EchoOut]]:
    return [
        StructuredJob("echo_task", ECHO_PROMPT, {"text": f"text number {i}"}, EchoOut)
        for i in range(n)
    ]


def batch(settings: Settings, n: int, workspace=None, budget: float | None = None):
    return asyncio.run(
        run_batch(jobs(n), settings=settings, workspace=workspace, budget_usd=budget)
    )


def estimated_cost(settings: Settings, n: int) -> float:
    from assistant.llm.budget import estimate, plan_call
    from assistant.llm.pricing import price_table

    planned = [plan_call(j.prompt_file, j.variables, EchoOut, est_output_tokens=0) for j in jobs(n)]
    cost = estimate(
        planned, model=settings.llm.model, prices=price_table(settings.llm)
    ).est_cost_usd
    assert cost is not None
    return cost


def test_over_budget_batch_is_refused_before_any_call(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    settings = make_settings(**PRICES)
    est = estimated_cost(settings, 5)
    with pytest.raises(BudgetExceededError, match="exceeds the budget") as err:
        batch(settings, 5, workspace, budget=est / 2)
    assert err.value.estimate.calls == 5
    assert fake_server.request_count == 0
    log = RunLog(workspace.conn)
    assert log.calls() == []
    (run,) = log.runs()
    assert run["status"] == "refused" and run["calls"] == 0


def test_budget_from_env_refuses_too(
    fake_server: FakeLlmServer,
    make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PERSONA_BUDGET_USD", "0.000001")
    with pytest.raises(BudgetExceededError):
        batch(make_settings(**PRICES), 3)
    assert fake_server.request_count == 0


def test_running_batch_stops_when_spend_reaches_budget(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    settings = make_settings(max_concurrency=1, **PRICES)
    n = 8
    # The server reports more prompt tokens than we estimate, so a budget just
    # above the estimate passes the check and runs out mid-batch.
    budget = estimated_cost(settings, n) * 1.01
    result = batch(settings, n, workspace, budget=budget)
    per_call = fake_server.usage_log[0]["prompt_tokens"] * 0.001
    made = math.ceil(budget / per_call)
    assert 0 < made < n
    assert fake_server.request_count == made
    assert result.stopped_for_budget
    assert [r.status for r in result.results] == ["ok"] * made + ["skipped"] * (n - made)
    assert all(isinstance(v, EchoOut) for v in result.values[:made])
    assert result.spent_usd >= budget > result.spent_usd - per_call * 1.01
    log = RunLog(workspace.conn)
    (run,) = log.runs()
    assert run["status"] == "stopped" and run["calls"] == made and "not started" in run["note"]


@pytest.mark.parametrize(("n", "limit"), [(12, 4), (16, 8)])
def test_concurrency_limit_sets_wall_time(
    n: int, limit: int, fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    latency = 0.5
    fake_server.latency_s = latency
    settings = make_settings(max_concurrency=limit)
    batch(settings, 1)  # warm-up: imports, tokenizer, server probe
    fake_server.peak_in_flight = 0
    start = time.perf_counter()
    result = batch(settings, n)
    wall = time.perf_counter() - start
    ideal = math.ceil(n / limit) * latency
    assert all(r.status == "ok" for r in result.results)
    # The limit is exact: never more than C requests at once, and C are reached.
    assert fake_server.peak_in_flight == limit
    # Never faster than ceil(N/C)·L, so no more than C ran at once. How close to
    # that ideal a batch comes is a speed claim: benchmarks/concurrency.py
    # measures it (an upper bound here would be tighter than 5x the measured time).
    assert wall >= 0.95 * ideal, f"{wall:.2f}s vs ideal {ideal:.2f}s"


def test_one_failure_keeps_the_other_results(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    fake_server.add_faults("length", "length")  # cut, and cut again with twice the room
    result = batch(make_settings(max_concurrency=1), 3)
    assert [r.status for r in result.results] == ["failed", "ok", "ok"]
    assert "output limit" in str(result.results[0].error)
