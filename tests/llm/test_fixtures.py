"""Recorded fixtures: record against the fake server, replay offline, loud misses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.llm.cassettes import MissingFixtureError
from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.runlog import RunLog
from assistant.llm.tasks import run_structured
from assistant.settings import Settings, load_settings
from tests.llm.helpers import CASSETTES, ECHO_PROMPT, EchoOut, copy_prompt, echo_object
from tests.llm.record_authored import AUTHORED_INPUT

VARS = {"text": "Recorded once, replayed forever."}


def call(settings: Settings, prompt: Path = ECHO_PROMPT, variables=VARS, workspace=None):
    return asyncio.run(
        run_structured(
            "echo_task", prompt, variables, EchoOut, settings=settings, workspace=workspace
        )
    )


def replay_settings(cassettes: Path) -> Settings:
    return load_settings({"llm": {"mode": "replay", "cassette_dir": str(cassettes)}})


def record(tmp_path: Path, server: FakeLlmServer, make_settings: Callable[..., Settings]) -> Path:
    cassettes = tmp_path / "cassettes"
    settings = make_settings(mode="record", cassette_dir=str(cassettes))
    call(settings)
    assert server.request_count == 1
    return cassettes


def test_record_then_replay_offline(
    tmp_path: Path, fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    fake_server.model = "authored-fixture"
    fake_server.responder = echo_object
    cassettes = record(tmp_path, fake_server, make_settings)
    assert [p.name for p in cassettes.iterdir()] == ["echo_task.json"]
    fake_server.stop()  # nothing to talk to any more: replay must not need it
    value, usage = call(replay_settings(cassettes), workspace=workspace)
    assert value == EchoOut(title="Greeting", language="en", keywords=["hello"])
    assert usage.fixture and usage.model == "authored-fixture"
    (row,) = RunLog(workspace.conn).calls()
    assert row["fixture"] is True and row["model"] == "authored-fixture"
    assert row["cost_usd"] is None  # an authored fixture has no price


def test_cassette_is_readable_and_scrubbed(
    tmp_path: Path, fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    cassettes = record(tmp_path, fake_server, make_settings)
    data = json.loads((cassettes / "echo_task.json").read_text(encoding="utf-8"))
    (interaction,) = data["interactions"]
    request, response = interaction["request"], interaction["response"]
    assert request["uri"] == "https://recorded.invalid/v1/chat/completions"
    assert {k.lower() for k in request["headers"]} == {"content-type", "x-persona-fixture-key"}
    assert request["body"]["json"]["messages"][1]["role"] == "user"  # parsed, not a string
    assert response["body"]["json"]["object"] == "chat.completion"
    assert set(response["headers"]) <= {"Content-Type", "content-type"}


def test_rewording_the_prompt_keeps_the_fixture(
    tmp_path: Path, fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    cassettes = record(tmp_path, fake_server, make_settings)
    reworded = copy_prompt(tmp_path, "Please be brief.")
    value, _ = call(replay_settings(cassettes), prompt=reworded)
    assert isinstance(value, EchoOut)


def test_changed_input_is_a_loud_miss(
    tmp_path: Path, fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    cassettes = record(tmp_path, fake_server, make_settings)
    with pytest.raises(MissingFixtureError) as err:
        call(replay_settings(cassettes), variables={"text": "something new"}, workspace=workspace)
    message = str(err.value)
    assert "task 'echo_task'" in message
    assert err.value.key.startswith("echo_task:") and err.value.key.endswith(":EchoOut")
    assert err.value.key in message
    assert f"persona --record {cassettes}" in message
    (row,) = RunLog(workspace.conn).calls()
    assert row["status"] == "missing_fixture"


def test_changed_schema_is_a_miss(
    tmp_path: Path, fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    cassettes = record(tmp_path, fake_server, make_settings)

    class OtherOut(EchoOut):
        """Same fields, another schema name."""

    with pytest.raises(MissingFixtureError, match=":OtherOut"):
        asyncio.run(
            run_structured(
                "echo_task", ECHO_PROMPT, VARS, OtherOut, settings=replay_settings(cassettes)
            )
        )


def test_replay_of_the_committed_authored_cassette(workspace) -> None:
    value, usage = call(replay_settings(CASSETTES), variables=AUTHORED_INPUT, workspace=workspace)
    assert value == EchoOut(title="Greeting", language="en", keywords=["hello"])
    assert usage.model == "authored-fixture" and usage.fixture
    assert usage.input_tokens > 0  # the recorded usage, not zero


def test_replay_is_the_default_bundled_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERSONA_LLM_MODE", "replay")
    value, _ = call(load_settings({}), variables=AUTHORED_INPUT)
    assert value.title == "Greeting"


@pytest.mark.vcr
def test_pytest_recording_cassette(
    fake_server: FakeLlmServer,
    make_settings: Callable[..., Settings],
    request: pytest.FixtureRequest,
) -> None:
    """Replayed by pytest-recording (re-record: --record-mode=rewrite, against the fake server)."""
    fake_server.model = "authored-fixture"
    fake_server.responder = echo_object
    value, usage = call(make_settings(server="openai"))
    assert value.keywords == ["hello"] and usage.model == "authored-fixture"
    if request.config.getoption("--record-mode") == "none":
        assert fake_server.request_count == 0  # answered from the cassette
