"""`persona analyze --json` on the sample corpus through replay, network blocked."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.generate import AnalyzeReport
from tests.support.cli import run_cli

BLOCKED = {
    "PERSONA_LLM_MODE": "replay",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HF_HUB_OFFLINE": "1",
}


def test_analyze_cli_replay_then_nothing(extracted_template: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(extracted_template, ws)
    first = run_cli("-w", str(ws), "analyze", "--json", env=BLOCKED)
    assert first.code == 0, first.stderr
    data = first.json()
    assert [s["step"] for s in data["steps"]] == [
        "extract",
        "themes",
        "personas",
        "icp",
        "messaging",
    ]
    assert data["calls"] == 14 and data["estimate"]["calls"] >= 14
    second = run_cli("-w", str(ws), "analyze", "--json", env=BLOCKED)
    assert second.code == 0, second.stderr
    again = second.json()
    assert again["calls"] == 0 and again["estimate"]["calls"] == 0
    assert all(s["status"] == "skipped" for s in again["steps"])
    icp = run_cli("-w", str(ws), "icp", "--json", env=BLOCKED)
    assert icp.code == 0, icp.stderr
    named = icp.json()
    segments = run_cli("-w", str(ws), "segments", "--json").json()["segments"]
    assert named["segment"] in {s["name"] for s in segments}
    assert sum(f["accounts"] for f in named["fit_by_segment"].values()) == 5


def test_report_shape(generated: tuple[Path, AnalyzeReport]) -> None:
    data = generated[1].to_json()
    assert data["calls"] == 14
    assert {s["step"]: s["status"] for s in data["steps"]}["messaging"] == "ran"
