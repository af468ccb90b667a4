"""Two `persona` processes on one workspace: one writer at a time, nothing overwritten.

Two ingests whose files share stems, an ingest during an analyze, two analyzes:
real subprocesses started together against the fake server.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.support.robustness import Env, write_interviews

pytestmark = pytest.mark.slow


def test_two_ingests_with_colliding_stems_keep_every_file(env: Env) -> None:
    a = write_interviews(env.root / "a", 10, stem="interview", tag=" alpha")
    b = write_interviews(env.root / "b", 10, stem="interview", tag=" beta")
    first = env.popen("ingest", str(env.root / "a"), "--json")
    second = env.popen("ingest", str(env.root / "b"), "--json")
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    results = json.loads(out1) + json.loads(out2)
    assert sum(r["status"] == "ingested" for r in results) == 20
    ids = [r["interview_id"] for r in results]
    assert len(set(ids)) == 20  # no id handed out twice
    assert env.count("SELECT COUNT(*) FROM interviews") == len(a) + len(b)
    assert "waiting" in err1 + err2  # the second writer said it waited
    chroma = {c["name"]: c for c in json.loads(env.run("doctor", "--json").stdout)}["chroma"]
    assert chroma["ok"], chroma


def test_no_wait_fails_at_once_while_another_process_writes(env: Env) -> None:
    write_interviews(env.root / "a", 30)
    writer = env.popen("ingest", str(env.root / "a"))
    deadline = time.monotonic() + 120
    while env.server.embedding_requests < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    write_interviews(env.root / "b", 1, tag=" other")
    busy = env.run("--no-wait", "ingest", str(env.root / "b"))
    reader = env.run("interviews", "--json")  # readers never take the lock
    still_writing = writer.poll() is None
    writer.communicate(timeout=300)
    assert reader.returncode == 0, reader.stderr
    assert still_writing  # the reader answered while the writer held the lock
    assert busy.returncode == 2
    assert "another persona process is ingesting in this workspace (pid" in busy.stderr
    assert writer.returncode == 0


def test_ingest_during_analyze_waits_and_loses_nothing(env: Env) -> None:
    write_interviews(env.root / "a", 6)
    assert env.run("ingest", str(env.root / "a")).returncode == 0
    analyze = env.popen("analyze", "--json")
    deadline = time.monotonic() + 120
    while env.server.request_count < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    write_interviews(env.root / "b", 3, tag=" later")
    ingest = env.run("ingest", str(env.root / "b"))
    _out, err = analyze.communicate(timeout=300)
    assert analyze.returncode == 0, err
    assert ingest.returncode == 0, ingest.stderr
    assert "another persona process is analyzing in this workspace" in ingest.stderr
    assert env.count("SELECT COUNT(*) FROM interviews") == 9
    assert env.count("SELECT COUNT(*) FROM analyses WHERE status = 'ok'") == 6


def test_two_analyzes_pay_for_the_pipeline_once(env: Env) -> None:
    write_interviews(env.root / "a", 6)
    assert env.run("ingest", str(env.root / "a")).returncode == 0
    one = env.popen("analyze", "--json")
    two = env.popen("analyze", "--json")
    out1, err1 = one.communicate(timeout=400)
    out2, err2 = two.communicate(timeout=400)
    assert one.returncode == 0 and two.returncode == 0, err1 + err2
    calls = json.loads(out1)["calls"] + json.loads(out2)["calls"]
    assert min(json.loads(out1)["calls"], json.loads(out2)["calls"]) == 0
    assert env.server.request_count == calls
    assert env.count("SELECT COUNT(*) FROM analyses WHERE status = 'ok'") == 6
