"""Segments: a deterministic proposal that splits two unrelated studies; the user's own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import db
from assistant.icp_stats import AccountRecord
from assistant.segments import build_segmentation, cluster_accounts, compute_segments
from assistant.workspace import Workspace
from tests.studies import studies_workspace
from tests.support.cli import run_cli
from tests.support.linkage import naive_average_linkage

A = {"Acme Dental Group", "Bright Smiles"}
B = {"Globex Freight", "Initech Haulage"}


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with studies_workspace(tmp_path_factory.mktemp("segments"), themes=True) as (ws, _):
        yield ws


def test_proposal_splits_the_two_studies(studies: Workspace) -> None:
    seg = compute_segments(studies)
    assert seg.source == "proposed"
    assert [set(a.company for a in s.accounts) for s in seg.segments] == [A, B]
    dental = seg.segments[0]
    assert dental.name.startswith("Segment 1: dental clinics")
    assert len(dental.interviews) == 3
    top = dental.pains[0]
    assert (top.accounts, top.interviews, top.share) == (2, 3, 1.0)
    assert top.intensity == {"high": 3}
    trucking = seg.segments[1].value_metrics()
    assert trucking["arr_total"] == 160_000 and trucking["expanded"] == 1
    # no theme is shared between the two segments
    names = [s.name for s in seg.segments]
    from assistant.segments import themes_shared

    assert themes_shared(seg, names[0], names[1]) == set()


def test_proposal_is_deterministic(studies: Workspace) -> None:
    first = compute_segments(studies).to_json()
    assert all(compute_segments(studies).to_json() == first for _ in range(3))
    features = {"b": {"x", "y"}, "a": {"x", "y"}, "c": {"z"}}
    assert cluster_accounts(features) == [["a", "b"], ["c"]]
    assert cluster_accounts(dict(reversed(list(features.items())))) == [["a", "b"], ["c"]]


@pytest.mark.parametrize("seed", range(6))
def test_clustering_matches_the_pairwise_definition(seed: int) -> None:
    """Random accounts with overlapping themes and firmographics (ties included: small sets
    repeat) cluster exactly as the pair-by-pair definition does, at several thresholds."""
    import random

    rng = random.Random(seed)
    pool = [f"theme:t{k}" for k in range(12)] + ["industry:dental", "industry:freight", "tool:x"]
    features = {
        f"acct-{n:03d}": set(rng.sample(pool, rng.randint(0, 5))) for n in range(40 + seed * 7)
    }
    for limit in (0.5, 0.75, 0.9, 1.0):
        assert cluster_accounts(features, limit) == naive_average_linkage(features, limit)
    assert cluster_accounts({}) == [] and cluster_accounts({"a": set()}) == [["a"]]


def test_icp_fit_per_segment(studies: Workspace) -> None:
    db.set_meta(studies.conn, "generate.icp.criteria", '{"industry": ["Trucking"]}')
    try:
        seg = compute_segments(studies)
        assert [s.fit for s in seg.segments] == [(0, 2), (2, 2)]
        assert seg.icp_home() == seg.segments[1].name
        run = run_cli("-w", str(studies.root), "segments")
        assert "(the ICP sits here): 2 accounts" in run.stdout
        assert "0 of 2 accounts fit the ICP" in run.stdout
    finally:
        studies.conn.execute("DELETE FROM workspace_meta WHERE key = 'generate.icp.criteria'")


def test_user_segments_win_and_gaps_are_warned() -> None:
    accounts = [
        AccountRecord(company="A", interviews=["a"], segment="SMB"),
        AccountRecord(company="B", interviews=["b"], segment="SMB"),
        AccountRecord(company="C", interviews=["c"]),
    ]
    seg = build_segmentation(accounts, [])
    assert seg.source == "user"
    assert [(s.name, [a.company for a in s.accounts]) for s in seg.segments] == [
        ("SMB", ["A", "B"]),
        ("(no segment given)", ["C"]),
    ]
    assert any("no segment given for C" in w for w in seg.warnings)


def test_segments_cli_json(studies: Workspace) -> None:
    run = run_cli("-w", str(studies.root), "segments", "--json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["source"] == "proposed" and len(data["segments"]) == 2
    assert data["segments"][0]["top_pains"][0]["accounts"] == 2
    assert any("spelled 2 ways" in w for w in data["warnings"])
