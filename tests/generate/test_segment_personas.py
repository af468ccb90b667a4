"""Personas that do not mix worlds, and second-hand personas for roles nobody was interviewed for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.generate.personas import generate_personas, persona_groups
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace
from tests.studies import studies_workspace


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Settings]]:
    with studies_workspace(tmp_path_factory.mktemp("personas"), themes=True) as pair:
        yield pair


def test_role_spanning_two_segments_gives_two_personas(studies: tuple[Workspace, Settings]) -> None:
    ws, _ = studies
    champions = [g for g in persona_groups(ws) if g.role == "champion"]
    assert [(g.segment, g.interviews) for g in champions] == [
        ("Segment 1: dental clinics", ["acme-manager", "bright-smiles"]),
        ("Segment 2: trucking", ["globex-dispatch", "initech-haulage"]),
    ]
    assert champions[0].key == "persona:champion:seg-segment-1-dental-clinics"
    assert champions[1].coverage() == "2 accounts, 2 interviews; segments: Segment 2: trucking"


def test_warn_setting_keeps_one_persona_and_says_why(studies: tuple[Workspace, Settings]) -> None:
    ws, _ = studies
    (champion,) = [g for g in persona_groups(ws, "warn") if g.role == "champion"]
    assert champion.key == "persona:champion" and len(champion.interviews) == 4
    assert champion.segments == ["Segment 1: dental clinics", "Segment 2: trucking"]
    assert "share no theme" in champion.warnings[0]


def test_secondhand_personas_never_count_as_the_role_s_words(
    studies: tuple[Workspace, Settings],
) -> None:
    ws, settings = studies
    outcomes = {o.group.key: o for o in generate_personas(ws, settings)}
    assert set(outcomes) == {
        "persona:economic_buyer",
        "persona:champion:seg-segment-1-dental-clinics",
        "persona:champion:seg-segment-2-trucking",
        "persona:technical_buyer",
        "persona:end_user",
    }
    buyer = outcomes["persona:economic_buyer"]
    assert buyer.group.secondhand and buyer.item.title.endswith("(economic_buyer, second-hand)")
    claims = buyer.item.claims()
    assert claims and all(c.status == "secondhand" for c in claims)
    assert all(c.support.interviews == 0 and c.support.accounts == 0 for c in claims)
    assert claims[0].secondhand_label == "as described by a champion"
    assert buyer.to_json()["coverage"].endswith(
        "(second-hand: described by interviewees of other roles)"
    )
    tech = outcomes["persona:technical_buyer"]
    assert tech.group.accounts == ["Acme Dental Group"]
    champion = outcomes["persona:champion:seg-segment-2-trucking"]
    assert all(c.status == "supported" for c in champion.item.claims())
    assert champion.to_json()["segments"] == ["Segment 2: trucking"]


def test_setting_is_strict() -> None:
    assert load_settings({"generate": {"persona_segments": "warn"}}).generate.persona_segments == (
        "warn"
    )
    with pytest.raises(Exception, match="persona_segments"):
        load_settings({"generate": {"persona_segments": "merge"}})


def test_a_role_over_many_small_segments_gets_at_most_four_personas() -> None:
    """Hundreds of accounts make many small proposed segments: only segments with two
    accounts of the role get a persona, the four largest at most; the rest join the largest
    part, and its persona says so."""
    import datetime as dt

    from assistant.generate.common import InterviewInfo
    from assistant.generate.persona_groups import MAX_SEGMENT_PERSONAS, segment_split
    from assistant.icp_stats import AccountRecord
    from assistant.segments import Segment, Segmentation

    sizes = {"big-a": 5, "big-b": 4, "big-c": 3, "big-d": 2, "big-e": 2, "tiny-f": 1, "tiny-g": 1}
    infos: dict[str, InterviewInfo] = {}
    segments = []
    for name, accounts in sizes.items():
        records = []
        for n in range(accounts):
            iid = f"{name}-{n}"
            infos[iid] = InterviewInfo(iid, dt.date(2026, 1, 1), f"{name} account {n}", {})
            records.append(AccountRecord(company=f"{name} account {n}", interviews=[iid]))
        # every segment names a theme of its own: no two share one
        segments.append(Segment(name, "proposed", records, themes={f"theme:{name}": 1.0}))
    seg = Segmentation("proposed", segments, [])
    parts, why, joined = segment_split(sorted(infos), seg, infos)
    assert len(parts) == MAX_SEGMENT_PERSONAS == 4
    assert [name for name, _ in parts] == ["big-a", "big-b", "big-c", "big-d"]  # largest, by name
    assert why is not None and "share no theme" in why
    assert joined is not None and joined[0] == "big-a"
    assert joined[1].startswith("4 interviews of 3 smaller segments")
    largest = dict(parts)["big-a"]
    assert {"big-e-0", "big-e-1", "tiny-f-0", "tiny-g-0"} <= set(largest)
    assert sum(len(ids) for _, ids in parts) == len(infos)  # nobody left out
