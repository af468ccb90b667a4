"""`persona extract --batch` and `persona batch ...` against the fake server's Batch API."""

from __future__ import annotations

from typing import Any

from assistant.llm.fake_server import FakeLlmServer
from assistant.workspace import Workspace
from tests.extract.helpers import EXPECTED_COUNTS, authored_responder
from tests.extract.helpers import batch_env as _env
from tests.support.cli import run_cli


def test_submit_then_collect_from_a_later_process_stores_what_sync_stores(
    corpus_ws: Workspace,
) -> None:
    """Each command is its own process: the batch id is found again in the workspace."""
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch_polls=1
    ) as server:
        env = _env(server)
        sub = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env)
        assert sub.code == 0, sub.stderr
        assert "at the batch price" in sub.stderr
        batch = sub.json()
        assert batch["requests"] >= 12 and batch["task"] == "extract_interview"
        status = run_cli("-w", root, "batch", "status", batch["id"], "--json", env=env)
        assert status.json()[0]["status"] == "in_progress"
        collected = run_cli("-w", root, "batch", "collect", batch["id"], "--json", env=env)
        assert collected.code == 0, collected.stderr
        rows = collected.json()
        assert server.request_count == batch["requests"]  # answered once, in the batch
    assert {r["status"] for r in rows} == {"extracted"}
    for r in rows:  # exactly what the synchronous path stores (tests/extract/test_replay_corpus)
        want = EXPECTED_COUNTS[r["interview_id"]]
        assert (r["insights"], r["verified"], r["unverified"], r["note"]) == (
            want["insights"],
            want["verified"],
            want["unverified"],
            want["note"],
        )
    calls = corpus_ws.conn.execute(
        "SELECT method, status FROM llm_calls WHERE run_id = (SELECT run_id FROM llm_batches)"
    ).fetchall()
    assert len(calls) == batch["requests"] and {(c[0], c[1]) for c in calls} == {("batch", "ok")}
    kept = corpus_ws.conn.execute("SELECT status FROM llm_batches").fetchone()[0]
    assert kept == "collected"


def test_failed_lines_are_retried_synchronously(corpus_ws: Workspace) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(),
        model="authored-fixture",
        batch_failed_lines=frozenset({0, 3}),
    ) as server:
        env = _env(server)
        batch = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env).json()
        res = run_cli("-w", root, "batch", "collect", batch["id"], "--json", env=env)
        assert res.code == 0, res.stderr
        assert "2 failed batch lines retried synchronously" in res.stderr
        assert server.request_count == batch["requests"]  # 2 failed + 2 retried
    assert {r["status"] for r in res.json()} == {"extracted"}


def test_expired_lines_are_reported_per_interview_without_retry(corpus_ws: Workspace) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch_expire_after=10
    ) as server:
        env = _env(server)
        batch = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env).json()
        res = run_cli("-w", root, "batch", "collect", batch["id"], "--no-retry", "--json", env=env)
    assert res.code == 1
    rows = {r["interview_id"]: r for r in res.json()}
    failed = [r for r in rows.values() if r["status"] == "failed"]
    assert len(failed) == batch["requests"] - 10
    assert all("expired" in r["error"] for r in failed)
    assert sum(r["status"] == "extracted" for r in rows.values()) == len(rows) - len(failed)
    assert "persona extract" in res.stderr


def test_a_server_without_batch_api_offers_the_sync_path_and_leaves_nothing(
    corpus_ws: Workspace,
) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch=False
    ) as server:
        res = run_cli("-w", root, "extract", "--all", "--batch", env=_env(server))
        assert res.code == 1
        assert "no Batch API" in res.stderr and "without --batch" in res.stderr
        assert server.files == {} and server.batches == {} and server.request_count == 0
    rows = corpus_ws.conn.execute("SELECT COUNT(*) FROM llm_batches").fetchone()[0]
    assert rows == 0


def test_cancel(corpus_ws: Workspace) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch_polls=5
    ) as server:
        env = _env(server)
        batch = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env).json()
        res = run_cli("-w", root, "batch", "cancel", batch["id"], "--json", env=env)
        assert res.code == 0, res.stderr
        assert res.json()["status"] == "cancelled"


