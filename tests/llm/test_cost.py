"""Prices, cost arithmetic, offline token counts and estimates."""

from __future__ import annotations

import pytest

from assistant.llm.budget import BudgetExceededError, PlannedCall, check_budget, estimate, plan_call
from assistant.llm.pricing import DEFAULT_PRICES, cost_usd, format_cost, price_for, price_table
from assistant.llm.tokens import count_messages, count_tokens
from assistant.settings import ModelPrice, load_settings
from tests.llm.helpers import ECHO_PROMPT, EchoOut


def test_cost_arithmetic() -> None:
    # gpt-4o-mini: $0.15 in / $0.60 out per 1M tokens
    assert cost_usd("gpt-4o-mini", 1_000_000, 0, DEFAULT_PRICES) == pytest.approx(0.15)
    assert cost_usd("gpt-4o-mini", 2000, 500, DEFAULT_PRICES) == pytest.approx(0.0006)
    assert cost_usd("gpt-4o", 1000, 1000, DEFAULT_PRICES) == pytest.approx(0.0125)


def test_snapshot_names_use_the_base_price() -> None:
    assert price_for("gpt-4o-mini-2024-07-18", DEFAULT_PRICES) == DEFAULT_PRICES["gpt-4o-mini"]


def test_unknown_model_cost_is_unknown_never_zero() -> None:
    assert cost_usd("llama3.1:8b", 1000, 1000, DEFAULT_PRICES) is None
    assert cost_usd("authored-fixture", 10, 10, DEFAULT_PRICES) is None
    assert cost_usd("gpt-4o-mini", None, 10, DEFAULT_PRICES) is None
    assert format_cost(None) == "unknown"
    assert format_cost(0.5) == "$0.5000"


def test_toml_prices_override_and_extend() -> None:
    llm = load_settings(
        {
            "llm": {
                "prices": {
                    "gpt-4o-mini": {"input": 1, "output": 1},
                    "local": {"input": 0, "output": 0},
                }
            }
        }
    ).llm
    table = price_table(llm)
    assert cost_usd("gpt-4o-mini", 1_000_000, 1_000_000, table) == pytest.approx(2.0)
    assert cost_usd("local", 5000, 5000, table) == 0.0  # a known zero price is zero


def test_token_counts_are_offline_and_sane() -> None:
    assert count_tokens("hello world") == 2
    assert count_tokens("") == 0
    msgs = [{"role": "user", "content": "hello world"}]
    assert count_messages(msgs) == 2 + 4 + 3
    assert count_messages(msgs, {"type": "object"}) > count_messages(msgs)


def test_estimate_sums_and_prices() -> None:
    planned = [PlannedCall("t", 1000, 500), PlannedCall("t", 3000, 500)]
    est = estimate(planned, model="gpt-4o-mini", prices=DEFAULT_PRICES)
    assert (est.calls, est.input_tokens, est.est_output_tokens) == (2, 4000, 1000)
    assert est.est_cost_usd == pytest.approx((4000 * 0.15 + 1000 * 0.60) / 1e6)
    assert set(est.as_dict()) >= {"calls", "input_tokens", "est_output_tokens", "est_cost_usd"}
    unknown = estimate(planned, model="mystery", prices=DEFAULT_PRICES)
    assert unknown.est_cost_usd is None


def test_plan_call_counts_rendered_prompt_and_schema() -> None:
    short = plan_call(ECHO_PROMPT, {"text": "hi"}, EchoOut, est_output_tokens=50)
    long = plan_call(ECHO_PROMPT, {"text": "hi " * 1000}, EchoOut, est_output_tokens=50)
    assert long.input_tokens - short.input_tokens == pytest.approx(1000, abs=5)
    assert short.task == "echo_task" and short.est_output_tokens == 50


def test_check_budget() -> None:
    prices = {"m": ModelPrice(input=1.0, output=1.0)}
    est = estimate([PlannedCall("t", 600_000, 400_000)], model="m", prices=prices)  # $1.00
    check_budget(est, None)
    check_budget(est, 1.0)
    with pytest.raises(BudgetExceededError, match=r"exceeds the budget of \$0.9900"):
        check_budget(est, 0.99)
    no_price = estimate([PlannedCall("t", 10, 10)], model="x", prices=prices)
    with pytest.raises(BudgetExceededError, match=r"price of model 'x' is unknown"):
        check_budget(no_price, 5.0)
