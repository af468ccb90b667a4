"""Faults end in plain words and bounded time; server text never carries the key out.

Real HTTP against the fake server on 127.0.0.1: a key-echoing 400, an HTML page,
a hanging server and a dead port.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.errors import PersonaError
from assistant.llm.answers import AnswerStore
from assistant.llm.fake_server import FakeLlmServer, dead_port_url
from assistant.llm.runlog import RunLog
from assistant.llm.tasks import BatchResult, StructuredJob, run_batch
from assistant.secrets import REDACTED, scrub
from assistant.settings import Settings
from assistant.workspace import Workspace
from tests.llm.helpers import ECHO_PROMPT, EchoOut

# Split so the tracked text never holds a string shaped like a real API key.
KEY = "sk-" + "proj-h12echo0123456789abcdefSECRET"


def jobs(n: int, tag: str = "t") -> list[StructuredJob[EchoOut]]:
    return [
        StructuredJob("echo_task", ECHO_PROMPT, {"text": f"{tag}{i}"}, EchoOut) for i in range(n)
    ]


def run(settings: Settings, ws: Workspace, n: int = 3, **kw: object) -> BatchResult[EchoOut]:
    notes: list[str] = kw.pop("notes", [])  # type: ignore[assignment]
    return asyncio.run(
        run_batch(jobs(n), settings=settings, workspace=ws, notice=notes.append, **kw)  # type: ignore[arg-type]
    )


def test_scrub_removes_configured_key_and_bearer_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "plain-configured-value-42")
    text = (
        "Authorization: Bearer abcdefghijklmnop1234 and plain-configured-value-42 "
        '{"x-api-key": "zzzzzzzzzz99"} sk-' + "live-0123456789abcdef"
    )
    out = scrub(text)
    for secret in ("abcdefghijklmnop1234", "plain-configured-value-42", "zzzzzzzzzz99", "sk-live"):
        assert secret not in out
    assert out.count(REDACTED) == 4
    # ordinary words stay: "bearer bonds" is not a token, KEYCLOAK_REALM is not configured
    monkeypatch.setenv("KEYCLOAK_REALM", "verified")
    assert scrub("bearer bonds were verified") == "bearer bonds were verified"


def test_key_echoed_by_server_is_never_printed_logged_or_stored(
    fake_server: FakeLlmServer,
    make_settings: Callable[..., Settings],
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_server.fault = "echo_key"
    settings = make_settings(api_key=KEY)
    batch = run(settings, workspace, n=2)
    assert fake_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    errors = [str(r.error) for r in batch.results]
    assert all("HTTP 400" in e for e in errors), errors
    dump = "\n".join(workspace.conn.iterdump())
    assert KEY not in dump and "h12echo" not in dump
    assert all(KEY not in e and "h12echo" not in e for e in errors)
    out = capsys.readouterr()
    assert KEY not in out.out + out.err


def test_html_reply_names_url_and_content_type_and_stops_the_batch(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace: Workspace
) -> None:
    fake_server.fault = "html"
    with pytest.raises(PersonaError) as info:
        run(make_settings(), workspace, n=4)
    message = str(info.value)
    assert "did not answer like an OpenAI-compatible API (got text/html)" in message
    assert fake_server.base_url in message
    assert fake_server.request_count <= 4  # no retries of a reply that cannot change


def test_dead_port_fails_fast_after_one_retry_per_batch(
    make_settings: Callable[..., Settings], workspace: Workspace
) -> None:
    url = dead_port_url()
    settings = make_settings(base_url=url, max_retries=3, max_concurrency=1)
    start = time.monotonic()
    with pytest.raises(PersonaError) as info:
        run(settings, workspace, n=10)
    took = time.monotonic() - start
    assert f"cannot connect to {url}" in str(info.value)
    calls = RunLog(workspace.conn).calls()
    assert len(calls) == 2, calls  # the first attempt and one retry: not 4 per item
    assert took < 20  # generous; the point is 2 attempts, not 40
    (run_row,) = RunLog(workspace.conn).runs()
    assert run_row["status"] == "failed" and url in run_row["note"]


def test_hanging_server_is_cut_at_the_deadline_with_waiting_lines(
    fake_server: FakeLlmServer,
    make_settings: Callable[..., Settings],
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.llm import session

    monkeypatch.setattr(session, "WAIT_NOTICE_S", (1.0, 2.0))
    fake_server.fault = "hang"
    fake_server.hang_s = 30
    notes: list[str] = []
    settings = make_settings(timeout_s=2.5, max_retries=3, max_concurrency=2)
    start = time.monotonic()
    with pytest.raises(PersonaError) as info:
        run(settings, workspace, n=6, notes=notes)
    took = time.monotonic() - start
    assert "timed out" in str(info.value)
    # One deadline per call and one retry for the batch took 2.9 s (2026-11-30);
    # a retry per call would take ~30 s. The bound is 5x the measured time.
    assert took < 15, took
    assert any(n.startswith("waiting for the model (1 s)…") for n in notes), notes


def test_answers_are_kept_as_they_arrive_and_a_rerun_sends_only_the_missing(
    fake_server: FakeLlmServer, make_settings: Callable[..., Settings], workspace: Workspace
) -> None:
    settings = make_settings(max_concurrency=1, max_retries=0)
    # The first job never gets a valid reply (re-asks used up): two answers are paid for.
    fake_server.add_faults("schema_invalid", "schema_invalid", "schema_invalid")
    first = asyncio.run(
        run_batch(
            [*jobs(1, "bad"), *jobs(2, "good")],
            settings=settings.model_copy(
                update={"llm": settings.llm.model_copy(update={"max_reasks": 2})}
            ),
            workspace=workspace,
            notice=None,
        )
    )
    assert [r.status for r in first.results] == ["failed", "ok", "ok"]
    assert AnswerStore(workspace.conn).count("echo_task") == 2
    before = fake_server.request_count
    again = asyncio.run(
        run_batch(
            [*jobs(1, "bad"), *jobs(2, "good")], settings=settings, workspace=workspace, notice=None
        )
    )
    assert [r.status for r in again.results] == ["ok", "ok", "ok"]
    assert fake_server.request_count - before == 1  # only the missing answer was asked for
    assert again.reused == 2


def test_runs_of_a_killed_process_are_closed_as_interrupted(workspace: Workspace) -> None:
    log = RunLog(workspace.conn)
    run_id = log.start_run("extract_interview")
    workspace.conn.execute("UPDATE runs SET pid = 2147480000 WHERE id = ?", (run_id,))
    root = workspace.root
    workspace.close()
    reopened = Workspace(Path(root))
    (row,) = RunLog(reopened.conn).runs(run_id)
    assert row["status"] == "interrupted"
    reopened.close()


def test_recorded_cassettes_never_hold_an_echoed_key(
    tmp_path: Path,
    fake_server: FakeLlmServer,
    make_settings: Callable[..., Settings],
    workspace: Workspace,
) -> None:
    fake_server.add_faults("echo_key")  # the first request's 400 echoes the key; then answers
    cassettes = tmp_path / "cassettes"
    settings = make_settings(api_key=KEY, mode="record", cassette_dir=str(cassettes))
    run(settings, workspace, n=2)
    files = [p for p in cassettes.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert b"h12echo" not in path.read_bytes(), path
