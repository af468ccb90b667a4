"""One account identity: every view counts the same accounts (tests/studies.py fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.accounts import company_key, load_identity, resolve_identity
from assistant.errors import UsageError
from assistant.export import collect_export_data
from assistant.generate.common import interview_infos
from assistant.icp_stats import compute_icp_statistics
from assistant.models import Account, InterviewMeta
from assistant.review import EvidenceLink, compute_support
from assistant.workspace import Workspace
from tests.studies import studies_workspace
from tests.support.cli import run_cli

ACME = "Acme Dental Group"


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with studies_workspace(tmp_path_factory.mktemp("studies")) as (ws, _):
        yield ws


def test_company_key_normalises_spelling() -> None:
    assert (
        company_key("ACME Dental Group, Inc.")
        == company_key("Acme Dental Group")
        == ("acme dental group")
    )
    assert company_key("The Globex Corporation") == "globex"
    assert company_key("Smith & Sons Ltd") == "smith and sons"


def test_conflicting_names_in_one_interview_are_reported() -> None:
    identity = resolve_identity(
        [("i1", InterviewMeta(account=Account(company="Acme")))], {"i1": ["Globex"]}
    )
    assert identity.of("i1").name == "Acme"
    (warning,) = identity.warnings
    assert "metadata names 'Acme' but the participant said 'Globex'" in warning
    assert "persona accounts merge 'Globex' 'Acme'" in warning


def test_spellings_across_interviews_are_reported() -> None:
    identity = resolve_identity(
        [
            ("i1", InterviewMeta(account=Account(company="Acme Inc."))),
            ("i2", InterviewMeta(account=Account(company="ACME"))),
        ]
    )
    assert len(identity.keys_of(["i1", "i2"])) == 1
    assert any("spelled 2 ways" in w for w in identity.warnings)


def _all_views(ws: Workspace) -> dict[str, int]:
    """The number of accounts each view reports for the whole workspace."""
    ids = [r[0] for r in ws.conn.execute("SELECT id FROM interviews")]
    links = [EvidenceLink(interview_id=i) for i in ids]
    export = collect_export_data(ws)
    stats = compute_icp_statistics(ws)
    cli = run_cli("-w", str(ws.root), "accounts", "--json")
    assert cli.code == 0, cli.stderr
    return {
        "claim support": compute_support(ws.conn, links).accounts,
        "icp statistics": len(stats.accounts),
        "themes and personas": len({info.account for info in interview_infos(ws).values()}),
        "export": len({i.company for i in export.bundle.interviews}),
        "persona accounts": len(cli.json()["accounts"]),
    }


def test_metadata_and_stated_spelling_agree_everywhere(studies: Workspace) -> None:
    identity = load_identity(studies.conn)
    assert identity.of("acme-billing").name == ACME
    assert identity.of("acme-billing").source == "fact"
    assert set(_all_views(studies).values()) == {4}


def test_merge_is_counted_everywhere_and_undone(studies: Workspace, tmp_path: Path) -> None:
    run = run_cli("-w", str(studies.root), "accounts", "merge", "Initech Haulage", "globex freight")
    assert run.code == 0, run.stderr
    try:
        assert set(_all_views(studies).values()) == {3}
        assert load_identity(studies.conn).of("initech-haulage").name == "Globex Freight"
    finally:
        assert run_cli("-w", str(studies.root), "accounts", "unmerge", "Initech Haulage").code == 0
    assert set(_all_views(studies).values()) == {4}


def test_merge_refusals_are_clear(studies: Workspace) -> None:
    from assistant.accounts import merge_accounts

    with pytest.raises(UsageError, match="no account 'Nowhere'"):
        merge_accounts(studies, "Nowhere", ACME)
    with pytest.raises(UsageError, match="already one account"):
        merge_accounts(studies, "ACME Dental Group, Inc.", ACME)


def test_accounts_cli_shows_committee_and_firmographics(studies: Workspace) -> None:
    data = run_cli("-w", str(studies.root), "accounts", "--json").json()
    acme = next(a for a in data["accounts"] if a["account"] == ACME)
    assert acme["interviews"] == ["acme-billing", "acme-manager"]
    assert acme["revenue"]["currency"] == "EUR" and acme["revenue"]["low"] == 1_500_000
    assert (acme["employees"]["low"], acme["employees"]["high"]) == (50, 100)
    roles = {(m["dmu_role"], m["name"], m["interviewed"]) for m in acme["committee"]}
    assert ("economic_buyer", "Helen, CFO", False) in roles
    assert ("champion", "Nora Diaz", True) in roles
    raj = next(m for m in acme["committee"] if m["name"] == "Raj, IT lead")
    assert {x["described_by"] for x in raj["mentions"]} == {"champion", "end_user"}
    assert raj["mentions"][0]["evidence"][0]["status"] == "verified"
    bright = next(a for a in data["accounts"] if a["account"] == "Bright Smiles")
    assert bright["revenue"] is None
    assert "revenue 'growing fast' is not read as a number" in bright["warnings"][0]
    text = run_cli("-w", str(studies.root), "accounts")
    assert "economic buyer: Helen, CFO" in text.stdout
    assert "as described by a champion in acme-manager" in text.stdout
