"""Speaker roles and names: group interviews, `persona speakers`, re-checked evidence."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import db
from assistant.embeddings import LocalEmbedder
from assistant.errors import UsageError
from assistant.evidence import EvidenceStatus, TranscriptIndex, verify_quote
from assistant.export.csv_export import insights_csv
from assistant.export.data import collect_export_data
from assistant.export.markdown import render_markdown
from assistant.extract.checked import CheckedAnalysis, CheckedInsight, QuoteChecker
from assistant.extract.store import Provenance, save_analysis
from assistant.ingest import parse_file
from assistant.ingest.roles import REVIEW_CONFIDENCE
from assistant.library import ingest_paths, load_transcript
from assistant.library.speaker_listing import speakers_report
from assistant.library.speakers import parse_role_flags, set_speakers
from assistant.models import SpeakerRole
from assistant.workspace import Workspace, init_workspace
from tests.store import test_search_cli

REPO = Path(__file__).resolve().parents[2]
GROUP = REPO / "fixtures" / "group-interviews"
IV, P = SpeakerRole.interviewer, SpeakerRole.participant
persona = test_search_cli.persona  # the in-process CLI fixture

NAMED_META = """\
title: Clinic reminders
participants:
  - name: Marcus Lee
    title: Office Manager
    company: Riverbend Physical Therapy
    dmu_role: champion
"""

UNDIARIZED = """\
Unknown Speaker  0:00
Thanks for joining. How do you track pallet shortages today?

