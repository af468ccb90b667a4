"""`persona demo` runs offline end to end (sockets are blocked for the subprocess too)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run_cli

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "authored" / "expected_counts.json"


def test_demo_no_tui_prints_summary(tmp_path: Path) -> None:
    res = run_cli("demo", "--no-tui", "--dir", str(tmp_path / "d"))
    assert res.code == 0, res.stderr[-2000:]
    assert "Drafts for review:" in res.stderr and "Exports:" in res.stderr
    assert res.stdout.startswith("# ")  # the batch summary Markdown
    assert (tmp_path / "d" / "exports" / "index.md").is_file()


def test_demo_json_offline(tmp_path: Path) -> None:
    # An unroutable endpoint: the demo must not need any LLM server.
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "HF_HUB_OFFLINE": "1"}
    res = run_cli("demo", "--dir", str(tmp_path / "demo"), "--json", env=env)
    assert res.code == 0, res.stderr[-2000:]
    report = res.json()
    assert report["ingest"]["ingested"] == 12 and report["ingest"]["failed"] == 0
    assert all(s["hits"] for s in report["searches"])
    expected = json.loads(EXPECTED.read_text())
    ex = report["extraction"]
    assert ex["interviews"] == len(expected)
    assert ex["unverified"] == sum(v["unverified"] for v in expected.values())
    assert ex["verified"] == sum(v["verified"] for v in expected.values())
    assert report["markdown"].startswith("# ")
    assert (tmp_path / "demo" / ".persona" / "persona.db").is_file()
    # The whole pipeline: every step replayed, drafts for review, exports written.
    assert not report["failed"]
    assert {s["step"] for s in report["analysis"]["steps"]} >= {
        "themes",
        "personas",
        "icp",
        "messaging",
    }
    drafts = report["drafts"]
    assert drafts["theme"] and drafts["icp"] and drafts["messaging"]
    assert len(drafts["persona"]) >= 4  # one per DMU role present
    assert "of 5 interviewed accounts fit" in report["icp_fit"]
    files = set(report["exports"]["files"])
    assert {"index.md", "icp.md", "evidence.md", "insights.csv", "export.json"} <= files
    assert any(f.startswith("personas/") for f in files)


def test_demo_refuses_existing_workspace(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path)).code == 0
    res = run_cli("demo", "--no-tui", "--dir", str(tmp_path))
    assert res.code == 2
    assert "already holds a workspace" in res.stderr


def test_cli_in_the_demo_workspace_says_a_live_model_is_needed(tmp_path: Path) -> None:
    """CLI commands in the demo's workspace replay the recordings; a request with no
    recording (summarize) fails in the demo's plain words: no cassette folder, no --record."""
    from assistant.demo import NEEDS_LIVE_MODEL, is_demo_workspace, prepare_demo_workspace
    from assistant.resources import bundled_path

    root = prepare_demo_workspace(tmp_path / "demo")
    assert is_demo_workspace(root)
    ws = ("-w", str(root))
    assert run_cli(*ws, "ingest", str(root / "interviews" / "brightline-ceo.txt")).code == 0
    extract = run_cli(*ws, "extract", "brightline-ceo")  # recorded: replayed, no key needed
    assert extract.code == 0, extract.stderr
    for args in (("summarize", "brightline-ceo"), ("summarize", "brightline-ceo", "--json")):
        res = run_cli(*ws, *args)
        assert res.code != 0
        shown = res.stdout + res.stderr
        assert NEEDS_LIVE_MODEL in shown, shown
        for leak in (
            "--record",
            "no recorded LLM response",
            "cassettes",
            str(bundled_path("fixtures")),
        ):
            assert leak not in shown, shown
