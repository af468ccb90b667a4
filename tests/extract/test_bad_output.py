"""Bad model output in extraction: each case a clear status per item, the rest kept.

Two short interviews we wrote; the fake server (real HTTP on 127.0.0.1)
answers the first one well and the second one with the bad output under test,
so every case also shows that the other interview is stored untouched.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.extract import ExtractionOutcome, extract_interviews, list_insights
from assistant.library import ingest_paths, load_transcript
from assistant.llm.fake_server import FakeLlmServer
from assistant.llm.tokens import count_tokens
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, init_workspace
from tests.extract.helpers import user_text
from tests.llm.helpers import TEST_KEY
from tests.support.answers import analysis, insight, quote
from tests.support.store import HashEmbedder

GOOD = """Interviewer: What slowed your month-end close before?
Dana: We rebuilt the accrual spreadsheet by hand every month and it broke whenever someone added a column.
Interviewer: And after the change?
Dana: The close went from nine business days to five within two quarters.
"""

TOPICS = [
    "the approval queue", "supplier statements", "the audit trail", "bank feeds",
    "purchase orders", "the expense policy", "card reconciliations", "the vendor master",
]  # fmt: skip


def long_interview() -> str:
    """A long interview (well over 1,500 tokens) with plenty to find."""
    lines = []
    for n in range(60):
        topic = TOPICS[n % len(TOPICS)]
        lines.append(f"Interviewer: Tell me about {topic}, part {n + 1}.")
        lines.append(
            f"Sam: For {topic} we spent about {n + 2} hours every week copying numbers "
            f"between two systems, and in round {n + 1} we still found mistakes late, "
            "which meant the controller had to sign off again before the board pack went out."
        )
    return "\n".join(lines) + "\n"


GOOD_ANSWER = analysis(
    [
        insight(
            "The accrual spreadsheet was rebuilt by hand every month.",
            [quote("We rebuilt the accrual spreadsheet by hand every month", "Dana")],
            speaker="Dana",
        )
    ],
    summary="Dana described a slow close.",
)
SAM = "For the approval queue we spent about 2 hours every week copying numbers between two systems"
SAM_2 = (
    "For supplier statements we spent about 3 hours every week copying numbers between two systems"
)


@pytest.fixture
def bad_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Run]]:
    """Run extraction of the two interviews with the second one answered by ``bad``."""
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    ws = init_workspace(tmp_path / "ws")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "long.txt").write_text(long_interview(), encoding="utf-8")
    results = ingest_paths(
        ws, [tmp_path / "good.txt", tmp_path / "long.txt"], embedder=HashEmbedder()
    )
    assert all(r.status == "ingested" for r in results), results
    with FakeLlmServer() as server:

        def run(bad: Callable[[dict[str, Any]], dict[str, Any] | str], **llm: Any) -> Run:
            def respond(body: dict[str, Any]) -> dict[str, Any] | str:
                if "accrual spreadsheet" in user_text(body):
                    return copy.deepcopy(GOOD_ANSWER)
                return bad(body)

            server.responder = respond
            settings = settings_for(server, **llm)
            before = server.request_count
            outcomes = {o.interview_id: o for o in extract_interviews(ws, settings, force=True)}
            return Run(ws, outcomes, server.request_count - before)

        yield run
    ws.close()


class Run:
    def __init__(self, ws: Workspace, outcomes: dict[str, ExtractionOutcome], requests: int):
        self.ws = ws
        self.outcomes = outcomes
        self.requests = requests

    @property
    def good(self) -> ExtractionOutcome:
        return self.outcomes["good"]

    @property
    def bad(self) -> ExtractionOutcome:
        return self.outcomes["long"]

    def statements(self, iid: str) -> list[str]:
        return [i.statement for i in list_insights(self.ws, iid)]

    def logged(self) -> list[str]:
        rows = self.ws.conn.execute("SELECT message FROM run_warnings WHERE subject = 'long'")
        return [r[0] for r in rows]


def settings_for(server: FakeLlmServer, **llm: Any) -> Settings:
    return load_settings(
        {
            "llm": {"base_url": server.base_url, "server": "openai", "retry_base_s": 0.01, **llm},
            "privacy": {"redact": False},
        }
    )


def assert_good_kept(run: Run) -> None:
    assert run.good.status == "extracted" and run.good.warnings == []
    assert run.statements("good") == ["The accrual spreadsheet was rebuilt by hand every month."]


def test_a_refusal_fails_only_its_interview_and_says_so(bad_run: Callable[..., Run]) -> None:
    run = bad_run(lambda body: "I can't help with that.", max_reasks=1)
    assert_good_kept(run)
    assert run.bad.status == "failed"
    assert "the model refused: I can't help with that." in str(run.bad.error)
    assert run.requests == 1 + 2  # good + the refusal and one re-ask


def test_prose_instead_of_json_fails_only_its_interview_with_the_reply_shown(
    bad_run: Callable[..., Run],
) -> None:
    prose = "Here is what I found: Sam spends hours copying numbers between systems."
    run = bad_run(lambda body: prose, max_reasks=1)
    assert_good_kept(run)
    assert run.bad.status == "failed"
    assert "not valid JSON (it began: 'Here is what I found" in str(run.bad.error)


def test_misspelled_and_extra_fields_are_repaired_or_ignored_with_warnings(
    bad_run: Callable[..., Run],
) -> None:
    answer = analysis([insight("Approvals meant copying numbers by hand.", [quote(SAM, "Sam")])])
    item = answer["insights"][0]
    item["statment"] = item.pop("statement")  # misspelled: the one field missing
    item["confidence"] = 0.9  # a field the schema does not have
    answer["Summary"] = answer.pop("summary")  # another case
    run = bad_run(lambda body: copy.deepcopy(answer))
    assert_good_kept(run)
    assert run.bad.status == "extracted"
    assert run.statements("long") == ["Approvals meant copying numbers by hand."]
    text = "\n".join(run.bad.warnings)
    assert 'field "statment" read as "statement"' in text
    assert 'field "Summary" read as "summary"' in text
    assert 'ignored the unknown field "confidence" in insights[0]' in text
    assert set(run.bad.warnings) <= set(run.logged())


def test_an_item_without_quotes_is_dropped_and_the_others_kept(
    bad_run: Callable[..., Run],
) -> None:
    answer = analysis(
        [
            insight("Approvals meant copying numbers by hand.", [quote(SAM, "Sam")]),
            insight("Mistakes were found late.", []),  # zero quotes, on every re-ask
            insight("Supplier statements took hours.", [quote(SAM_2, "Sam")]),
        ]
    )
    run = bad_run(lambda body: copy.deepcopy(answer), max_reasks=1)
    assert_good_kept(run)
    assert run.bad.status == "extracted"
    assert run.statements("long") == [
        "Approvals meant copying numbers by hand.",
        "Supplier statements took hours.",
    ]
    (dropped,) = run.bad.warnings
    assert dropped.startswith('dropped insights[1] "Mistakes were found late."')
    assert "give 1 to 3 quotes, got 0" in dropped
    assert run.requests == 1 + 2  # the re-ask asked for the quotes first
    assert dropped in run.logged()


def test_a_speaker_label_in_another_case_is_repaired(bad_run: Callable[..., Run]) -> None:
    answer = analysis(
        [insight("Approvals meant copying numbers by hand.", [quote(SAM, "sam")], speaker="SAM")]
    )
    run = bad_run(lambda body: copy.deepcopy(answer))
    assert run.bad.status == "extracted"
    (stored,) = list_insights(run.ws, "long")
    assert stored.speaker == "Sam" and stored.evidence[0]["status"] == "verified"
    text = "\n".join(run.bad.warnings)
    assert 'speaker "SAM" read as "Sam"' in text and 'speaker "sam" read as "Sam"' in text


def test_no_findings_in_a_long_window_is_a_warning_with_its_size(
    bad_run: Callable[..., Run],
) -> None:
    run = bad_run(lambda body: analysis([]))
    assert_good_kept(run)
    assert run.bad.status == "extracted" and run.bad.insights == 0
    tokens = count_tokens(load_transcript(run.ws.conn, "long").text)
    assert tokens > 1500
    assert run.bad.warnings == [f"no findings in {tokens:,} tokens of interview"]


def test_the_same_quote_for_ten_items_is_a_warning(bad_run: Callable[..., Run]) -> None:
    answer = analysis([insight(f"Finding {n}.", [quote(SAM, "Sam")]) for n in range(10)])
    run = bad_run(lambda body: copy.deepcopy(answer))
    assert run.bad.status == "extracted" and run.bad.insights == 10  # kept, for review
    (warning,) = run.bad.warnings
    assert warning.startswith("the same quote is the evidence of 10 of 10 items:")


def test_an_answer_in_another_language_is_a_warning(bad_run: Callable[..., Run]) -> None:
    german = analysis(
        [
            insight(
                "Die Freigaben bedeuteten, dass die Zahlen von Hand kopiert wurden.",
                [
                    quote(
                        "Für die Freigaben haben wir jede Woche Zahlen zwischen zwei Systemen kopiert",
                        "Sam",
                    )
                ],
            ),
            insight(
                "Die Fehler wurden erst spät gefunden und der Controller musste noch einmal "
                "unterschreiben.",
                [quote("und wir haben die Fehler immer noch zu spät gefunden", "Sam")],
            ),
        ],
        summary="Sam beschreibt, dass das Team jede Woche viele Stunden mit dem Kopieren der "
        "Zahlen verbracht hat, und dass die Fehler erst spät gefunden wurden.",
    )
    run = bad_run(lambda body: copy.deepcopy(german))
    assert_good_kept(run)
    assert run.bad.status == "extracted" and run.bad.unverified == 2
    assert run.bad.warnings == [
        "the answer is written in German but the transcript is in English; "
        "2 of 2 quotes did not verify"
    ]