Unknown Speaker  0:05
We write every short pallet on the bill of lading and type it up at the end of the shift.
"""


def _roles(path: Path) -> dict[str, SpeakerRole]:
    return {a.label: a.role for a in parse_file(path).speaker_roles}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "otter-two-interviewers.txt",
            {"Speaker 1": IV, "Speaker 2": IV, "Speaker 3": P},
        ),
        (
            "otter-three-interviewers.txt",
            {"Speaker 1": IV, "Speaker 2": IV, "Speaker 3": IV, "Speaker 4": P},
        ),
    ],
)
def test_group_interviews_find_every_interviewer(name: str, expected: dict) -> None:
    t = parse_file(GROUP / name)
    got = {a.label: a.role for a in t.speaker_roles if a.label in expected}
    assert got == expected
    assert all(a.method == "content" for a in t.speaker_roles if a.label in expected)
    assert t.role_confidence >= REVIEW_CONFIDENCE
    # The catch-all label stays unknown: its words are nobody's evidence until assigned.
    unknown = [(a.role, a.method) for a in t.speaker_roles if a.label == "Unknown Speaker"]
    assert unknown in ([], [(SpeakerRole.unknown, "label")])


def test_pitch_in_a_group_interview_is_never_participant_evidence() -> None:
    t = parse_file(GROUP / "otter-two-interviewers.txt")
    pitch = "what we're building is a phone app where the dock worker scans the pallet label"
    result = verify_quote(t, pitch)
    assert result.status is EvidenceStatus.unverified
    assert result.reason is not None and "interviewer turn" in result.reason
    answer = verify_quote(t, "The problem is gloves.")
    assert answer.status is EvidenceStatus.verified and answer.speaker == "Speaker 3"


def test_undiarized_quotes_are_unattributed(tmp_path: Path) -> None:
    path = tmp_path / "dock.txt"
    path.write_text(UNDIARIZED, encoding="utf-8")
    t = parse_file(path)
    assert [a.role for a in t.speaker_roles] == [SpeakerRole.unknown]
    result = verify_quote(t, "We write every short pallet on the bill of lading")
    assert result.status is EvidenceStatus.unattributed
    assert result.turn == 1 and result.text == "We write every short pallet on the bill of lading"
    assert not result.is_evidence


def test_role_flags_keep_every_value_and_refuse_two_roles() -> None:
    roles = parse_role_flags(["A", "B"], ["C"], ["D=observer", "a=interviewer"])
    assert roles == {"A": IV, "B": IV, "C": P, "D": SpeakerRole.observer}
    with pytest.raises(UsageError, match="'A' is given two roles: interviewer and participant"):
        parse_role_flags(["A"], ["a"], None)
    with pytest.raises(UsageError, match="LABEL=ROLE"):
        parse_role_flags(None, None, ["Speaker 1"])
    with pytest.raises(UsageError, match="must be one of"):
        parse_role_flags(None, None, ["Speaker 1=boss"])


# --------------------------------------------------------------------------- workspace


@pytest.fixture(scope="module")
def group_ws(
    tmp_path_factory: pytest.TempPathFactory, local_embedder: LocalEmbedder
) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("speakers")
    src = root / "src"
    src.mkdir()
    for f in GROUP.glob("*.txt"):
        (src / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "otter-three-interviewers.meta.yaml").write_text(NAMED_META, encoding="utf-8")
    (src / "dock-undiarized.txt").write_text(UNDIARIZED, encoding="utf-8")
    ws = init_workspace(root / "ws")
    results = ingest_paths(ws, [src], embedder=local_embedder)
    assert [r.error for r in results if r.status == "failed"] == []
    yield ws
    ws.close()


def _store_evidence(ws: Workspace, iid: str, quotes: list[str]) -> None:
    """Save an analysis of one insight whose quotes are checked against the interview."""
    checker = QuoteChecker(TranscriptIndex(load_transcript(ws.conn, iid)), 88.0)
    insight = CheckedInsight(
        kind="pain",
        statement="Shortages cannot be proven",
        intensity=None,
        metric=None,
        speaker="Speaker 3",
        dmu_role=None,
        evidence=[checker.check(q, None) for q in quotes],
    )
    analysis = CheckedAnalysis("summary", [insight], [], {})
    prov = Provenance("m", "m", "v1", True, None)
    save_analysis(ws.conn, iid, "hash", analysis, prov)


def _statuses(ws: Workspace, iid: str) -> list[str]:
    rows = ws.conn.execute(
        "SELECT status FROM evidence WHERE interview_id = ? ORDER BY position", (iid,)
    )
    return [r["status"] for r in rows]


def test_cli_speakers_lists_role_confidence_method_and_sample(
    group_ws: Workspace, persona: Any
) -> None:
    r = persona("-w", group_ws.root, "speakers", "otter-two", "--json")
    assert r.code == 0, r.stderr
    data = r.json()
    first = data["speakers"][0]
    assert set(first) >= {"label", "role", "confidence", "method", "turns", "sample"}
    assert first["label"] == "Speaker 1" and first["role"] == "interviewer"
    assert first["sample"].startswith("That makes sense. So what we're building")
    assert first["sample"].endswith("…") and len(first["sample"]) == 100
    text = persona("-w", group_ws.root, "speakers", "otter-two")
    assert "Speaker 3: participant (" in text.stdout and "content" in text.stdout


def test_cli_overrides_apply_together_and_recheck_evidence(
    group_ws: Workspace, persona: Any
) -> None:
    ws = group_ws
    pitch = "So what we're building is a phone app where the dock worker scans the pallet label"
    answer = "In the cooler nobody takes their gloves off to tap a screen."
    _store_evidence(ws, "otter-two-interviewers", [pitch, answer])
    assert _statuses(ws, "otter-two-interviewers") == ["unverified", "verified"]
    r = persona(
        "-w",
        ws.root,
        "speakers",
        "otter-two",
        "--interviewer",
        "Speaker 2",
        "--interviewer",
        "Speaker 3",
        "--participant",
        "Speaker 1",
        "--role",
        "Unknown Speaker=observer",
        "--json",
    )
    assert r.code == 0, r.stderr
    got = {s["label"]: (s["role"], s["method"]) for s in r.json()["speakers"]}
    assert got == {
        "Speaker 1": ("participant", "override"),
        "Speaker 2": ("interviewer", "override"),
        "Speaker 3": ("interviewer", "override"),
        "Unknown Speaker": ("observer", "override"),
    }
    assert r.json()["evidence_changed"] == 2
    assert _statuses(ws, "otter-two-interviewers") == ["verified", "unverified"]
    # The evidence shows the transcript's words; the model's wording is kept.
    row = ws.conn.execute(
        "SELECT quote, claimed_quote FROM evidence WHERE interview_id = ? AND position = 0",
        ("otter-two-interviewers",),
    ).fetchone()
    assert row["quote"] == row["claimed_quote"] == pitch
    # Back again: statuses change both ways, and the text output says how many.
    r = persona(
        "-w", ws.root, "speakers", "otter-two", "--role", "Speaker 1=interviewer",
        "--role", "Speaker 3=participant",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    assert "2 of 2 quotes changed status" in r.stderr
    assert _statuses(ws, "otter-two-interviewers") == ["unverified", "verified"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--interviewer", "Speaker 9"],
            "no speaker labelled 'Speaker 9' (speakers: Speaker 2, Speaker 4",
        ),
        (["--interviewer", "Speaker 1", "--participant", "speaker 1"], "given two roles"),
        (["--name", "Speaker 1=Nobody Known"], "no participant named 'Nobody Known'"),
        (["--role", "Speaker 1=boss"], "must be one of"),
    ],
    ids=["unknown-label", "two-roles", "unknown-participant", "bad-role"],
)
def test_cli_bad_overrides_are_one_line_errors_and_change_nothing(
    group_ws: Workspace, persona: Any, args: list[str], message: str
) -> None:
    before = speakers_report(group_ws, "otter-three").to_json()
    r = persona("-w", group_ws.root, "speakers", "otter-three", "--participant", "Speaker 4", *args)
    assert r.code == 2
    assert message in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert speakers_report(group_ws, "otter-three").to_json() == before


def test_role_change_refused_while_another_process_analyses(group_ws: Workspace) -> None:
    cols = {r["name"] for r in group_ws.conn.execute("PRAGMA table_info(runs)")}
    if "pid" not in cols:
        pytest.skip("runs do not record their process yet")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        group_ws.conn.execute(
            "INSERT INTO runs(id, label, started_at, status, pid) VALUES (?,?,?,?,?)",
            ("busy1", "extract", db.now_iso(), "running", other.pid),
        )
        with pytest.raises(UsageError, match=r"another process \(pid \d+\) is running 'extract'"):
            set_speakers(group_ws, "otter-three", {"Speaker 4": P})
    finally:
        other.kill()
        other.wait()
        group_ws.conn.execute("DELETE FROM runs WHERE id = 'busy1'")


def test_names_from_metadata_show_in_speakers_and_exports(
    group_ws: Workspace, persona: Any
) -> None:
    ws = group_ws
    r = persona(
        "-w", ws.root, "speakers", "otter-three", "--name", "Speaker 4=marcus lee", "--json"
    )
    assert r.code == 0, r.stderr
    four = next(s for s in r.json()["speakers"] if s["label"] == "Speaker 4")
    assert (four["participant"], four["shown_as"]) == ("Marcus Lee", "Marcus Lee (Office Manager)")
    checker = QuoteChecker(
        TranscriptIndex(load_transcript(ws.conn, "otter-three-interviewers")), 88
    )
    insight = CheckedInsight(
        kind="pain",
        statement="Reminder calls take hours",
        intensity=None,
        metric=None,
        speaker="Speaker 4",
        dmu_role="champion",
        evidence=[checker.check("It takes about two hours every afternoon", "Speaker 4")],
    )
    save_analysis(
        ws.conn,
        "otter-three-interviewers",
        "hash",
        CheckedAnalysis("s", [insight], [], {}),
        Provenance("m", "m", "v1", True, None),
    )
    data = collect_export_data(ws)
    assert any("Marcus Lee (Office Manager)" in text for text in render_markdown(data).values())
    rows = insights_csv(data).splitlines()
    assert any("Marcus Lee (Office Manager)" in line for line in rows[1:])
    # The choice survives a re-ingest of the file.
    meta = json.loads(
        ws.conn.execute(
            "SELECT speaker_override FROM interviews WHERE id = 'otter-three-interviewers'"
        ).fetchone()[0]
    )
    assert meta["names"] == {"Speaker 4": "Marcus Lee"}


def test_review_lists_low_confidence_interviews(group_ws: Workspace, persona: Any) -> None:
    r = persona("-w", group_ws.root, "speakers", "--review", "--json")
    assert r.code == 0, r.stderr
    listed = {i["interview_id"]: i for i in r.json()}
    assert "dock-undiarized" in listed
    assert listed["dock-undiarized"]["unsure"] == ["Unattributed"]  # the parser names nobody
    assert "otter-three-interviewers" not in listed
    r = persona("-w", group_ws.root, "speakers", "dock", "--participant", "Unattributed")
    assert r.code == 0, r.stderr
    r = persona("-w", group_ws.root, "speakers", "--review", "--json")
    assert "dock-undiarized" not in {i["interview_id"] for i in r.json()}


def test_review_flags_quoted_phrases_not_said_verbatim(group_ws: Workspace, persona: Any) -> None:
    from assistant import review as r

    link = r.EvidenceLink(interview_id="otter-three-interviewers", quote="x", start=1, end=2)
    said = "Marcus says “the waitlist part, yes, that's the piece nobody has”"
    invented = "Clinics “love getting text reminders”"
    pitch = "Patients “confirm or cancel with one reply”"
    item = r.upsert_generated(
        group_ws,
        "messaging",
        "messaging:test",
        "Clinic message",
        {"lines": [r.ClaimDraft(text=t, evidence=[link]) for t in (said, invented, pitch)]},
        r.Provenance(model="m", prompt_version="v"),
    )
    flags = {c.text: c.quote_flags for c in r.get_item(group_ws, item.id).claims()}
    assert flags[said] == []
    assert flags[invented] == [
        "quotes “love getting text reminders”, which is not verbatim in otter-three-interviewers"
    ]
    assert flags[pitch] == [
        "quotes “confirm or cancel with one reply”: found only in interviewer turn 10"
    ]
    out = persona("-w", group_ws.root, "review", "show", item.id)
    assert out.code == 0, out.stderr
    assert "! quotes “love getting text reminders”" in out.stdout
    shown = persona("-w", group_ws.root, "review", "show", item.id, "--json").json()
    stored = json.dumps(shown, ensure_ascii=False)
    assert "love getting text reminders”, which is not verbatim" in stored
