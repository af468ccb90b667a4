"""`persona export` through the real CLI: --json, exit codes, no secrets."""

from __future__ import annotations

from pathlib import Path

from assistant.review import add_claim, list_items
from assistant.workspace import Workspace
from tests.support.cli import run_cli

SENTINEL = "test-SENTINEL-not-a-real-key-9f8e7d6c5b4a"


def test_json_lists_written_files(items_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    items_ws.close()
    res = run_cli(
        "--workspace",
        str(items_ws.root),
        "export",
        "--format",
        "md",
        "-f",
        "csv",
        "--out",
        str(out),
        "--json",
    )
    assert res.code == 0, res.stderr
    data = res.json()
    assert data["formats"] == ["md", "csv"] and data["empty"] == []
    assert data["out_dir"] == str(out.resolve())
    written = sorted(str(p) for p in out.rglob("*") if p.is_file() and p.name[0] != ".")
    assert sorted(data["files"]) == written
    assert str(out.resolve() / "insights.csv") in data["files"]
    assert not (out / "export.json").exists()


def test_default_folder_and_empty_parts(extracted_ws: Workspace) -> None:
    extracted_ws.close()
    res = run_cli("--workspace", str(extracted_ws.root), "export")
    assert res.code == 0, res.stderr
    exports = extracted_ws.root / "exports"
    assert sorted(p.name for p in exports.iterdir() if p.is_file() and p.name[0] != ".") == [
        "buying_process.csv",
        "claims.csv",
        "evidence.md",
        "export.json",
        "icp.md",
        "index.md",
        "insights.csv",
        "interviews.csv",
        "report.html",
        "themes.md",
    ]
    assert len(list((exports / "interviews").glob("*.md"))) == 12
    printed = [Path(p) for p in res.stdout.split()]
    assert printed == sorted(printed)  # sorted as paths: folders' files by folder
    assert "empty: no persona drafts" in res.stderr


def test_bad_format_is_exit_2(extracted_ws: Workspace, tmp_path: Path) -> None:
    extracted_ws.close()
    res = run_cli(
        "--workspace",
        str(extracted_ws.root),
        "export",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "out"),
    )
    assert res.code == 2
    assert "unknown export format 'pdf'" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_secret_is_never_exported(items_ws: Workspace, tmp_path: Path) -> None:
    persona = next(i for i in list_items(items_ws, "persona") if i.key == "persona:champion")
    add_claim(items_ws, persona.id, "notes", f"pasted by mistake: {SENTINEL}", new_field=True)
    items_ws.close()
    out = tmp_path / "out"
    res = run_cli(
        "--workspace",
        str(items_ws.root),
        "export",
        "--format",
        "all",
        "--out",
        str(out),
        env={"OPENAI_API_KEY": SENTINEL},
    )
    assert res.code == 0, res.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 8
    for path in files:
        assert SENTINEL.encode() not in path.read_bytes(), path
    assert "pasted by mistake: [redacted]" in (out / "personas" / "champion-chris.md").read_text(
        encoding="utf-8"
    )
    assert SENTINEL not in res.stdout + res.stderr
