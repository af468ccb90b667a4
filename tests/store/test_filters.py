"""Filters --company --industry --segment --role --tag on interviews, search, insights, ask, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.selection import InterviewFilter, select_interviews, split_search_role
from assistant.settings import Settings
from assistant.workspace import Workspace
from tests.studies import studies_workspace
from tests.support.cli import run_cli

ACME = ["acme-billing", "acme-manager"]
DENTAL = ["acme-billing", "acme-manager", "bright-smiles"]
TRUCKING = ["globex-dispatch", "initech-haulage"]


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Settings]]:
    with studies_workspace(tmp_path_factory.mktemp("filters"), themes=True) as pair:
        yield pair


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (InterviewFilter(company="ACME Dental Group, Inc."), ACME),
        (InterviewFilter(industry="dental"), DENTAL),
        (InterviewFilter(segment="trucking"), TRUCKING),
        (InterviewFilter(role="end_user"), ["acme-billing"]),
        (InterviewFilter(role="champion", tag="study-b"), TRUCKING),
        (InterviewFilter(tag="WIN"), ["globex-dispatch"]),
        (InterviewFilter(), DENTAL + TRUCKING),
    ],
)
def test_select(
    studies: tuple[Workspace, Settings], flt: InterviewFilter, expected: list[str]
) -> None:
    assert select_interviews(studies[0], flt) == expected


def test_bad_filters_are_clear(studies: tuple[Workspace, Settings]) -> None:
    from assistant.errors import UsageError

    ws = studies[0]
    with pytest.raises(UsageError, match="no account 'Nowhere' \\(accounts: Acme Dental Group"):
        select_interviews(ws, InterviewFilter(company="Nowhere"))
    with pytest.raises(UsageError, match="unknown role 'boss'"):
        select_interviews(ws, InterviewFilter(role="boss"))
    with pytest.raises(UsageError, match="more than one segment matches 'segment'"):
        select_interviews(ws, InterviewFilter(segment="segment"))


def _cli(ws: Workspace, *args: str) -> object:
    run = run_cli("-w", str(ws.root), *args, "--json")
    assert run.code == 0, run.stderr
    return run.json()


def test_interviews_insights_search(studies: tuple[Workspace, Settings]) -> None:
    ws = studies[0]
    rows = _cli(ws, "interviews", "--company", "acme dental group")
    assert [r["id"] for r in rows] == ACME  # type: ignore[attr-defined]
    insights = _cli(ws, "insights", "--industry", "trucking")
    assert {i["interview_id"] for i in insights} == set(TRUCKING)  # type: ignore[attr-defined]
    run = run_cli("-w", str(ws.root), "interviews", "--segment", "nowhere")
    assert run.code == 2 and "no segment matches 'nowhere'" in run.stderr


@pytest.mark.parametrize(
    ("flt", "role", "expected"),
    [
        (InterviewFilter(segment="dental"), "any", set(DENTAL)),
        (InterviewFilter(role="end_user"), "participant", {"acme-billing"}),
        (InterviewFilter(tag="study-b"), "participant", set(TRUCKING)),
    ],
)
def test_search(
    studies: tuple[Workspace, Settings], flt: InterviewFilter, role: str, expected: set[str]
) -> None:
    from assistant.search import RoleFilter, search
    from tests.support.store import HashEmbedder

    ws = studies[0]
    keep = set(select_interviews(ws, flt))
    speaker: RoleFilter = "any" if role == "any" else "participant"
    hits = search(
        ws, "claims denials trucks fuel", role=speaker, interviews=keep, embedder=HashEmbedder()
    )
    assert {h.interview_id for h in hits} == expected
    assert split_search_role("end_user") == ("participant", "end_user")
    assert split_search_role("interviewer") == ("interviewer", None)


def test_ask_searches_only_the_filtered_interviews(studies: tuple[Workspace, Settings]) -> None:
    from assistant.ask import answer_question

    ws, settings = studies
    keep = set(select_interviews(ws, InterviewFilter(company="Globex Freight")))
    from tests.support.store import HashEmbedder

    answer = answer_question(
        ws, settings, "What was hard about claims?", interviews=keep, embedder=HashEmbedder()
    )
    assert {h.interview_id for h in answer.passages} == {"globex-dispatch"}
    assert answer.citations[0].status == "verified"


def test_export_keeps_the_filtered_interviews(
    studies: tuple[Workspace, Settings], tmp_path: Path
) -> None:
    ws = studies[0]
    data = _cli(ws, "export", "--tag", "study-a", "--out", str(tmp_path), "-f", "md,json")
    pages = sorted(p.stem for p in (tmp_path / "interviews").glob("*.md"))
    assert pages == DENTAL and data["files"]  # type: ignore[index]
    index = (tmp_path / "index.md").read_text("utf-8")
    assert "**Filtered:** only interviews matching tag=study-a" in index
    bundle = (tmp_path / "export.json").read_text("utf-8")
    assert "globex-dispatch" not in bundle.split('"review_items"')[0]
