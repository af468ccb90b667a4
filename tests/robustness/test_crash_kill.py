"""SIGKILL `persona analyze`, `persona ingest` and `persona reindex` at several points.

After each kill, the next command must find: every paid answer kept (a re-run
asks only for what is missing), no duplicate interview or insight, vectors and
rows agreeing by chunk id, and the killed run closed as ``interrupted``.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.support.robustness import Env, kill_when, write_interviews

pytestmark = pytest.mark.slow


def _doctor_chroma(env: Env) -> dict[str, object]:
    res = env.run("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(res.stdout)}
    return checks["chroma"]


def _assert_vectors_agree(env: Env) -> None:
    chroma = _doctor_chroma(env)
    assert chroma["ok"], chroma
    assert "orphan" not in str(chroma["detail"])


@pytest.mark.parametrize("kill_after", [1, 5, 9])
def test_kill_analyze_after_n_calls_keeps_every_paid_answer(env: Env, kill_after: int) -> None:
    write_interviews(env.root / "in", 10)
    assert env.run("ingest", str(env.root / "in")).returncode == 0
    proc = env.popen("analyze")
    kill_when(proc, lambda: env.server.request_count >= kill_after + 1)
    first = env.server.request_count
    kept = env.count("SELECT COUNT(*) FROM llm_answers")
    assert kept >= kill_after - 2  # answered calls in flight at the kill may be lost, no more
    assert env.count("SELECT COUNT(*) FROM runs WHERE status = 'running'") == 1

    res = env.run("analyze", "--json")
    assert res.returncode == 0, res.stderr
    statuses = [r["status"] for r in env.db().execute("SELECT status FROM runs ORDER BY rowid")]
    assert statuses[0] == "interrupted", statuses
    # The re-run asked only for what the killed run had not kept.
    extraction_jobs = 10
    second = env.server.request_count - first
    report = json.loads(res.stdout)
    assert report["steps"][0]["calls"] == extraction_jobs - min(kept, extraction_jobs)
    assert second == report["calls"]
    # No duplicates: one analysis per interview, insight ids unique by construction.
    assert env.count("SELECT COUNT(*) FROM analyses WHERE status = 'ok'") == 10
    assert env.count("SELECT COUNT(*) FROM interviews") == 10
    assert env.count("SELECT COUNT(*) - COUNT(DISTINCT key) FROM review_items") == 0


@pytest.mark.parametrize("kill_at", ["first_embedding", "last_embedding", "mid_write"])
def test_kill_ingest_at_several_points_then_next_ingest_repairs(env: Env, kill_at: str) -> None:
    files = write_interviews(env.root / "in", 40)
    proc = env.popen("ingest", str(env.root / "in"))
    if kill_at == "first_embedding":
        kill_when(proc, lambda: env.server.embedding_requests >= 1)
    elif kill_at == "last_embedding":
        kill_when(proc, lambda: env.server.embedding_requests >= 4)
    else:  # the last embedding answered (0.3 s latency): the process is writing
        seen: list[float] = []

        def writing() -> bool:
            if env.server.embedding_requests >= 4 and not seen:
                seen.append(time.monotonic())
            return bool(seen) and time.monotonic() - seen[0] > 0.4

        kill_when(proc, writing)
    res = env.run("ingest", str(env.root / "in"))
    assert res.returncode == 0, res.stderr
    assert env.count("SELECT COUNT(*) FROM interviews") == len(files)
    assert env.count("SELECT COUNT(DISTINCT source_path) FROM interviews") == len(files)
    _assert_vectors_agree(env)


def test_kill_ingest_while_replacing_vectors_then_next_ingest_repairs(env: Env) -> None:
    """Killed after old vectors were deleted and new ones written, before the commit."""
    write_interviews(env.root / "in", 12)
    assert env.run("ingest", str(env.root / "in")).returncode == 0
    write_interviews(env.root / "in", 12, tag=" changed")  # every file changes
    before = env.server.embedding_requests
    proc = env.popen("ingest", str(env.root / "in"))
    seen: list[float] = []

    def writing() -> bool:
        if env.server.embedding_requests > before and not seen:
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] > 0.45

    kill_when(proc, writing)
    res = env.run("ingest", str(env.root / "in"))
    assert res.returncode == 0, res.stderr
    assert env.count("SELECT COUNT(*) FROM interviews") == 12
    _assert_vectors_agree(env)
    hits = env.run("search", "changed reconciliation", "--json")
    assert hits.returncode == 0 and "keyword-only" not in hits.stderr


def test_kill_reindex_never_leaves_an_empty_index(env: Env) -> None:
    write_interviews(env.root / "in", 30)
    assert env.run("ingest", str(env.root / "in")).returncode == 0
    vectors = env.count("SELECT COUNT(*) FROM chunks WHERE embedded = 1")
    before = env.server.embedding_requests
    proc = env.popen("reindex")
    kill_when(proc, lambda: env.server.embedding_requests >= before + 2)
    chroma = _doctor_chroma(env)
    assert chroma["ok"], chroma
    assert f"{vectors} vectors for {vectors} embedded chunks" in str(chroma["detail"])
    search = env.run("search", "reconciliation NetSuite")
    assert search.returncode == 0 and "keyword-only" not in search.stderr
    res = env.run("reindex")
    assert res.returncode == 0, res.stderr
    _assert_vectors_agree(env)
