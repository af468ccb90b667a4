"""`persona eval`: the report's numbers come from what the model answered."""

from __future__ import annotations

import os

from assistant.eval import THRESHOLD, Reference, load_references, run_eval
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import load_settings
from tests.extract.helpers import EXPECTED_COUNTS, authored_responder
from tests.support.cli import run_cli
from tests.support.store import HashEmbedder

ABSENT = Reference(
    "northwind-cfo", "goal", "The participant wants to book restaurant tables in Japanese by voice."
)
ELSEWHERE = Reference("no-such-interview", "pain", "Month-end close took nine business days.")


def test_replay_reports_every_measure_and_a_missing_reference() -> None:
    """Offline: the bundled recorded answers, embedded with the local model."""
    refs = [*load_references(), ABSENT, ELSEWHERE]
    (report,) = run_eval(load_settings({}), replay=True, references=refs)
    assert (report.mode, report.answered_by, report.interviews) == (
        "replay",
        ["authored-fixture"],
        12,
    )
    assert (report.calls, report.first_try_valid, report.reasks, report.truncations) == (
        12,
        12,
        0,
        0,
    )
    assert report.failed == {}
    assert report.quotes_verified == sum(c["verified"] for c in EXPECTED_COUNTS.values())
    assert report.quotes - report.quotes_verified == sum(
        c["unverified"] + c["note"] + c["unattributed"] for c in EXPECTED_COUNTS.values()
    )
    results = {r.reference: r for r in report.references}
    assert not results[ABSENT].found and results[ABSENT].similarity < THRESHOLD
    assert not results[ELSEWHERE].found and results[ELSEWHERE].closest is None
    assert any("no-such-interview" in n for n in report.notes)
    written = [r for r in report.references if r.reference not in (ABSENT, ELSEWHERE)]
    assert len(written) == 50 and sum(r.found for r in written) >= 45
    assert report.cost_usd is None  # no price for the model the answers carry
    data = report.to_json()
    assert data["references_found"] == round(report.found / 52, 4)
    assert data["schema_valid_first_try"] == 1.0
    lines = "\n".join(report.lines())
    assert f"missing: northwind-cfo: {ABSENT.statement}" in lines


def test_live_run_counts_reasks_truncations_and_cost() -> None:
    """Against the fake server: an answer that does not match the schema, then (after a
    429 and its retry) the re-asked answer cut at the length limit (faults are consumed
    one per request, in order)."""
    with FakeLlmServer(model="gpt-4o-mini", responder=authored_responder()) as server:
        os.environ["OPENAI_API_KEY"] = "test-placeholder"
        server.add_faults("schema_invalid", "rate_limit", "length")
        settings = load_settings(
            {
                "llm": {
                    "base_url": server.base_url,
                    "server": "openai",
                    "max_concurrency": 1,
                    "retry_base_s": 0,
                }
            }
        )
        (report,) = run_eval(settings, ["gpt-4o-mini"], embedder=HashEmbedder())
    assert report.mode == "live" and report.answered_by == ["gpt-4o-mini"]
    assert report.reasks == 1 and report.truncations == 1
    assert report.first_try_valid == report.calls - 1
    assert report.calls + report.unanswered >= 12
    assert report.cost_usd is not None and report.cost_usd > 0
    assert report.latency_ms_mean is not None


def test_cli_json(tmp_path: object) -> None:
    res = run_cli("eval", "--replay", "--json")
    assert res.code == 0, res.stderr
    (model,) = res.json()["models"]
    assert model["mode"] == "replay" and model["calls"] == 12
    assert model["threshold"] == THRESHOLD and len(model["references"]) == 50
