"""The study context in prompts: what is said, what is never printed, b2c/internal schemas."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from assistant.demo import SAMPLE_STUDY
from assistant.extract.pipeline import _plan
from assistant.llm.prompts import load_prompt
from assistant.llm.schemas import strict_json_schema, strict_schema_problems
from assistant.schemas import (
    EXTRACTION_MODELS,
    GENERATION_MODELS,
    InterviewAnalysis,
    StudyInterviewAnalysis,
)
from assistant.settings import StudySettings, load_settings
from assistant.study import study_block
from assistant.workspace import Workspace
from tests.support.cli import run_cli
from tests.support.corpus import CASSETTES

NEVER_PRINTED = re.compile(r"\bNone\b|: null\b|\(null\)|\$[a-z_]+")
"""A Python None, a null value or a placeholder printed by code (data lines included)."""
DATA = re.compile(r"<(\w+)>\n.*?\n</\1>", re.S)
"""A delimited data block (transcript, insights, statistics...): what participants said."""


def sent_messages() -> list[tuple[str, str]]:
    """(cassette, message text) of every request recorded in the bundled cassettes."""
    out = []
    for path in sorted(CASSETTES.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["interactions"]:
            for message in item["request"]["body"]["json"]["messages"]:
                out.append((path.name, str(message["content"])))
    return out


def test_study_block_says_unset_values_in_words() -> None:
    text = study_block(StudySettings())
    assert "None" not in text and "null" not in text
    assert "Product: not named" in text and "B2B" in text
    assert "decision" not in text.lower().split("interviews with")[0]
    full = study_block(StudySettings.model_validate(SAMPLE_STUDY))
    assert full.startswith("Product: Tallyflow: Accounts-payable automation")
    assert "The research serves this decision: Which customer segment" in full
    consumer = study_block(StudySettings(product="Brewly", audience="b2c"))
    assert "consumers (B2C)" in consumer and "no company buying committee" in consumer


def test_every_recorded_prompt_states_the_study_and_prints_no_none_null_or_docs() -> None:
    messages = sent_messages()
    assert len(messages) > 40
    tasks = {name for name, _ in messages}
    assert {"extract_interview.json", "draft_icp.json", "draft_messaging.json"} <= tasks
    for name, text in messages:
        if name == "echo_task.json":
            continue
        bad = NEVER_PRINTED.findall(text.split("<transcript>")[0])
        assert not bad, (name, bad)
        # Instructions never point at documents the model cannot see (data may say "docs").
        assert not re.search(r"\bdocs?\b", DATA.sub("", text)), name
    systems = [t for n, t in messages if n != "echo_task.json" and "Product: Tallyflow" in t]
    assert len(systems) >= len(tasks) - 1  # every task's prompt names the product


@pytest.mark.parametrize("model", [*EXTRACTION_MODELS, *GENERATION_MODELS])
def test_schemas_point_at_nothing_the_model_cannot_see(model: type) -> None:
    text = json.dumps(strict_json_schema(model))
    assert not re.search(r"\bdocs?\b", text)
    assert strict_schema_problems(model) == []


def test_extraction_schema_is_at_most_half_of_what_it_was() -> None:
    from assistant.llm.tokens import count_tokens

    tokens = count_tokens(json.dumps(strict_json_schema(InterviewAnalysis), separators=(",", ":")))
    assert tokens <= 2650 // 2  # 2,674 tokens before $defs and tighter descriptions
    fields = strict_json_schema(InterviewAnalysis)["properties"]
    assert list(fields) == ["summary", "insights", "company_facts", "buying_process"]


@pytest.mark.parametrize("audience", ["b2c", "internal"])
def test_consumer_and_internal_extraction_asks_for_no_buying_roles_or_company_facts(
    corpus_ws: Workspace, audience: str
) -> None:
    settings = load_settings({"study": {"product": "Brewly", "audience": audience}})
    targets, _ = _plan(corpus_ws, settings, ["northwind-cfo"], True)
    (job,) = targets[0].jobs
    assert job.output_model is StudyInterviewAnalysis
    schema = json.dumps(strict_json_schema(job.output_model))
    assert "dmu_role" not in schema and "company_facts" not in schema
    assert "buying decision" not in schema
    rendered = load_prompt(job.prompt_file).render(job.variables)
    prompt = rendered.system
    assert "Product: Brewly" in prompt
    assert "Company facts" not in prompt and "decision role" not in prompt
    assert "Decision: how they came to" in prompt
    b2b, _ = _plan(corpus_ws, load_settings({}), ["northwind-cfo"], True)
    assert b2b[0].jobs[0].output_model is InterviewAnalysis
    assert "decision role" in load_prompt(job.prompt_file).render(b2b[0].jobs[0].variables).system


def test_init_writes_the_study_from_flags(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    result = run_cli(
        "init", str(target), "--product", "Brewly", "--audience", "b2c",
        "--decision", "Which flavour to launch first.", "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    data = tomllib.loads((target / "persona.toml").read_text(encoding="utf-8"))
    study = load_settings(data).study
    assert (study.product, study.audience, study.description) == ("Brewly", "b2c", None)
    assert study.decision == "Which flavour to launch first."
    bad = run_cli("init", str(tmp_path / "other"), "--audience", "consumers")
    assert bad.code == 2 and "b2b, b2c, internal" in bad.stderr
    plain = run_cli("init", str(tmp_path / "plain"))  # not a terminal: no questions
    assert plain.code == 0, plain.stderr
    text = (tmp_path / "plain" / "persona.toml").read_text(encoding="utf-8")
    assert load_settings(tomllib.loads(text)).study == StudySettings()
    assert "[study]" in text and "\n# product = " in text  # documented, not set


def test_init_asks_for_the_study_on_a_terminal() -> None:
    """The questions `persona init` asks on a terminal (flags given are not asked again)."""
    import typer
    from typer.testing import CliRunner

    from assistant.cli.workspace_cmds import _ask

    got: dict[str, object] = {}
    app = typer.Typer()

    @app.command()
    def main() -> None:
        got.update(
            _ask({"product": None, "description": "Kegs", "audience": None, "decision": None})
        )

    result = CliRunner().invoke(app, [], input="Brewly\nconsumers\nb2c\n\n")
    assert result.exit_code == 0, result.output
    assert "What it does" not in result.output  # given as a flag
    assert result.output.count("Interviews with: b2b, b2c or internal") == 2  # re-asked
    assert got == {"product": "Brewly", "description": "Kegs", "audience": "b2c", "decision": None}
