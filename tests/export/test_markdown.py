"""Markdown export: cards, ICP one-pager, messaging, themes, evidence appendix, index."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant import db
from assistant.export import export_workspace, load_bundle
from assistant.export.data import ICP_CRITERIA_META
from assistant.review import add_claim, get_item, list_items
from assistant.workspace import Workspace
from tests.support.export import USER_CLAIM, first_verified


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _line(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_markdown_files_and_sections(items_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = export_workspace(items_ws, ["md"], out)
    rel = sorted(str(p.relative_to(out.resolve())) for p in files)
    pages = [r for r in rel if r.startswith("interviews/")]
    assert len(pages) == 12  # one page per interview
    rel = [r for r in rel if r not in pages]
    assert rel == [
        "evidence.md",
        "icp.md",
        "index.md",
        "messaging/champion-chris--economic-buyer.md",
        "personas/champion-chris.md",
        "personas/economic-erin.md",
        "themes.md",
    ]  # the rejected persona is left out
    card = _read(out / "personas" / "champion-chris.md")
    for heading in ("# Champion Chris", "## DMU role", "## Goals", "## Challenges", "## Sources"):
        assert heading in card
    assert "**Role:** champion" in card
    assert "**Review status:** draft" in card and "(1 assumption)" in card
    goal = _line(card, first_verified(items_ws, "northwind-cfo").statement)
    assert goal.startswith("- ✅ supported — ") and "2 interviews, 2 accounts" in goal
    assert "ASSUMPTION" not in goal
    channels = _line(card, "Listens to finance podcasts")
    assert "**ASSUMPTION**" in channels and "0 interviews, 0 accounts" in channels
    assert "✅" not in channels
    erin = _read(out / "personas" / "economic-erin.md")
    assert "**Role:** economic buyer" in erin and "**Review status:** approved" in erin


def test_footnotes_reach_the_evidence_appendix(items_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_workspace(items_ws, ["md"], out)
    card = _read(out / "personas" / "champion-chris.md")
    evidence = _read(out / "evidence.md")
    notes = re.findall(r"^\[\^(\d+)\]: “(.+?)” — .*\]\(\.\./evidence\.md#(e\d+)\)$", card, re.M)
    assert len(notes) >= 2
    for _, quote, anchor in notes:
        entry = _line(evidence, f'id="{anchor}"')
        assert quote in entry and "✓ verified" in entry
        assert re.search(r"turn \d+, chars \d+–\d+", entry)
    # an insight-only link points at every quote of that insight
    cedar = first_verified(items_ws, "cedar-ridge-controller")
    marks = re.findall(r"\[\^(\d+)\]", _line(card, cedar.statement))
    quotes = {q for n, q, _ in notes if n in marks}
    assert quotes == {e["quote"] for e in cedar.evidence}


def test_icp_one_pager(items_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_workspace(items_ws, ["md"], out)
    icp = _read(out / "icp.md")
    for heading in (
        "# Mid-market finance teams in the US Midwest",
        "## Firmographics",
        "## Challenges and goals",
        "## Tech stack",
        "## Behaviours",
        "## Disqualifiers (anti-ICP)",
        "## Neighbourhoods",
        "## Evidence base",
        "## Caveats",
    ):
        assert heading in icp, heading
    assert "**Sample:** 12 interviews across 5 accounts" in icp
    # criteria read from the draft: region US Midwest, tool NetSuite
    assert "Finance teams that outgrew spreadsheets." in icp and "## Summary" not in icp
    assert "- ⚠️ **ASSUMPTION** (no verified evidence) — Finance teams that outgrew" in icp
    fit = _line(icp, "**Fit:**")
    assert "2 of 5 interviewed accounts fit the ICP as drafted" in fit
    assert "region ∈ {US Midwest}; tech stack ∈ {NetSuite}; criteria read from" in fit
    assert "**ASSUMPTION**" in _line(icp, "No AP department")
    assert "correlation, not cause" in icp


def test_messaging_themes_and_index(items_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_workspace(items_ws, ["md", "json"], out)
    msg = _read(out / "messaging" / "champion-chris--economic-buyer.md")
    assert "**Persona:** Champion Chris" in msg and "**Role:** economic buyer" in msg
    assert "## Email" in msg and "  three days, not nine." in msg
    assert "**ASSUMPTION**" in msg
    assert "# Slow month-end close" in _read(out / "themes.md").replace("## ", "# ")
    index = _read(out / "index.md")
    assert "Drafts are drafts" in index
    assert "(personas/champion-chris.md)" in index and "(export.json)" in index
    assert "| extraction | authored-fixture |" in index
    assert "| persona | authored-fixture | test-v1 |" in index
    assert "1 rejected item" in index
    assert "## Empty parts" not in index


def test_user_claim_is_an_assumption(items_ws: Workspace, tmp_path: Path) -> None:
    item = next(i for i in list_items(items_ws, "persona") if i.key == "persona:champion")
    add_claim(items_ws, item.id, "channels", USER_CLAIM)
    assert get_item(items_ws, item.id).claims()[-1].status == "assumption"
    out = tmp_path / "out"
    export_workspace(items_ws, ["md"], out)
    line = _line(_read(out / "personas" / "champion-chris.md"), USER_CLAIM)
    assert "**ASSUMPTION**" in line and "added by a reviewer" in line


def test_nothing_generated_exports_what_exists(extracted_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = export_workspace(extracted_ws, ["md"], out)
    top = {p.name for p in files if p.parent.name != "interviews"}
    assert top == {"index.md", "icp.md", "themes.md", "evidence.md"}
    assert sum(p.parent.name == "interviews" for p in files) == 12
    index = _read(out / "index.md")
    assert "## Empty parts" in index and "no persona drafts" in index
    assert "no insights" not in index
    assert "No ICP draft yet" in _read(out / "icp.md")
    assert 'id="e1"' in _read(out / "evidence.md")


def test_empty_workspace(workspace: Workspace, tmp_path: Path) -> None:
    files = export_workspace(workspace, ["all"], tmp_path / "out")
    assert files
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "no interviews" in index and "no insights" in index
    assert "No quotes yet" in (tmp_path / "out" / "evidence.md").read_text(encoding="utf-8")


def test_icp_uses_the_generators_stored_criteria(items_ws: Workspace, tmp_path: Path) -> None:
    with db.transaction(items_ws.conn):
        db.set_meta(items_ws.conn, ICP_CRITERIA_META, json.dumps({"tech_stack": ["Okta"]}))
    export_workspace(items_ws, ["md", "json"], tmp_path)
    fit = _line(_read(tmp_path / "icp.md"), "**Fit:**")
    assert "3 of 5 interviewed accounts fit" in fit and "criteria of the ICP draft" in fit
    bundle = load_bundle(_read(tmp_path / "export.json"))
    assert bundle.icp_criteria == {"tech_stack": ["Okta"]}
    assert bundle.icp_fit is not None and len(bundle.icp_fit.fitting) == 3
