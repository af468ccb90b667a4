"""[llm] settings: defaults < persona.toml < environment; the key only from the env."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from assistant.errors import UsageError
from assistant.settings import MASK, explain_settings, load_settings
from tests.support.cli import run_cli


def test_precedence_default_toml_env(monkeypatch: pytest.MonkeyPatch) -> None:
    toml = {"llm": {"model": "toml-model", "max_concurrency": 3, "budget_usd": 1.5}}
    s = load_settings(toml)
    assert (s.llm.model, s.llm.max_concurrency, s.llm.budget_usd) == ("toml-model", 3, 1.5)
    assert s.llm.structured_output == "auto" and s.llm.temperature == 0.0
    monkeypatch.setenv("PERSONA_MODEL", "env-model")
    monkeypatch.setenv("PERSONA_MAX_CONCURRENCY", "9")
    monkeypatch.setenv("PERSONA_STRUCTURED_OUTPUT", "function_calling")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    s = load_settings(toml)
    assert s.llm.model == "env-model"
    assert s.llm.max_concurrency == 9
    assert s.llm.structured_output == "function_calling"
    assert s.llm.base_url == "http://127.0.0.1:9/v1"
    assert s.llm.budget_usd == 1.5  # not overridden: the toml value stays
    sources = {v.key: v.source for v in explain_settings(toml)}
    assert sources["llm.model"] == "env:PERSONA_MODEL"
    assert sources["llm.budget_usd"] == "persona.toml"
    assert sources["llm.timeout_s"] == "default"


def test_existing_sections_still_load() -> None:
    s = load_settings({"chroma": {"port": 9000}})
    assert s.chroma.port == 9000 and s.embeddings.model_name == "all-MiniLM-L6-v2"
    assert load_settings().llm.model == "gpt-4o-mini"


def test_api_key_is_secret_from_env_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "secret-value-123")
    s = load_settings({})
    assert isinstance(s.llm.api_key, SecretStr)
    assert "secret-value-123" not in repr(s) and "secret-value-123" not in str(s.model_dump())
    shown = {v.key: v for v in explain_settings({})}["llm.api_key"]
    assert (shown.value, shown.source) == (MASK, "env:OPENAI_API_KEY")
    with pytest.raises(UsageError, match="OPENAI_API_KEY"):
        load_settings({"llm": {"api_key": "in-the-file"}})


def test_bad_values_name_their_source(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match=r"persona.toml: \[llm.structured_output\]"):
        load_settings({"llm": {"structured_output": "xml"}})
    monkeypatch.setenv("PERSONA_MAX_CONCURRENCY", "zero")
    with pytest.raises(UsageError, match="PERSONA_MAX_CONCURRENCY"):
        load_settings({})
    monkeypatch.delenv("PERSONA_MAX_CONCURRENCY")
    with pytest.raises(UsageError, match=r"unknown_key|extra"):
        load_settings({"llm": {"unknown_key": 1}})


def test_price_override_in_toml() -> None:
    s = load_settings({"llm": {"prices": {"my-model": {"input": 1.0, "output": 2.0}}}})
    assert s.llm.prices["my-model"].output == 2.0


def test_config_cli_json_shows_sources(tmp_path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws)).code == 0
    (ws / "persona.toml").write_text(
        '[llm]\nmodel = "toml-model"\nbudget_usd = 2.0\n'
        '[llm.prices."toml-model"]\ninput = 1.0\noutput = 3.0\n',
        encoding="utf-8",
    )
    env = {"OPENAI_API_KEY": "cli-secret-abc", "PERSONA_BUDGET_USD": "4.5"}
    res = run_cli("--workspace", str(ws), "config", "--json", env=env)
    assert res.code == 0, res.stderr
    data = res.json()
    by_key = {item["key"]: item for item in data["settings"]}
    assert by_key["llm.model"] == {
        "key": "llm.model",
        "value": "toml-model",
        "source": "persona.toml",
    }
    assert by_key["llm.budget_usd"]["value"] == 4.5
    assert by_key["llm.budget_usd"]["source"] == "env:PERSONA_BUDGET_USD"
    assert by_key["llm.api_key"]["value"] == MASK
    assert data["prices"]["toml-model"] == {"input": 1.0, "output": 3.0, "source": "persona.toml"}
    assert set(data["prices"]) == {"toml-model"}  # the configured model and the overrides
    assert data["price_source"].startswith("genai-prices ")
    assert "cli-secret-abc" not in res.stdout + res.stderr
