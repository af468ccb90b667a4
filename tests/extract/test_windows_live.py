"""Long transcripts (windows, merge) and live runs against the fake server."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.extract import extract_interviews, list_insights
from assistant.extract.windows import split_windows
from assistant.ingest import parse_file
from assistant.library import ingest_paths
from assistant.llm.fake_server import FakeLlmServer
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace
from tests.extract.helpers import user_text
from tests.support.answers import EMPTY_PROCESS
from tests.support.store import HashEmbedder

TOPICS = [
    "invoice scanning accuracy",
    "approval delays from warehouse managers",
    "the NetSuite sync breaking weekly",
    "late fees paid to carriers",
    "audit findings about controls",
    "vendor fraud and bank detail changes",
    "per-invoice pricing worries",
    "training the accounts payable clerks",
    "mobile approvals on the phone",
    "month-end accruals in spreadsheets",
    "duplicate payments after an acquisition",
    "security review by the IT director",
    "board reporting deadlines",
    "early-payment discounts we missed",
    "onboarding timeline slipping",
    "the renewal decision next year",
    "peer recommendations from a roundtable",
    "multi-entity routing rules",
    "purchase order matching exceptions",
    "headcount we did not have to add",
]


def long_transcript() -> str:
    """40 turns: an interviewer question and a two-sentence participant answer per topic."""
    lines = []
    for k, topic in enumerate(TOPICS):
        lines.append(f"Interviewer: Tell me about {topic}, please.")
        lines.append("")
        lines.append(
            f"Dana: Honestly {topic} was on my mind every week, item {k}. "
            f"We changed how we handle {topic} completely, reason {k}."
        )
        lines.append("")
    return "\n".join(lines)


def window_responder(body: dict[str, Any]) -> dict[str, Any]:
    """Answer with one insight per participant turn in the window, quoting that turn.

    Odd windows quote a turn's first sentence, even windows its second, so a
    turn in the overlap of two windows yields the same insight with two quotes.
    """
    text = user_text(body)
    part = re.search(r"part (\d+) of", text)
    n = int(part.group(1)) if part else 1
    insights = []
    # "Dana" arrives as a placeholder ([PERSON_n]) when requests are redacted; the
    # answer quotes the placeholder and is mapped back to the original locally.
    for label, line in re.findall(r"^(Dana|\[PERSON_\d+\]): (.*)$", text, re.M):
        first, second = re.split(r"(?<=\.) ", line, maxsplit=1)
        topic = next(t for t in TOPICS if t in first)
        insights.append(
            {
                "kind": "pain",
                "statement": f"The participant talked about {topic}.",
                "intensity": None,
                "metric": None,
                "speaker": label,
                "dmu_role": "economic_buyer",
                "quotes": [{"quote": first if n % 2 else second, "speaker": label}],
            }
        )
    return {
        "summary": f"Window {n}.",
        "insights": insights,
        "company_facts": [],
        "buying_process": EMPTY_PROCESS,
    }


def live_settings(server: FakeLlmServer, monkeypatch: pytest.MonkeyPatch, **extra: Any) -> Settings:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-secret")
    data: dict[str, Any] = {
        "llm": {"base_url": server.base_url, "retry_base_s": 0.01, "max_output_tokens": 16000},
        **extra,
    }
    return load_settings(data)


@pytest.fixture
def long_ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    path = tmp_path / "long-interview.txt"
    path.write_text(long_transcript(), encoding="utf-8")
    (result,) = ingest_paths(workspace, [path], embedder=HashEmbedder())
    assert result.status == "ingested"
    return workspace


def test_split_windows_covers_every_turn_with_overlap(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_transcript(), encoding="utf-8")
    transcript = parse_file(path)
    windows = split_windows(transcript, window_tokens=300, overlap_turns=2)
    assert len(windows) > 2
    covered = {i for w in windows for i in range(w.first_turn, w.last_turn + 1)}
    assert covered == set(range(len(transcript.turns)))
    for a, b in itertools.pairwise(windows):
        assert b.first_turn == a.last_turn - 1  # two turns shared
    assert split_windows(transcript, 100_000, 2)[0].text == transcript.text


def test_long_transcript_is_windowed_merged_and_loses_no_turn(
    long_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[tuple[int, int, str]] = []
    with FakeLlmServer(responder=window_responder) as server:
        settings = live_settings(server, monkeypatch, extract={"window_tokens": 300})
        (outcome,) = extract_interviews(  # the configured embedder merges
            long_ws, settings, progress=lambda *a: heard.append(a)
        )
        assert outcome.status == "extracted", outcome.error
        assert outcome.windows == server.request_count > 2
    # one report per answer, then what happens before the interview is stored
    n = outcome.windows
    assert [d for d, _, _ in heard[:n]] == list(range(1, n + 1))
    after = [what.split(": ", 1)[1] for d, total, what in heard[n:]]
    assert after == [
        *(f"verifying the quotes of window {k} of {n}" for k in range(1, n + 1)),
        f"merging the insights of {n} windows",
        f"storing {len(TOPICS)} insights",
    ]
    assert all((d, total) == (n, n) for d, total, _ in heard[n:])
    insights = list_insights(long_ws)
    topics = [t for t in TOPICS if any(t in i.statement for i in insights)]
    assert topics == TOPICS  # every participant turn is represented
    assert len(insights) == len(TOPICS)  # overlap duplicates were merged
    quotes = {e["quote"] for i in insights for e in i.evidence}
    assert all(e["status"] == "verified" for i in insights for e in i.evidence)
    doubled = [i for i in insights if len(i.evidence) == 2]
    assert doubled  # merged insights keep the evidence of both windows
    for i in doubled:
        assert {e["turn"] for e in i.evidence} == {i.evidence[0]["turn"]}
    assert len(quotes) == sum(len(i.evidence) for i in insights)


def test_live_run_against_the_fake_server(
    long_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeLlmServer(responder=window_responder, model="fake-live") as server:
        settings = live_settings(server, monkeypatch)
        (outcome,) = extract_interviews(long_ws, settings, embedder=HashEmbedder())
        assert outcome.status == "extracted" and outcome.windows == 1
        assert outcome.insights == outcome.verified == len(TOPICS)
        assert server.request_count == 1
        request = server.requests[0]
        assert request.headers["x-persona-fixture-key"].startswith("extract_interview:")
        assert "<transcript>" in user_text(request.body)
        # The participant's name is redacted (on by default); the interviewer label is generic.
        sent = user_text(request.body)
        assert re.search(r"Interviewer \(interviewer\), \[PERSON_\d+\] \(participant\)", sent)
        assert "Dana" not in sent
        (again,) = extract_interviews(long_ws, settings)
        assert again.status == "unchanged" and server.request_count == 1
    (insight, *_) = list_insights(long_ws)
    assert insight.model == "fake-live" and not insight.fixture
