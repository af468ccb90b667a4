"""PII redaction: measured on the labelled sample, placeholders stable, answers mapped
back, nothing sent verbatim, quotes verified against the original, `persona preview`
shows exactly what is sent, and exports can be redacted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.extract import extract_interviews, list_insights
from assistant.library import ingest_paths
from assistant.llm.fake_server import FakeLlmServer
from assistant.privacy import Redactor, find_pii, workspace_redactor
from assistant.settings import load_settings
from assistant.workspace import Workspace
from tests.support.cli import run_cli
from tests.support.pii_sample import HELD_OUT, SAMPLE, precision_recall, score
from tests.support.store import HashEmbedder

EMAIL = "dana.whitfield@northwind-foods.example"
PHONE = "(415) 555-0132"
SSN = "219-09-9999"

TRANSCRIPT = f"""---
participants:
  - name: Dana Whitfield
    title: CFO
    company: Northwind Foods
    dmu_role: economic_buyer
account:
  company: Northwind Foods
interviewer: Priya Raman
---
Priya Raman: Thanks for joining, Dana. How do vendors reach you?

Dana Whitfield: Honestly, anyone can email me at {EMAIL} or call {PHONE}. Payroll once sent my SSN, {SSN}, in plain text.

Priya Raman: What happened at Northwind Foods after that?

Dana Whitfield: We moved approvals into one queue and month-end close went from eleven days to six.
"""


def _detect(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in find_pii(text)]


@pytest.mark.parametrize("cases", [SAMPLE, HELD_OUT], ids=["sample", "held-out"])
def test_precision_and_recall_on_the_labelled_sample(cases: list) -> None:
    counts = score(_detect, cases)
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    precision, recall = precision_recall(tp, fp, fn)
    assert precision >= 0.95 and recall >= 0.95, counts


def test_names_and_pii_become_stable_placeholders_and_map_back() -> None:
    red = Redactor(people=["Dana Whitfield", "Priya Raman"], companies=["Northwind Foods"])
    first = red.redact_variables({"t": f"Dana Whitfield ({EMAIL}) of Northwind Foods; Dana said"})
    second = red.redact_variables({"t": f"Priya Raman wrote to {EMAIL} and Dana"})
    assert first.variables["t"] == "[PERSON_1] ([EMAIL_1]) of [COMPANY_1]; [PERSON_1_F] said"
    assert second.variables["t"] == "[PERSON_2] wrote to [EMAIL_1] and [PERSON_1_F]"
    answer = {"quote": "[PERSON_1_F] said", "who": ["[PERSON_1]", "[EMAIL_1]", "[UNKNOWN_9]"]}
    assert red.restore(answer, first.mapping) == {
        "quote": "Dana said",
        "who": ["Dana Whitfield", EMAIL, "[UNKNOWN_9]"],
    }
    # Ordinary words that merely start like a name are left alone.
    assert red.redact("Danaher and Northwinds stay") == "Danaher and Northwinds stay"


@pytest.fixture
def pii_ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    path = tmp_path / "northwind-cfo.md"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    (result,) = ingest_paths(workspace, [path], embedder=HashEmbedder())
    assert result.status == "ingested", result
    return workspace


def _quote_from_request(body: dict) -> dict:
    """An extraction answer quoting the participant's sentence as the request shows it."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    line = next(
        part.split(": ", 1)[1]
        for part in user.split("\n\n")
        if "email me at" in part and ": " in part
    )
    quote = line.split(". ")[0]  # "Honestly, anyone can email me at [EMAIL_1] or call [PHONE_1]"
    speaker = next(
        part.split(":", 1)[0].split("\n")[-1]
        for part in user.split("\n\n")
        if "email me at" in part
    )
    schema = body["response_format"]["json_schema"]["schema"]
    from assistant.llm.fake_server import example_for

    answer = example_for(schema)
    answer["insights"] = [
        {
            **answer["insights"][0],
            "kind": "pain",
            "speaker": speaker,
            "quotes": [{"quote": quote, "speaker": speaker}],
        }
    ]
    return answer


def test_extraction_sends_no_pii_and_verifies_quotes_against_the_original(
    pii_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeLlmServer(responder=_quote_from_request) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "test-key-privacy")
        settings = load_settings({"llm": {"base_url": server.base_url, "server": "other"}})
        (outcome,) = extract_interviews(pii_ws, settings)
        sent = json.dumps([r.body["messages"] for r in server.requests], ensure_ascii=False)
    assert outcome.status == "extracted", outcome
    for secret in (EMAIL, PHONE, SSN, "Dana", "Whitfield", "Priya", "Northwind"):
        assert secret not in sent, secret
    assert "[EMAIL_1]" in sent and "[PERSON_" in sent
    (insight,) = list_insights(pii_ws)
    (evidence,) = insight.evidence
    assert EMAIL in evidence["quote"] and PHONE in evidence["quote"]
    assert evidence["status"] == "verified", evidence
    assert insight.speaker == "Dana Whitfield"


def test_no_redact_sends_the_text_as_it_is(pii_ws: Workspace, monkeypatch) -> None:
    with FakeLlmServer(responder=_quote_from_request) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "test-key-privacy")
        settings = load_settings(
            {"llm": {"base_url": server.base_url, "server": "other"}, "privacy": {"redact": False}}
        )
        extract_interviews(pii_ws, settings)
        sent = json.dumps([r.body for r in server.requests], ensure_ascii=False)
    assert EMAIL in sent and "Dana Whitfield" in sent


def test_preview_prints_exactly_what_is_sent(pii_ws: Workspace) -> None:
    root = str(pii_ws.root)
    pii_ws.close()
    res = run_cli("-w", root, "preview", "extract", "northwind-cfo", "--json")
    assert res.code == 0, res.stderr
    (request,) = res.json()
    user = request["messages"][1]["content"]
    assert EMAIL not in user and SSN not in user and "[EMAIL_1]" in user and "[ID_1]" in user
    # The same request, really sent: the fake server sees the very same messages.
    with FakeLlmServer(responder=_quote_from_request) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "k-test-privacy"}
        sent = run_cli("-w", root, "extract", "--all", env=env)
        assert sent.code == 0, sent.stderr
        body = server.requests[0].body
    assert [m["content"] for m in body["messages"]] == [m["content"] for m in request["messages"]]
    plain = run_cli("-w", root, "preview", "extract", "northwind-cfo", "--no-redact")
    assert plain.code == 0 and EMAIL in plain.stdout and "NOT redacted" in plain.stdout


def test_export_redact_removes_pii_and_names(pii_ws: Workspace, tmp_path: Path) -> None:
    redactor = workspace_redactor(pii_ws.conn)
    assert redactor.redact("Dana Whitfield") == "[PERSON_2]" or "[PERSON_" in redactor.redact(
        "Dana Whitfield"
    )
    root = str(pii_ws.root)
    pii_ws.close()
    out = tmp_path / "shared"
    res = run_cli("-w", root, "export", "--redact", "--out", str(out))
    assert res.code == 0, res.stderr
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()]
    assert texts
    for text in texts:
        for secret in (EMAIL, PHONE, SSN, "Dana Whitfield", "Northwind Foods"):
            assert secret not in text, secret
