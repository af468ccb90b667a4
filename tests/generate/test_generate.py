"""Themes, personas, ICP and messaging on the sample corpus, through replay."""

from __future__ import annotations

from pathlib import Path

from assistant.embeddings import make_embedder
from assistant.extract import list_insights
from assistant.generate import AnalyzeReport, analyze, icp_report
from assistant.generate.common import interview_infos
from assistant.generate.personas import seniority, split_role
from assistant.generate.themes import cluster_insights, current_theme_keys, plan_themes
from assistant.library import load_transcript
from assistant.review import edit_claim, get_item, list_items, set_status
from assistant.settings import load_settings
from assistant.workspace import Workspace
from tests.support.corpus import replay_settings

THEMES = 31


def test_clustering_is_deterministic(generated_ws: Workspace) -> None:
    embedder = make_embedder(load_settings({}).embeddings)
    insights, infos = list_insights(generated_ws), interview_infos(generated_ws)
    first = [
        (c.key, [m.id for m in c.members]) for c in cluster_insights(insights, embedder, infos)
    ]
    again = [
        (c.key, [m.id for m in c.members]) for c in cluster_insights(insights, embedder, infos)
    ]
    assert first == again


def test_theme_counts_and_saturation(
    generated_ws: Workspace, generated: tuple[Path, AnalyzeReport]
) -> None:
    plan = plan_themes(generated_ws, load_settings({}))
    assert len(plan.themes) == THEMES
    assert len(plan.unsupported) == sum(not i.verified for i in list_insights(generated_ws))
    assert all(not i.verified for i in plan.unsupported)
    clustered = {m.id for c in plan.clusters for m in c.members}
    assert not clustered & {i.id for i in plan.unsupported}
    keys = current_theme_keys(generated_ws)
    assert len(keys) == THEMES
    items = {t.key: t for t in list_items(generated_ws, "theme")}
    assert all(items[k].title and not items[k].title.startswith("Unnamed") for k in keys)
    themes_step = next(s for s in generated[1].steps if s.step == "themes")
    assert themes_step.calls == 3 and len(themes_step.changes) == THEMES


def test_persona_claims_link_to_verified_quotes(generated_ws: Workspace) -> None:
    personas = list_items(generated_ws, "persona")
    assert {p.key for p in personas} == {
        "persona:economic_buyer",
        "persona:champion",
        "persona:technical_buyer",
        "persona:end_user",
        "persona:other",
    }
    for p in personas:
        for claim in p.claims():
            verified = [e for e in claim.evidence if e.status == "verified"]
            assert (claim.status == "supported") == bool(verified)
            for e in verified:
                text = load_transcript(generated_ws.conn, e.interview_id).text
                assert e.quote and e.start is not None
                assert text[e.start : e.end] == e.quote or e.quote in text
            if claim.status == "supported":
                assert claim.support.interviews >= 1 and claim.support.accounts >= 1
    champion = get_item(generated_ws, "persona:champion")
    assumption = [c for c in champion.claims() if c.text.startswith("Wants to be seen internally")]
    assert assumption and assumption[0].status == "assumption" and not assumption[0].evidence
    # the technical buyer's notes-only claims are assumptions (no verified quote)
    tech = get_item(generated_ws, "persona:technical_buyer")
    notes_only = [
        c
        for c in tech.claims()
        if c.evidence and all(e.interview_id == "cedar-ridge-it-notes" for e in c.evidence)
    ]
    assert notes_only and all(c.status == "assumption" for c in notes_only)


def test_role_split_check() -> None:
    assert seniority("Chief Financial Officer") == "executive"
    assert seniority("Accounts Payable Manager") == "manager"
    assert seniority("AP Clerk") == "staff"
    from assistant.generate.common import InterviewInfo

    infos = {
        f"i{n}": InterviewInfo(f"i{n}", None, f"A{n}", {"champion": t})
        for n, t in enumerate(["AP Manager", "Controller", "CFO", "VP Finance", "AP Manager"])
    }
    split = dict(split_role("champion", list(infos), infos))
    assert set(split) == {"executive", "manager"}
    one = {k: v for k, v in infos.items() if k != "i3"}
    assert split_role("champion", list(one), one) == [(None, sorted(one))]


def test_icp_statistics_caveats_and_fit(generated_ws: Workspace) -> None:
    report = icp_report(generated_ws)
    assert report is not None
    data = report.to_json()
    assert data["statistics"]["accounts"] and data["statistics_markdown"].startswith(
        "## Evidence base"
    )
    kinds = {c["kind"] for c in data["caveats"]}
    assert {"sample_size", "thin_evidence", "fit"} <= kinds
    assert "named_unchecked" not in kinds  # named_reasons were given
    assert report.fit_text == "4 of 5 interviewed accounts fit"
    assert sorted(report.fit.fitting) == [
        "Cedar Ridge Dental Partners",
        "Harbor Point Manufacturing",
        "Keystone Community Credit Union",
        "Northwind Logistics",
    ]
    assert set(data["fields"]) >= {
        "firmographics",
        "challenges_and_goals",
        "tech_stack",
        "behaviours",
        "disqualifiers",
        "neighbourhoods",
    }


def test_messaging_citations_and_flag(generated_ws: Workspace) -> None:
    items = {m.key: m for m in list_items(generated_ws, "messaging")}
    assert len(items) == 5
    tech = items["messaging:persona:technical_buyer:technical_buyer"]
    flagged = [c for c in tech.claims() if not c.evidence]
    assert [c.field for c in flagged] == ["linkedin_message"]
    assert flagged[0].status == "assumption"
    champion = items["messaging:persona:champion:champion"]
    assert 3 <= len(champion.fields["key_messages"]) <= 5
    assert all(c.status == "supported" for c in champion.claims())


def test_edit_survives_forced_regeneration(generated_ws: Workspace) -> None:
    key = current_theme_keys(generated_ws)[0]
    theme = get_item(generated_ws, key)
    claim = theme.fields["description"][0]
    edit_claim(generated_ws, theme.id, claim.id, "Our own wording of this theme")
    set_status(generated_ws, get_item(generated_ws, "icp").id, "approved")
    report = analyze(generated_ws, replay_settings(), force=True)
    after = get_item(generated_ws, key)
    kept = after.claim(claim.id)
    assert kept is not None and kept.text == "Our own wording of this theme"
    assert get_item(generated_ws, "icp").status == "approved"
    steps = {s.step: s for s in report.steps}
    assert all(steps[s].status == "ran" for s in ("themes", "personas", "icp", "messaging"))
    assert steps["themes"].changes[key] == "unchanged"  # same version: nothing pending
    assert steps["icp"].changes["icp"] == "unchanged"
