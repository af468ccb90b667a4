"""Extraction of the sample corpus through replay: counts, bad items, caching, provenance."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.extract import extract_interviews, list_insights, plan_extraction
from assistant.llm.runlog import RunLog
from assistant.workspace import Workspace
from tests.extract.helpers import EXPECTED_COUNTS
from tests.support.corpus import replay_settings

BAD_REASONS = {
    "northwind-cfo": "found only in interviewer turn",
    "harbor-point-ap-manager": "not found",
    "keystone-cfo": "not found",
    "cedar-ridge-controller": "stitched from non-adjacent turns",
}


def test_counts_match_the_authored_expectations(
    corpus_ws: Workspace, llm_calls: Callable[[Workspace], int]
) -> None:
    assert len(plan_extraction(corpus_ws, replay_settings())) == 12
    outcomes = extract_interviews(corpus_ws, replay_settings())
    got = {o.interview_id: o for o in outcomes}
    assert set(got) == set(EXPECTED_COUNTS)
    for iid, want in EXPECTED_COUNTS.items():
        o = got[iid]
        assert o.status == "extracted", (iid, o.error)
        assert (o.insights, o.verified, o.unverified, o.note) == (
            want["insights"],
            want["verified"],
            want["unverified"],
            want["note"],
        ), iid
    calls = RunLog(corpus_ws.conn).calls()
    assert len(calls) == llm_calls(corpus_ws) == 12
    assert {c["model"] for c in calls} == {"authored-fixture"}
    assert all(c["fixture"] for c in calls)


def test_bad_items_are_unverified_with_their_reason(extracted_ws: Workspace) -> None:
    for iid, prefix in BAD_REASONS.items():
        bad = [
            (i, e)
            for i in list_insights(extracted_ws, iid)
            for e in i.evidence
            if e["status"] == "unverified"
        ]
        assert len(bad) == 1, iid
        insight, ev = bad[0]
        assert ev["reason"].startswith(prefix), (iid, ev["reason"])
        assert insight.id == f"{iid}:i{EXPECTED_COUNTS[iid]['insights']}"  # the last insight
        assert not insight.verified  # never counted as evidence


def test_interviewer_words_point_at_the_interviewer_turn(extracted_ws: Workspace) -> None:
    (insight,) = [i for i in list_insights(extracted_ws, "northwind-cfo") if not i.verified]
    (ev,) = insight.evidence
    assert ev["role"] == "interviewer" and ev["turn"] == 6
    assert ev["claimed_speaker"] == "Dana Whitfield" and ev["speaker"] != "Dana Whitfield"


def test_notes_quotes_have_status_note(extracted_ws: Workspace) -> None:
    insights = list_insights(extracted_ws, "cedar-ridge-it-notes")
    statuses = {e["status"] for i in insights for e in i.evidence}
    assert statuses == {"note"}
    assert not any(i.verified for i in insights)


def test_verified_evidence_points_into_the_transcript(extracted_ws: Workspace) -> None:
    text = extracted_ws.conn.execute(
        "SELECT text FROM interviews WHERE id = 'keystone-ap-clerk'"
    ).fetchone()[0]
    for insight in list_insights(extracted_ws, "keystone-ap-clerk"):
        for e in insight.evidence:
            assert e["status"] == "verified" and e["match"] == "exact"
            assert text[e["start"] : e["end"]] == e["quote"]


def test_provenance_is_stored(extracted_ws: Workspace) -> None:
    (insight, *_) = list_insights(extracted_ws, "northwind-cfo", "pain")
    data = insight.to_json()
    assert data["provenance"]["model"] == "authored-fixture"
    assert data["provenance"]["fixture"] is True
    assert len(data["provenance"]["prompt_version"]) == 12
    row = extracted_ws.conn.execute(
        "SELECT * FROM analyses WHERE interview_id = 'northwind-cfo'"
    ).fetchone()
    assert row["status"] == "ok" and row["model"] == "gpt-4o-mini"
    assert row["response_model"] == "authored-fixture"
    assert json.loads(row["buying_process_json"])["trigger"]["evidence"]


def test_second_run_makes_no_calls(
    extracted_ws: Workspace, llm_calls: Callable[[Workspace], int]
) -> None:
    before = llm_calls(extracted_ws)
    assert plan_extraction(extracted_ws, replay_settings()) == []
    outcomes = extract_interviews(extracted_ws, replay_settings())
    assert {o.status for o in outcomes} == {"unchanged"}
    assert llm_calls(extracted_ws) == before
    cfo = next(o for o in outcomes if o.interview_id == "northwind-cfo")
    assert (cfo.insights, cfo.verified, cfo.unverified) == (14, 62, 1)


@pytest.mark.parametrize("change", ["force", "model"])
def test_force_or_a_new_model_re_extracts(
    extracted_ws: Workspace, llm_calls: Callable[[Workspace], int], change: str
) -> None:
    before = llm_calls(extracted_ws)
    if change == "force":
        outcomes = extract_interviews(
            extracted_ws, replay_settings(), ["northwind-cfo"], force=True
        )
    else:
        outcomes = extract_interviews(extracted_ws, replay_settings(model="gpt-4.1-mini"))
    assert {o.status for o in outcomes} == {"extracted"}
    assert llm_calls(extracted_ws) == before + len(outcomes)


def test_unrecorded_interview_fails_alone_in_replay(corpus_ws: Workspace, tmp_path: Path) -> None:
    """Replay with one interview nobody recorded: it fails, naming the record command;
    every other interview is still extracted (one failure never stops the batch)."""
    from assistant.library import ingest_paths
    from tests.support.store import HashEmbedder

    extra = tmp_path / "new-customer.txt"
    extra.write_text(
        "Priya Raman: What made you look for a new AP tool?\n\n"
        "Sam Ortiz: Our auditors flagged three duplicate payments last spring.\n"
    )
    (result,) = ingest_paths(corpus_ws, [extra], embedder=HashEmbedder())
    assert result.status == "ingested"
    outcomes = {o.interview_id: o for o in extract_interviews(corpus_ws, replay_settings())}
    failed = outcomes.pop(str(result.interview_id))
    assert failed.status == "failed"
    assert failed.error is not None and "persona --record" in failed.error
    assert len(outcomes) == 12 and all(o.status == "extracted" for o in outcomes.values())
