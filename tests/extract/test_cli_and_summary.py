"""CLI shapes (extract, insights, summarize), partial failure and retry, batch summary."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.extract import select_interviews, summarize
from assistant.llm.fake_server import FakeLlmServer
from assistant.workspace import Workspace
from tests.extract.helpers import AUTHORED, CASSETTES, authored_responder
from tests.support.cli import run_cli
from tests.support.corpus import replay_settings

REPLAY_ENV = {"PERSONA_LLM_MODE": "replay", "PERSONA_CASSETTE_DIR": str(CASSETTES)}
EXTRACT_KEYS = {"interview_id", "status", "insights", "verified", "unverified", "error"}
EVIDENCE_KEYS = {"quote", "status", "match", "score", "turn", "speaker", "start", "end"}


def test_partial_failure_then_retry_alone(corpus_ws: Workspace) -> None:
    root = str(corpus_ws.root)
    with FakeLlmServer(responder=authored_responder(), model="authored-fixture") as server:
        env = {
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "test-key-not-secret",
            "PERSONA_MAX_CONCURRENCY": "1",  # jobs go out in id order: the first one fails
            "PERSONA_LLM_MAX_RETRIES": "0",
            "PERSONA_MAX_OUTPUT_TOKENS": "16000",
        }
        server.add_faults("server_error")
        res = run_cli("-w", root, "extract", "--all", "--json", env=env)
        assert res.code == 1, res.stderr
        rows = res.json()
        assert all(set(r) >= EXTRACT_KEYS for r in rows)
        failed = [r for r in rows if r["status"] == "failed"]
        assert [r["interview_id"] for r in failed] == ["brightline-ceo"]
        assert "500" in failed[0]["error"] or "server" in failed[0]["error"].lower()
        assert sum(r["status"] == "extracted" for r in rows) == 11
        assert "estimate: 12 calls" in res.stderr
        assert "persona extract brightline-ceo" in res.stderr
        retry = run_cli("-w", root, "extract", "brightline-ceo", "--json", env=env)
        assert retry.code == 0, retry.stderr
        (row,) = retry.json()
        assert row["status"] == "extracted" and row["verified"] == 45
        assert server.request_count == 13


def test_insights_and_summarize_json(extracted_ws: Workspace, tmp_path: Path) -> None:
    root = str(extracted_ws.root)
    extracted_ws.close()
    res = run_cli(
        "-w", root, "insights", "--interview", "northwind-cfo", "--kind", "pain", "--json"
    )
    assert res.code == 0, res.stderr
    items = res.json()
    assert items and {i["kind"] for i in items} == {"pain"}
    for item in items:
        assert {
            "id",
            "interview_id",
            "kind",
            "statement",
            "speaker",
            "dmu_role",
            "evidence",
        } <= set(item)
        assert all(set(e) >= EVIDENCE_KEYS for e in item["evidence"])
    out = tmp_path / "summary.md"
    res = run_cli("-w", root, "summarize", "--all", "--out", str(out), env=REPLAY_ENV)
    assert res.code == 0, res.stderr
    assert "## Evidence check" in out.read_text(encoding="utf-8")
    res = run_cli("-w", root, "summarize", "--all", "--json", env=REPLAY_ENV)
    assert res.code == 0, res.stderr
    data = res.json()
    assert len(data["interviews"]) == 12 and data["model"] == "authored-fixture"
    assert data["summary"]["headline"]
    bad = run_cli("-w", root, "summarize", "--all", "--tag", "x")
    assert bad.code == 2


def test_summarize_through_replay(extracted_ws: Workspace) -> None:
    ids = select_interviews(extracted_ws)
    result = summarize(extracted_ws, replay_settings(), ids)
    authored = json.loads((AUTHORED / "summarize_interviews" / "all.json").read_text("utf-8"))
    assert result.summary.headline == authored["headline"]
    assert result.usage.model == "authored-fixture" and result.usage.fixture
    assert len(result.quote_checks) == len(authored["notable_quotes"])
    assert all(ev.status == "verified" for _, ev in result.quote_checks)
    assert result.unknown_ids == []
    assert result.markdown.startswith(authored["markdown"].rstrip()[:40])
    assert "Notable quotes verified against their transcripts: 10 of 10." in result.markdown
    northwind = select_interviews(extracted_ws, company="northwind logistics")
    assert northwind == ["northwind-ap-manager", "northwind-cfo"]
