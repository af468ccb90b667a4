"""run_structured against the fake server: methods, usage, re-asks, retries, length."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.output_caps import output_cap
from assistant.llm.runlog import RunLog
from assistant.llm.task_results import Checked
from assistant.llm.tasks import (
    EndpointError,
    InvalidOutputError,
    OutputLengthError,
    run_structured,
)
from assistant.llm.tokens import FORMAT_RESERVE, count_messages
from assistant.settings import Settings
from tests.llm.helpers import ECHO_PROMPT, EchoOut, echo_object

VARS = {"text": "Hello there, general Kenobi."}


def run(settings: Settings, workspace=None, runlog=None):
    return asyncio.run(
        run_structured(
            "echo_task",
            ECHO_PROMPT,
            VARS,
            EchoOut,
            settings=settings,
            workspace=workspace,
            runlog=runlog,
        )
    )


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_each_method_round_trips(
    method: str, fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    fake_server.responder = echo_object
    value, usage = run(make_settings(structured_output=method))
    assert value == EchoOut(title="Greeting", language="en", keywords=["hello"])
    body = fake_server.requests[0].body
    if method == "json_schema":
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["strict"] is True
    elif method == "function_calling":
        assert (
            body["tool_choice"]["function"]["name"] == "EchoOut" and "response_format" not in body
        )
    else:
        assert body["response_format"] == {"type": "json_object"}
        assert '"keywords"' in body["messages"][0]["content"]  # the schema is in the prompt
    assert usage.attempts == 1


def test_live_run_logs_the_servers_token_counts(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    _value, usage = run(make_settings(), workspace=workspace)
    reported = fake_server.usage_log[0]
    assert (usage.input_tokens, usage.output_tokens) == (
        reported["prompt_tokens"],
        reported["completion_tokens"],
    )
    (call,) = RunLog(workspace.conn).calls()
    assert call["input_tokens"] == reported["prompt_tokens"]
    assert call["output_tokens"] == reported["completion_tokens"]
    expected = (reported["prompt_tokens"] * 0.15 + reported["completion_tokens"] * 0.60) / 1e6
    assert call["cost_usd"] == pytest.approx(expected)
    assert call["status"] == "ok" and call["fixture"] is False and call["model"] == "gpt-4o-mini"
    assert call["prompt_file"].endswith("echo_task.md") and len(call["prompt_version"]) == 12
    key = fake_server.requests[0].headers["x-persona-fixture-key"]
    assert key == call["fixture_key"] == f"echo_task:{call['input_hash']}:EchoOut"


def test_unknown_model_price_is_logged_as_null(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    _, usage = run(make_settings(model="local-llama"), workspace=workspace)
    assert usage.cost_usd is None
    (call,) = RunLog(workspace.conn).calls()
    assert call["cost_usd"] is None and call["input_tokens"] > 0


@pytest.mark.parametrize("fault", ["schema_invalid", "malformed_json"])
def test_reask_with_the_validation_error(
    fault: str, fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    fake_server.add_faults(fault)
    value, usage = run(make_settings(), workspace=workspace)
    assert isinstance(value, EchoOut)
    assert fake_server.request_count == 2 and usage.attempts == 2
    assert usage.input_tokens == sum(u["prompt_tokens"] for u in fake_server.usage_log)
    reask = fake_server.requests[1].body["messages"]
    assert reask[-1]["role"] == "user" and "rejected" in reask[-1]["content"]
    if fault == "schema_invalid":
        assert "title: Field required" in reask[-1]["content"]
    assert reask[-2]["role"] == "assistant"  # the bad reply is shown back
    statuses = [c["status"] for c in RunLog(workspace.conn).calls()]
    assert statuses == ["invalid_output", "ok"]


def test_reasks_are_bounded(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    fake_server.add_faults("schema_invalid", "schema_invalid", "schema_invalid", "schema_invalid")
    with pytest.raises(InvalidOutputError, match=r"task 'echo_task'.*after 2 re-asks") as err:
        run(make_settings(max_reasks=2))
    assert fake_server.request_count == 3 and err.value.usage.attempts == 3


LONG = {"text": "Hello there, general Kenobi. " * 200}  # ~1,400 tokens: above the 1,000 floor


def run_long(settings: Settings, **kw: Any) -> tuple[EchoOut, Any]:
    return asyncio.run(
        run_structured("echo_task", ECHO_PROMPT, LONG, EchoOut, settings=settings, **kw)
    )


def _first_request_tokens(fake_server: FakeLlmServer) -> int:
    body = fake_server.requests[0].body
    return count_messages(body["messages"], body["response_format"]["json_schema"]["schema"])


def test_a_reask_above_the_prompt_budget_is_not_sent(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    """The re-ask carries the prompt, the bad reply and the correction: when that is above
    [llm] max_prompt_tokens it is not sent, and the error says why."""
    run_long(make_settings())
    limit = (
        _first_request_tokens(fake_server) + FORMAT_RESERVE + 5
    )  # the prompt fits, prompt + reply does not
    fake_server.requests.clear()
    fake_server.add_faults("schema_invalid")
    with pytest.raises(InvalidOutputError, match=r"not asked again: the re-ask .* would send"):
        run_long(make_settings(max_prompt_tokens=limit))
    assert fake_server.request_count == 1
    fake_server.requests.clear()
    fake_server.add_faults("schema_invalid")
    value, _ = run_long(make_settings(max_prompt_tokens=limit + 400))  # room: asked again
    assert isinstance(value, EchoOut) and fake_server.request_count == 2


def test_a_check_whose_reask_is_above_the_budget_keeps_the_answer_and_says_so(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    def check(value: EchoOut) -> Checked[EchoOut]:
        return Checked(value.model_copy(update={"keywords": []}), ['keyword "hello" unknown'])

    fake_server.responder = echo_object
    run_long(make_settings())
    limit = _first_request_tokens(fake_server) + FORMAT_RESERVE + 5
    fake_server.requests.clear()
    warnings: list[str] = []
    value, _ = run_long(make_settings(max_prompt_tokens=limit), check=check, warnings=warnings)
    assert fake_server.request_count == 1 and value.keywords == []
    assert 'keyword "hello" unknown' in warnings
    assert any(w.startswith("not asked again: the re-ask") for w in warnings), warnings


def test_rate_limit_honours_retry_after(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    fake_server.add_faults("rate_limit")  # Retry-After: 1
    start = time.perf_counter()
    _value, usage = run(make_settings(retry_base_s=0.0), workspace=workspace)
    assert time.perf_counter() - start >= 1.0
    assert fake_server.request_count == 2 and usage.attempts == 2
    calls = RunLog(workspace.conn).calls()
    assert [c["status"] for c in calls] == ["rate_limited", "ok"]
    assert calls[0]["input_tokens"] == 0 and calls[0]["cost_usd"] == 0.0


def test_server_error_is_retried(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    fake_server.add_faults("server_error", "server_error")
    run(make_settings(), workspace=workspace)
    assert [c["status"] for c in RunLog(workspace.conn).calls()] == [
        "server_error",
        "server_error",
        "ok",
    ]


def test_timeout_is_retried(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    fake_server.timeout_sleep_s = 1.5
    fake_server.add_faults("timeout")
    _value, _usage = run(make_settings(timeout_s=0.4), workspace=workspace)
    calls = RunLog(workspace.conn).calls()
    assert [c["status"] for c in calls] == ["timeout", "ok"]
    assert calls[0]["input_tokens"] is None and calls[0]["cost_usd"] is None  # unknown, not 0
    assert 300 <= calls[0]["latency_ms"] < 1400


def test_retries_are_bounded(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    fake_server.add_faults(*["server_error"] * 5)
    with pytest.raises(EndpointError, match=r"HTTP 500.*after 2 retries"):
        run(make_settings(max_retries=2))
    assert fake_server.request_count == 3


def test_length_is_a_clear_error_without_retry(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace
) -> None:
    fake_server.add_faults("length")
    with pytest.raises(OutputLengthError) as err:
        run(make_settings(max_output_tokens=64), workspace=workspace)
    message = str(err.value)
    assert "echo_task" in message and "64 tokens" in message and "max_output_tokens" in message
    assert fake_server.request_count == 1
    (call,) = RunLog(workspace.conn).calls()
    assert (
        call["status"] == "length"
        and call["output_tokens"] == fake_server.usage_log[0]["completion_tokens"]
    )


def test_auto_picks_function_calling_for_llama_cpp_python(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    fake_server.owned_by = "me"  # what llama-cpp-python's /v1/models says
    run(make_settings())
    body = fake_server.requests[0].body
    assert "tools" in body and "response_format" not in body
    # llama-cpp-python ignores max_completion_tokens: the task's cap goes in max_tokens.
    assert "max_completion_tokens" not in body
    settings = make_settings()
    assert body["max_tokens"] == output_cap(settings, "echo_task", count_messages(body["messages"]))


def test_auto_picks_json_schema_for_llama_server(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    fake_server.owned_by = "llamacpp"
    run(make_settings())
    assert fake_server.requests[0].body["response_format"]["type"] == "json_schema"


def test_request_carries_no_secret_in_body(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings]
) -> None:
    run(make_settings(api_key="body-check-key"))
    assert fake_server.requests[0].headers["authorization"] == "Bearer body-check-key"
    assert "body-check-key" not in json.dumps(fake_server.requests[0].body)
