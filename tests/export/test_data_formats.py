"""JSON round-trip, CSV tables, determinism and what the export may touch."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from assistant.errors import UsageError
from assistant.export import collect_export_data, export_workspace, load_bundle, parse_formats
from assistant.extract import list_insights
from assistant.extract.store import StoredInsight
from assistant.icp_stats import IcpStatistics
from assistant.review import ClaimDraft, ReviewItem, list_items, upsert_generated
from assistant.workspace import Workspace
from tests.support.export import PROV


def test_json_round_trips_through_the_models(items_ws: Workspace, tmp_path: Path) -> None:
    export_workspace(items_ws, ["json"], tmp_path)
    text = (tmp_path / "export.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    items = [ReviewItem.model_validate(i) for i in raw["review_items"]]
    stored = list_items(items_ws, annotate=False)  # the export holds stored content
    assert items == sorted(stored, key=lambda i: (i.kind, i.key, i.id))
    assert len(items) == 6 and any(c.status == "assumption" for i in items for c in i.claims())
    insights = TypeAdapter(list[StoredInsight]).validate_python(raw["insights"])
    assert insights == list_insights(items_ws) and len(insights) > 100
    stats = IcpStatistics.model_validate(raw["icp_statistics"])
    assert stats == collect_export_data(items_ws).bundle.icp_statistics
    assert stats.best_accounts == ["Cedar Ridge Dental Partners", "Northwind Logistics"]
    assert load_bundle(text) == collect_export_data(items_ws).bundle
    assert {p["stage"] for p in raw["provenance"]} == {
        "extraction",
        "icp",
        "messaging",
        "persona",
        "theme",
    }


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_csv_tables(items_ws: Workspace, tmp_path: Path) -> None:
    export_workspace(items_ws, ["csv"], tmp_path)
    insights = list_insights(items_ws)
    rows = _rows(tmp_path / "insights.csv")
    assert len(rows) == len(insights)
    assert [r["id"] for r in rows] == [i.id for i in insights]
    first = rows[0]
    assert first["company"] == "Brightline Analytics"
    assert int(first["verified_quotes"]) == sum(
        e["status"] == "verified" for e in insights[0].evidence
    )
    for row, ins in zip(rows, insights, strict=True):
        verified = [e["quote"] for e in ins.evidence if e["status"] == "verified"]
        assert row["first_verified_quote"] == (verified[0] if verified else "")
    unverified = [r for r in rows if r["verified_quotes"] == "0"]
    assert all(r["first_verified_quote"] == "" for r in unverified)
    claims = _rows(tmp_path / "claims.csv")
    assert len(claims) == sum(len(i.claims()) for i in list_items(items_ws))
    podcast = next(r for r in claims if r["claim"] == "Listens to finance podcasts")
    assert (podcast["status"], podcast["interviews"], podcast["accounts"]) == (
        "assumption",
        "0",
        "0",
    )
    assert any("\n" in r["claim"] for r in claims)  # multi-line text survives quoting
    assert not (tmp_path / "insights.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_bom_for_excel(extracted_ws: Workspace, tmp_path: Path) -> None:
    export_workspace(extracted_ws, ["csv"], tmp_path, bom=True)
    assert (tmp_path / "insights.csv").read_bytes().startswith(b"\xef\xbb\xbfid,interview_id,")


def test_output_is_deterministic(items_ws: Workspace, tmp_path: Path) -> None:
    a = export_workspace(items_ws, ["all"], tmp_path / "a")
    b = export_workspace(items_ws, ["all"], tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    again = export_workspace(items_ws, ["all"], tmp_path / "a")
    assert again == a and all(p.read_bytes() == q.read_bytes() for p, q in zip(a, b, strict=True))


def test_never_deletes_unrelated_files(items_ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "personas").mkdir()
    mine = tmp_path / "personas" / "my-notes.md"
    mine.write_text("mine", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    export_workspace(items_ws, ["md"], tmp_path)
    old = tmp_path / "personas" / "champion-chris.md"
    assert old.is_file()
    # renaming the persona: the export's own stale card goes, the user's files stay
    upsert_generated(
        items_ws,
        "persona",
        "persona:champion",
        "Champion Charlie",
        {"goals": [ClaimDraft(text="Close faster")]},
        PROV,
    )
    files = export_workspace(items_ws, ["md"], tmp_path)
    assert (tmp_path / "personas" / "champion-charlie.md").resolve() in files
    assert not old.exists()
    assert mine.read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep"
    # a CSV-only export leaves the Markdown alone
    export_workspace(items_ws, ["csv"], tmp_path)
    assert (tmp_path / "personas" / "champion-charlie.md").is_file()


def test_out_that_is_a_file_is_a_clear_error(extracted_ws: Workspace, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        export_workspace(extracted_ws, ["md"], blocker)
    with pytest.raises(UsageError, match="cannot create export folder"):
        export_workspace(extracted_ws, ["md"], blocker / "sub")
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_unwritable_folder_is_a_clear_error(extracted_ws: Workspace, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(UsageError, match="not writable"):
            export_workspace(extracted_ws, ["md"], locked)
        with pytest.raises(UsageError, match="cannot create export folder"):
            export_workspace(extracted_ws, ["md"], locked / "sub")
    finally:
        locked.chmod(0o700)


def test_unwritable_folder_reported_before_writing(
    extracted_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("assistant.export.writer.os.access", lambda *a, **k: False)
    with pytest.raises(UsageError, match="is not writable: choose another with --out"):
        export_workspace(extracted_ws, ["md"], tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_parse_formats() -> None:
    assert parse_formats(None) == ["md", "json", "csv", "html"]
    assert parse_formats(["csv", "md"]) == ["md", "csv"]
    assert parse_formats(["json,CSV"]) == ["json", "csv"]
    assert parse_formats(["all", "md"]) == ["md", "json", "csv", "html"]
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        parse_formats(["md", "pdf"])
