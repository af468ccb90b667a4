"""Everything extracted is visible: show, show --json, Markdown pages, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.export import collect_export_data, write_export
from assistant.extract.store import BUYING_PROCESS_FIELDS
from assistant.workspace import Workspace
from tests.studies import CLAIMS, studies_workspace
from tests.support.cli import run_cli

FIELDS = [name for name, _ in BUYING_PROCESS_FIELDS]


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with studies_workspace(tmp_path_factory.mktemp("visible")) as (ws, _):
        yield ws


def test_show_json_carries_summary_facts_and_buying_process(studies: Workspace) -> None:
    run = run_cli("-w", str(studies.root), "show", "acme-manager", "--json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["account"]["name"] == "Acme Dental Group"
    analysis = data["analysis"]
    assert analysis["summary"].startswith("A practice manager")
    assert analysis["company_facts"][0]["value"] == "Dentrix"
    assert analysis["company_facts"][0]["evidence"][0]["status"] == "verified"
    bp = analysis["buying_process"]
    assert set(FIELDS) <= set(bp)
    assert bp["trigger"]["evidence"][0]["status"] == "verified"
    timeline = bp["timeline"]["evidence"][0]
    assert timeline["status"] == "unverified" and timeline["reason"]
    assert [s["name_or_title"] for s in bp["stakeholders"]] == ["Helen, CFO", "Raj, IT lead"]
    assert len(data["insights"]) == 2


def test_show_text_lists_every_buying_process_field(studies: Workspace) -> None:
    out = run_cli("-w", str(studies.root), "show", "acme-manager").stdout
    for _, heading in BUYING_PROCESS_FIELDS:
        assert f"  {heading}:" in out
    assert "Helen, CFO (economic_buyer): signs off on every new tool" in out
    assert '✗ unverified: "We decided within a quarter."' in out
    assert "Alternatives considered: (not said)" in out
    assert "## Summary" in out and "## Company facts (1)" in out


def test_exports_carry_everything(studies: Workspace, tmp_path: Path) -> None:
    data = collect_export_data(studies)
    write_export(data, ["all"], tmp_path)
    page = (tmp_path / "interviews" / "acme-manager.md").read_text("utf-8")
    for _, heading in BUYING_PROCESS_FIELDS:
        assert f"**{heading}:**" in page
    assert "## Summary" in page and "## Company facts" in page and "**pain**" in page
    assert CLAIMS in page and "(../evidence.md#e" in page
    evidence = (tmp_path / "evidence.md").read_text("utf-8")
    section = evidence.split("## Quotes not verified, and why")[1]
    assert "We lose every Friday afternoon to denied claims." in section
    assert "We decided within a quarter." in section and "buying process, timeline" in section
    assert section.count("why:") == section.count("- `")
    bundle = json.loads((tmp_path / "export.json").read_text("utf-8"))
    acme = next(a for a in bundle["analyses"] if a["interview_id"] == "acme-manager")
    assert set(FIELDS) <= set(acme["buying_process"]) and acme["summary"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "buying_process.csv").read_text("utf-8"))))
    fields = {r["field"] for r in rows if r["interview_id"] == "acme-manager"}
    assert {"trigger", "evaluation_criteria", "stakeholders", "timeline"} <= fields
    assert any(r["status"] == "unverified" and r["reason"] for r in rows)
    interviews = list(csv.DictReader(io.StringIO((tmp_path / "interviews.csv").read_text("utf-8"))))
    assert {r["company"] for r in interviews} == {
        "Acme Dental Group",
        "Bright Smiles",
        "Globex Freight",
        "Initech Haulage",
    }
    assert all(r["summary"] for r in interviews)
