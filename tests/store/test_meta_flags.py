"""Interview metadata given as `persona ingest` flags: validation, merge, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli.meta_flags import meta_from_flags
from assistant.errors import UsageError
from assistant.library import get_interview, ingest_paths
from assistant.workspace import Workspace
from tests.support.cli import run_cli
from tests.support.store import HashEmbedder

TRANSCRIPT = (
    "Priya Raman: What made you look for a new AP tool?\n\n"
    "Sam Ortiz: Our auditors flagged three duplicate payments last spring.\n\n"
    "Priya Raman: What happened next?\n\n"
    "Sam Ortiz: Our CFO asked me to find a tool within a quarter.\n"
)
SIDECAR = "account:\n  company: Acme Freight\n  industry: Logistics\n  region: US Midwest\n"


def test_flags_build_a_partial_meta() -> None:
    meta = meta_from_flags(
        {
            "--company": "Acme Freight",
            "--arr": 52000.0,
            "--participant": ["Sam Ortiz; AP Manager; champion"],
            "--tag": ["win"],
        }
    )
    assert meta is not None
    assert meta.model_dump(mode="json", exclude_unset=True) == {
        "participants": [
            {
                "name": "Sam Ortiz",
                "title": "AP Manager",
                "dmu_role": "champion",
                "company": "Acme Freight",
            }
        ],
        "account": {"company": "Acme Freight", "metrics": {"arr": 52000.0}},
        "tags": ["win"],
    }
    assert meta_from_flags({"--title": None, "--tag": []}) is None


@pytest.mark.parametrize(
    ("values", "flag"),
    [
        ({"--participant": ["Sam; AP; buyer"]}, "--participant"),
        ({"--participant": ["; AP"]}, "--participant"),
        ({"--date": "14/03/2026"}, "--date"),
        ({"--arr": -5.0}, "--arr"),
    ],
)
def test_bad_flag_names_the_flag(values: dict[str, object], flag: str) -> None:
    with pytest.raises(UsageError, match=f"^{flag}"):
        meta_from_flags(values)


def test_flags_merge_over_file_metadata_and_persist(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "acme-ap.txt"
    path.write_text(TRANSCRIPT)
    (tmp_path / "acme-ap.meta.yaml").write_text(SIDECAR)
    emb = HashEmbedder()
    flags = meta_from_flags({"--arr": 52000.0, "--industry": "Freight", "--tag": ["win"]})
    (first,) = ingest_paths(workspace, [path], embedder=emb, meta=flags)
    assert first.status == "ingested"
    account = get_interview(workspace, "acme-ap").transcript.meta.account
    assert account is not None and account.metrics is not None
    # Flags win field by field; the sidecar's other fields stay.
    assert (account.company, account.industry, account.region) == (
        "Acme Freight",
        "Freight",
        "US Midwest",
    )
    assert account.metrics.arr == 52000.0

    # Re-ingest without flags: unchanged, the flag metadata is kept.
    (again,) = ingest_paths(workspace, [path], embedder=emb)
    assert again.status == "unchanged"
    kept = get_interview(workspace, "acme-ap").transcript.meta
    assert kept.account is not None and kept.account.metrics is not None
    assert kept.account.metrics.arr == 52000.0 and kept.tags == ["win"]

    # New flags merge over the stored ones.
    more = meta_from_flags({"--expanded/--not-expanded": True})
    (updated,) = ingest_paths(workspace, [path], embedder=emb, meta=more)
    assert updated.status == "updated"
    meta = get_interview(workspace, "acme-ap").transcript.meta
    assert meta.account is not None and meta.account.metrics is not None
    assert meta.account.metrics.arr == 52000.0 and meta.account.metrics.expanded is True
    assert meta.account.industry == "Freight"


def test_cli_bad_flag_is_exit_2_before_any_work(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(TRANSCRIPT)
    res = run_cli(
        "--workspace",
        str(workspace.root),
        "ingest",
        str(path),
        "--participant",
        "Sam Ortiz; AP Manager; decider",
    )
    assert res.code == 2
    assert res.stderr.startswith("error: --participant")
    assert "champion" in res.stderr  # the expected forms are listed
    assert workspace.conn.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == 0
