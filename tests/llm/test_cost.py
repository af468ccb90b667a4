"""Prices, cost arithmetic, offline token counts and estimates."""

from __future__ import annotations

import pytest

from assistant.llm.budget import BudgetExceededError, PlannedCall, check_budget, estimate, plan_call
from assistant.llm.pricing import (
    PRICE_SOURCE,
    PriceTable,
    cost_usd,
    format_cost,
    price_for,
    price_table,
    provider_for,
)
from assistant.llm.tokens import count_messages, count_tokens
from assistant.settings import LlmSettings, ModelPrice, load_settings
from tests.llm.helpers import ECHO_PROMPT, EchoOut

OPENAI = PriceTable()


def test_cost_arithmetic() -> None:
    # gpt-4o-mini: $0.15 in / $0.60 out per 1M tokens (genai-prices' OpenAI table)
    assert cost_usd("gpt-4o-mini", 1_000_000, 0, OPENAI) == pytest.approx(0.15)
    assert cost_usd("gpt-4o-mini", 2000, 500, OPENAI) == pytest.approx(0.0006)
    assert cost_usd("gpt-4o", 1000, 1000, OPENAI) == pytest.approx(0.0125)


def test_prices_come_from_genai_prices_with_its_version() -> None:
    assert PRICE_SOURCE.startswith("genai-prices 0.")
    assert price_for("gpt-4o-mini", OPENAI) == ModelPrice(input=0.15, output=0.6)
    assert OPENAI.source("gpt-4o-mini") == f"{PRICE_SOURCE}, provider openai"


def test_snapshot_names_use_the_base_price() -> None:
    assert price_for("gpt-4o-mini-2024-07-18", OPENAI) == price_for("gpt-4o-mini", OPENAI)


def test_unknown_model_cost_is_unknown_never_zero() -> None:
    assert cost_usd("llama3.1:8b", 1000, 1000, OPENAI) is None
    assert cost_usd("authored-fixture", 10, 10, OPENAI) is None
    assert cost_usd("gpt-4o-mini", None, 10, OPENAI) is None
    assert price_for("mystery-model", OPENAI) is None
    assert format_cost(None) == "unknown"
    assert format_cost(0.5) == "$0.5000"


def test_provider_follows_the_base_url() -> None:
    assert provider_for(None) == "openai"
    assert provider_for("http://127.0.0.1:11434/v1") == "openai"  # local or proxy: OpenAI's names
    assert provider_for("https://api.groq.com/openai/v1") == "groq"
    groq = price_table(LlmSettings(base_url="https://api.groq.com/openai/v1"))
    assert groq.provider == "groq"
    assert cost_usd("gpt-4o-mini", 1000, 1000, groq) is None  # Groq does not sell it
    assert price_for("llama-3.1-8b-instant", groq) is not None
    # a local model whose name a hosted provider sells is not priced as that provider's
    assert cost_usd("llama-3.1-8b-instant", 1000, 1000, OPENAI) is None


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
    assert table.source("local") == "persona.toml"


def test_token_counts_are_offline_and_sane() -> None:
    assert count_tokens("hello world") == 2
    assert count_tokens("") == 0
    msgs = [{"role": "user", "content": "hello world"}]
    assert count_messages(msgs) == 2 + 4 + 3
    assert count_messages(msgs, {"type": "object"}) > count_messages(msgs)


def test_estimate_sums_and_prices() -> None:
    planned = [PlannedCall("t", 1000, 500), PlannedCall("t", 3000, 500)]
    est = estimate(planned, model="gpt-4o-mini", prices=OPENAI)
    assert (est.calls, est.input_tokens, est.est_output_tokens) == (2, 4000, 1000)
    assert est.est_cost_usd == pytest.approx((4000 * 0.15 + 1000 * 0.60) / 1e6)
    assert set(est.as_dict()) >= {"calls", "input_tokens", "est_output_tokens", "est_cost_usd"}
    assert est.price_source == f"{PRICE_SOURCE}, provider openai"
    unknown = estimate(planned, model="mystery", prices=OPENAI)
    assert unknown.est_cost_usd is None


def test_plan_call_counts_rendered_prompt_and_schema() -> None:
    short = plan_call(ECHO_PROMPT, {"text": "hi"}, EchoOut, est_output_tokens=50)
    long = plan_call(ECHO_PROMPT, {"text": "hi " * 1000}, EchoOut, est_output_tokens=50)
    assert long.input_tokens - short.input_tokens == pytest.approx(1000, abs=5)
    assert short.task == "echo_task" and short.est_output_tokens == 50


def test_check_budget() -> None:
    prices = PriceTable({"m": ModelPrice(input=1.0, output=1.0)})
    est = estimate([PlannedCall("t", 600_000, 400_000)], model="m", prices=prices)  # $1.00
    check_budget(est, None)
    check_budget(est, 1.0)
    with pytest.raises(BudgetExceededError, match=r"exceeds the budget of \$0.9900"):
        check_budget(est, 0.99)
    no_price = estimate([PlannedCall("t", 10, 10)], model="x", prices=prices)
    with pytest.raises(BudgetExceededError, match=r"price of model 'x' is unknown"):
        check_budget(no_price, 5.0)


def test_config_and_estimate_show_where_prices_come_from(tmp_path) -> None:
    from tests.support.cli import run_cli

    ws = tmp_path / "ws"
    assert run_cli("init", str(ws)).code == 0
    config = run_cli("--workspace", str(ws), "config", "--json").json()
    assert config["price_source"] == PRICE_SOURCE and config["price_provider"] == "openai"
    assert config["prices"]["gpt-4o-mini"] == {
        "input": 0.15,
        "output": 0.6,
        "source": f"{PRICE_SOURCE}, provider openai",
    }
    shown = run_cli("--workspace", str(ws), "config")
    assert f"prices: {PRICE_SOURCE}, provider openai" in shown.stdout
    est = run_cli("--workspace", str(ws), "estimate", "--prompt", str(ECHO_PROMPT))
    assert est.code == 0, est.stderr
    assert f"prices: {PRICE_SOURCE}, provider openai" in est.stdout
    unknown = run_cli("--workspace", str(ws), "config", "--json", env={"PERSONA_MODEL": "qwen3:8b"})
    assert unknown.json()["prices"]["qwen3:8b"]["input"] is None
