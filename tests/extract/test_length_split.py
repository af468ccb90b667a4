"""Answers cut at the output limit: split-and-retry, one turn too long, a runaway answer.

The fake server honours the request's output limit like a real one: an answer
longer than ``max_completion_tokens`` / ``max_tokens`` comes back cut there,
with ``finish_reason: length``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.extract import extract_interviews, list_insights
from assistant.extract.split import split_window
from assistant.extract.windows import split_windows
from assistant.ingest import parse_file
from assistant.library import ingest_paths
from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.runlog import RunLog
from assistant.llm.tokens import count_tokens
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace
from tests.extract.helpers import user_text
from tests.extract.test_windows_live import TOPICS, long_transcript, window_responder
from tests.support.answers import EMPTY_PROCESS
from tests.support.store import HashEmbedder


def capped_settings(
    server: FakeLlmServer, monkeypatch: pytest.MonkeyPatch, cap: int, **extra: Any
) -> Settings:
    """Live settings against the fake server with a fixed extraction cap of ``cap`` tokens."""
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-secret")
    return load_settings(
        {
            "llm": {"base_url": server.base_url, "retry_base_s": 0.01},
            "output_tokens": {"extract_interview": cap, "extract_interview_per_input": 0},
            "privacy": {"redact": False},
            **extra,
        }
    )


def ingest_text(ws: Workspace, folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    (result,) = ingest_paths(ws, [path], embedder=HashEmbedder())
    assert result.status == "ingested"


def answer_tokens(window_text: str) -> int:
    """Tokens of the fake model's answer to a window (as the server counts them)."""
    body = {"messages": [{"role": "user", "content": window_text}]}
    return count_tokens(json.dumps(window_responder(body), ensure_ascii=False))


def ingest_long_interview_and_cap(workspace: Workspace, tmp_path: Path) -> int:
    """Ingest the long interview; an output cap its whole answer exceeds and each half's fits."""
    ingest_text(workspace, tmp_path / "in", "long-interview.txt", long_transcript())
    transcript = parse_file(tmp_path / "in" / "long-interview.txt")
    (whole,) = split_windows(transcript, 6000, 2)
    halves = split_window(transcript, whole)
    assert halves is not None
    full, half = answer_tokens(whole.text), max(answer_tokens(h.text) for h in halves)
    cap = (full + half) // 2
    assert half < cap < full
    return cap