def test_a_batch_line_echoing_a_speaker_in_another_case_is_repaired_and_reported(
    corpus_ws: Workspace,
) -> None:
    """No re-ask is possible in a batch: the unambiguous repair is made and said."""
    authored = authored_responder()
    changed: list[str] = []

    def respond(body: dict[str, Any]) -> dict[str, Any] | str:
        answer = authored(body)
        assert isinstance(answer, dict)
        if not changed and answer.get("insights"):
            first = answer["insights"][0]
            changed.append(first["speaker"])
            first["speaker"] = first["speaker"].upper()
        return answer

    root = str(corpus_ws.root)
    with FakeLlmServer(responder=respond, model="authored-fixture") as server:
        env = _env(server)
        batch = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env).json()
        collected = run_cli("-w", root, "batch", "collect", batch["id"], "--json", env=env)
        assert collected.code == 0, collected.stderr
    (speaker,) = changed
    warned = [w for r in collected.json() for w in r["warnings"]]
    assert f'speaker "{speaker.upper()}" read as "{speaker}"' in warned


def test_a_submit_whose_answer_was_lost_is_found_again_not_paid_twice(
    corpus_ws: Workspace,
) -> None:
    """The provider made the batch, the answer never came (a crash, a cut connection): the
    workspace kept the submit before the call, `batch status` finds the batch by its input
    file, and it is collected as usual. The create call is not retried (a second batch)."""
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch_lost_creates=1
    ) as server:
        env = {**_env(server), "PERSONA_LLM_MAX_RETRIES": "2"}
        sub = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env)
        assert sub.code == 1
        assert "the batch may exist" in sub.stderr and "persona batch status" in sub.stderr
        assert len(server.batches) == 1  # made once, never again
        kept = corpus_ws.conn.execute("SELECT id, status FROM llm_batches").fetchall()
        assert [tuple(r) for r in kept] == [(kept[0][0], "submitting")]
        again = run_cli("-w", root, "extract", "--all", "--batch", env=env)  # finds it first
        assert again.code == 2, again.stderr
        assert "had created batch batch_fake_1" in again.stderr
        assert "already in a batch not collected yet" in again.stderr
        assert len(server.batches) == 1
        status = run_cli("-w", root, "batch", "status", "--json", env=env)
        assert status.code == 0, status.stderr
        (row,) = status.json()
        assert row["id"] == "batch_fake_1" and row["status"] == "completed"
        collected = run_cli("-w", root, "batch", "collect", "batch_fake_1", "--json", env=env)
        assert collected.code == 0, collected.stderr
    assert {r["status"] for r in collected.json()} == {"extracted"}
    run = corpus_ws.conn.execute("SELECT run_id FROM llm_batches").fetchone()[0]
    calls = corpus_ws.conn.execute("SELECT COUNT(*) FROM llm_calls WHERE run_id = ?", (run,))
    assert calls.fetchone()[0] == row["requests"]


def test_a_submit_the_provider_never_made_is_cleared_with_its_file(corpus_ws: Workspace) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch_failed_creates=1
    ) as server:
        env = _env(server)
        sub = run_cli("-w", root, "extract", "--all", "--batch", env=env)
        assert sub.code == 1 and "the batch may exist" in sub.stderr
        assert server.batches == {} and len(server.files) == 1
        status = run_cli("-w", root, "batch", "status", "--json", env=env)
        assert status.code == 0, status.stderr
        assert "never became a batch" in status.stderr and status.json() == []
        assert server.files == {}  # the uploaded requests are deleted
        resubmit = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env)
        assert resubmit.code == 0, resubmit.stderr
        assert resubmit.json()["id"] == "batch_fake_1"


def test_interviews_waiting_in_a_batch_are_not_submitted_twice(corpus_ws: Workspace) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(
        responder=authored_responder(), model="authored-fixture", batch_polls=5
    ) as server:
        env = _env(server)
        first = run_cli("-w", root, "extract", "--all", "--batch", "--json", env=env)
        assert first.code == 0, first.stderr
        second = run_cli("-w", root, "extract", "--all", "--batch", env=env)
        assert second.code == 2
        assert "already in a batch not collected yet" in second.stderr
        assert f"(batch {first.json()['id']})" in second.stderr
        assert len(server.batches) == 1
        run_cli("-w", root, "batch", "cancel", first.json()["id"], env=env)
        third = run_cli("-w", root, "extract", "--all", "--batch", env=env)
        assert third.code == 0, third.stderr  # a cancelled batch no longer holds them
