"""Strict persona.toml: unknown sections and keys are errors with a did-you-mean,
and the template of `persona init` documents every section and key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from assistant.errors import UsageError
from assistant.settings import Settings, config_template, explain_settings, load_settings
from tests.support.cli import run_cli


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"embeding": {"provider": "local"}},
            "unknown section [embeding]: did you mean 'embeddings'?",
        ),
        ({"llm": {"modle": "x"}}, "unknown key 'modle' in [llm]: did you mean 'mode' or 'model'?"),
        ({"extract": {"window_token": 10}}, "in [extract]: did you mean 'window_tokens'?"),
        (
            {"llm": {"prices": {"m": {"inptu": 1, "output": 2}}}},
            "unknown key 'inptu' in [llm.prices.\"m\"]: did you mean 'input'?",
        ),
        ({"zzz": {}}, f"unknown section [zzz]: known: {', '.join(sorted(Settings.model_fields))}"),
    ],
)
def test_unknown_names_are_errors_with_a_suggestion(data: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as err:
        load_settings(data)
    assert message in str(err.value)


def test_every_unknown_name_is_reported_at_once() -> None:
    with pytest.raises(UsageError) as err:
        load_settings({"embeding": {}, "chroma": {"prot": 1}})
    assert "[embeding]" in str(err.value) and "'prot' in [chroma]" in str(err.value)


def _uncommented(template: str) -> str:
    """The template with every commented-out setting and table turned on."""
    lines = []
    for line in template.splitlines():
        m = re.match(r'^# ((?:[a-z_]+ = .+)|(?:\[[a-z_.]+(?:\."[^"]+")?\](?:  #.*)?))$', line)
        lines.append(m[1] if m else line)
    return "\n".join(lines)


def test_template_lists_every_section_and_key_and_each_value_loads() -> None:
    template = config_template()
    data = tomllib.loads(_uncommented(template))
    assert set(data) == set(Settings.model_fields)
    for name, field in Settings.model_fields.items():
        model = field.annotation
        assert isinstance(model, type)
        documented = set(data[name])
        assert documented == set(model.model_fields) - {"api_key"}, name
    settings = load_settings(data)  # every documented value is valid
    assert settings.extract.window_tokens == 6000
    assert tomllib.loads(template) == {name: {} for name in Settings.model_fields}


def test_config_shows_every_section() -> None:
    sections = {v.key.split(".")[0] for v in explain_settings({})}
    assert sections == set(Settings.model_fields)
    assert {"extract.window_tokens", "extract.fuzzy_threshold"} <= {
        v.key for v in explain_settings({})
    }


def test_misspelled_section_fails_config_and_other_commands(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws)).code == 0
    (ws / "persona.toml").write_text('[embeding]\nprovider = "local"\n', encoding="utf-8")
    for args in (
        ["config"],
        ["estimate"],
        ["search", "close"],
        ["extract", "--all"],
        ["analyze"],
        ["tui"],
    ):
        res = run_cli("--workspace", str(ws), *args)
        assert res.code == 2, (args, res.stdout, res.stderr)
        assert "did you mean 'embeddings'?" in res.stderr, (args, res.stderr)