def test_a_cut_answer_splits_the_window_and_loses_nothing(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cap = ingest_long_interview_and_cap(workspace, tmp_path)

    with FakeLlmServer(responder=window_responder) as server:
        (outcome,) = extract_interviews(workspace, capped_settings(server, monkeypatch, cap))
        assert outcome.status == "extracted", outcome.error
        assert outcome.windows == 2
        assert server.request_count == 3
        first = server.requests[0].body
        assert cap in (first.get("max_tokens"), first.get("max_completion_tokens"))
    # Every participant turn is still there: nothing was lost to the cut.
    statements = {i.statement for i in list_insights(workspace)}
    assert statements == {f"The participant talked about {t}." for t in TOPICS}
    log = RunLog(workspace.conn)
    assert [c["status"] for c in log.calls()] == ["length", "ok", "ok"]
    runs = {r["label"]: r for r in log.runs()}  # (both may start within the same second)
    assert set(runs) == {"extract_interview", "extract_interview (split windows)"}
    first = runs["extract_interview"]
    assert "split in two" in first["note"] and f"output limit of {cap}" in first["note"]
    assert first["status"] == "ok"  # the cut call was asked again, not lost


SENTENCE_WORDS = [
    "ledger", "carrier", "freight", "audit", "vendor", "approval", "scanner", "treasury",
    "warehouse", "controller", "accrual", "rebate", "invoice", "contract", "payroll", "budget",
]  # fmt: skip


def one_long_turn() -> str:
    """An interview whose participant answers in one turn of 40 different sentences."""
    sentences = [
        f"The {SENTENCE_WORDS[k % 16]} problem number {k} cost us {k * 7 + 3} hours with "
        f"{SENTENCE_WORDS[(k * 5 + 3) % 16]} checks."
        for k in range(40)
    ]
    return "Interviewer: Walk me through everything.\n\nDana: " + " ".join(sentences) + "\n"


def sentence_responder(body: dict[str, Any]) -> dict[str, Any]:
    """One insight per sentence of the participant's turns (a long, varied answer)."""
    insights = []
    for line in re.findall(r"^Dana: (.*)$", user_text(body), re.M):
        for sentence in re.split(r"(?<=\.) ", line):
            insights.append(
                {
                    "kind": "pain",
                    "statement": sentence,
                    "intensity": "high",
                    "metric": None,
                    "speaker": "Dana",
                    "dmu_role": "economic_buyer",
                    "quotes": [{"quote": sentence, "speaker": "Dana"}],
                }
            )
    return {
        "summary": "A long answer.",
        "insights": insights,
        "company_facts": [],
        "buying_process": EMPTY_PROCESS,
    }


def test_a_single_turn_too_long_for_the_model_fails_with_a_message_saying_so(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_text(workspace, tmp_path / "in", "one-turn.txt", one_long_turn())
    with FakeLlmServer(responder=sentence_responder) as server:
        (outcome,) = extract_interviews(workspace, capped_settings(server, monkeypatch, 300))
        # Whole interview cut; split into the question and the answer; the answer
        # alone is cut again and cannot be split further.
        assert server.request_count == 3
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "turn 1 (Dana" in outcome.error and "alone needs more than" in outcome.error
    assert "output limit of 300 tokens" in outcome.error
    assert "[output_tokens] extract_interview" in outcome.error


def runaway_responder(body: dict[str, Any]) -> dict[str, Any]:
    """The same insight again and again for the interview that mentions a loop; a normal
    answer for the others."""
    if "Loopwell" not in user_text(body):
        return window_responder(body)
    same = {
        "kind": "pain",
        "statement": "Loopwell approvals were slow.",
        "intensity": None,
        "metric": None,
        "speaker": "Dana",
        "dmu_role": None,
        "quotes": [{"quote": "Loopwell approvals were slow", "speaker": "Dana"}],
    }
    return {
        "summary": "Loop.",
        "insights": [same] * 2000,
        "company_facts": [],
        "buying_process": EMPTY_PROCESS,
    }


def test_a_runaway_answer_is_a_length_failure_said_aloud_and_the_rest_is_kept(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = "Interviewer: How were approvals?\n\nDana: Loopwell approvals were slow, every week.\n"
    ingest_text(workspace, tmp_path / "in", "loop.txt", loop)
    ingest_text(workspace, tmp_path / "in", "long-interview.txt", long_transcript())
    with FakeLlmServer(responder=runaway_responder) as server:
        outcomes = extract_interviews(workspace, capped_settings(server, monkeypatch, 2000))
        assert server.request_count == 2  # no split: more room would only pay for the loop
    by_id = {o.interview_id: o for o in outcomes}
    assert by_id["long-interview"].status == "extracted"
    assert by_id["long-interview"].insights == len(TOPICS)
    looped = by_id["loop"]
    assert looped.status == "failed" and looped.error is not None
    assert "repeated itself until the output limit of 2000 tokens" in looped.error
    assert "runaway" in looped.error
    statuses = sorted(c["status"] for c in RunLog(workspace.conn).calls())
    assert statuses == ["length", "ok"]


def test_a_batch_line_cut_at_its_limit_is_split_when_collected(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch cannot split a window: collect extracts that interview again, split."""
    from assistant.extract.batch import collect_extraction, submit_extraction

    cap = ingest_long_interview_and_cap(workspace, tmp_path)

    with FakeLlmServer(responder=window_responder) as server:
        settings = capped_settings(server, monkeypatch, cap)
        stored = submit_extraction(workspace, settings)
        assert stored is not None
        (outcome,), notes = collect_extraction(workspace, settings, stored.id)
        assert server.request_count == 4  # the cut batch line, then the window and its halves
    assert outcome.status == "extracted", outcome.error
    assert outcome.windows == 2
    assert any("cut at its output limit" in n for n in notes)
    statements = {i.statement for i in list_insights(workspace)}
    assert statements == {f"The participant talked about {t}." for t in TOPICS}
