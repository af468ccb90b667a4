"""Sizing worksheet: TAM, SAM, SOM from the user's counts and the ICP fit rate; bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import db
from assistant.errors import UsageError
from assistant.export import collect_export_data, write_export
from assistant.sizing import compute_sizing, parse_input
from assistant.workspace import Workspace
from tests.studies import studies_workspace
from tests.support.cli import run_cli

SHEET = """\
currency: USD
obtainable_share: 5%
segments:
  - name: "Segment 1: dental clinics"
    companies: 12000
    acv: $9,000
  - name: "Segment 2: trucking"
    companies: 3000
    acv: 60k
"""


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with studies_workspace(tmp_path_factory.mktemp("sizing"), themes=True) as (ws, _):
        yield ws


def test_tam_sam_som_with_every_assumption(studies: Workspace, tmp_path: Path) -> None:
    db.set_meta(studies.conn, "generate.icp.criteria", '{"industry": ["Trucking"]}')
    sheet = tmp_path / "sizing.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    run = run_cli("-w", str(studies.root), "sizing", str(sheet), "--json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["tam"] == 12000 * 9000 + 3000 * 60000
    assert data["sam"] == 3000 * 60000  # dental: 0 of 2 fit; trucking: 2 of 2
    assert data["som"] == pytest.approx(0.05 * 3000 * 60000)
    assert data["assumptions"]["companies"] == "user"
    text = run_cli("-w", str(studies.root), "sizing", str(sheet)).stdout
    assert "12,000 companies (your count) × ACV 9,000 (your figure)" in text
    assert "fit rate 0% (measured: 0 of 2 interviewed accounts fit)" in text
    assert "obtainable share 5.0% (your assumption)" in text


def test_flags_and_export_with_the_icp(studies: Workspace, tmp_path: Path) -> None:
    db.set_meta(studies.conn, "generate.icp.criteria", '{"industry": ["Trucking"]}')
    run = run_cli(
        "-w", str(studies.root), "sizing", "--companies", "1000", "--acv", "$10k", "--share", "0.1"
    )
    assert run.code == 0, run.stderr
    assert "1,000 companies (your count)" in run.stdout
    assert "whole sample's fit rate" in run.stdout  # "all" is no segment of ours
    data = collect_export_data(studies)
    assert data.bundle.sizing is not None and data.bundle.sizing["tam"] == 10_000_000
    write_export(data, ["md"], tmp_path)
    icp = (tmp_path / "icp.md").read_text("utf-8")
    assert "## Market size (TAM, SAM, SOM)" in icp and "**the user's assumptions**" in icp
    assert "## Segments" in icp and "The ICP sits in **Segment 2: trucking**" in icp


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        (
            {"segments": [{"name": "x", "companies": -5, "acv": 10}], "obtainable_share": "5%"},
            "segments\\[0\\].companies: must be 0 or more, got -5",
        ),
        (
            {"segments": [{"name": "x", "acv": 10}], "obtainable_share": "5%"},
            "segments\\[0\\].companies: missing — how many companies are in 'x'",
        ),
        ({"segments": [{"name": "x", "companies": 5, "acv": 10}]}, "obtainable_share: missing"),
        (
            {"segments": [{"name": "x", "companies": 5, "acv": "lots"}], "obtainable_share": 0.1},
            "acv: no number in 'lots'",
        ),
        (
            {
                "segments": [{"companies": 5, "acv": "€1k"}, {"companies": 5, "acv": "$1k"}],
                "obtainable_share": 0.1,
            },
            "is in USD but the worksheet is in EUR",
        ),
        ({"segments": [{"companies": 5, "acv": 1}], "obtainable_share": "150%"}, "at most 100%"),
        ({"segments": [], "obtainable_share": 0.1}, "give at least one segment"),
    ],
)
def test_bad_worksheets_are_clear(sheet: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_input(sheet, "sizing.yaml")


def test_no_icp_yet_is_clear(studies: Workspace) -> None:
    studies.conn.execute("DELETE FROM workspace_meta WHERE key = 'generate.icp.criteria'")
    sheet = parse_input({"segments": [{"companies": 5, "acv": 1}], "obtainable_share": 0.1}, "f")
    with pytest.raises(UsageError, match="no ICP fit criteria yet: run `persona icp` first"):
        compute_sizing(studies, sheet)
