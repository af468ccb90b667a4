"""Two unrelated studies in one workspace, run through the real pipeline against a fake LLM.

Study A: dental clinics (Acme Dental Group, Bright Smiles) with claim-backlog
pains. Study B: trucking (Globex Freight, Initech Haulage) with dispatch and
fuel-card pains. Champions were interviewed in both studies (one role, two
segments); nobody from the economic or technical buyer role was interviewed,
but champions and an end user name them (second-hand evidence).

Planted on purpose:
- ``acme-billing`` has no company in its metadata; the participant says
  "ACME Dental Group, Inc.", which must count as the same account as the
  metadata's "Acme Dental Group";
- Bright Smiles' revenue is free text ("growing fast");
- one quote in ``acme-manager`` is a paraphrase (unverified, with a reason).

Everything an LLM would return is written here and served by
:class:`~assistant.llm.fake_server.FakeLlmServer` at the HTTP boundary.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.library import ingest_paths
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, init_workspace
from tests.extract.helpers import redaction_signature, user_text
from tests.support.store import HashEmbedder

CLAIMS = "Insurance claims pile up for weeks before anyone submits them."
FRIDAYS = "Our front desk spends every Friday chasing claim denials by phone."
REBOOK = "Dispatchers rebook trucks by phone when a load changes."
FUEL = "Fuel card receipts take two days to reconcile each month."

FILES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "acme-manager": (
        """title: Acme manager
date: 2026-01-10
interviewer: Priya
participants: [{name: Nora Diaz, title: Practice Manager, dmu_role: champion}]
account: {company: Acme Dental Group, industry: Dental clinics, employees: "50–100",
  revenue: "€1,5M", tech_stack: [Dentrix], metrics: {arr: 20000, tenure_months: 12}}
tags: [study-a]""",
        [
            ("Priya", "What was hard before you bought?"),
            (
                "Nora Diaz",
                f"{CLAIMS} {FRIDAYS} Helen, our CFO, signs off on every new tool. "
                "Raj, our IT lead, checked that it works with Dentrix.",
            ),
        ],
    ),
    "acme-billing": (
        """title: Acme billing
date: 2026-01-12
interviewer: Priya
participants: [{name: Omar Reyes, title: Billing Specialist, dmu_role: end_user}]
tags: [study-a]""",
        [
            ("Priya", "Tell me about your work."),
            (
                "Omar Reyes",
                "I work for ACME Dental Group, Inc. in the billing office. "
                f"{CLAIMS} Raj, our IT lead, set up the Dentrix connection in a day.",
            ),
        ],
    ),
    "bright-smiles": (
        """title: Bright Smiles
date: 2026-01-15
interviewer: Priya
participants: [{name: Lena Park, title: Office Manager, dmu_role: champion}]
account: {company: Bright Smiles, industry: Dental clinics, employees: 40,
  revenue: growing fast, tech_stack: [Dentrix], metrics: {arr: 12000}}
tags: [study-a]""",
        [
            ("Priya", "What was hard before?"),
            ("Lena Park", f"{CLAIMS} {FRIDAYS}"),
        ],
    ),
    "globex-dispatch": (
        """title: Globex dispatch
date: 2026-02-01
interviewer: Priya
participants: [{name: Sam Ortiz, title: Dispatch Lead, dmu_role: champion}]
account: {company: Globex Freight, industry: Trucking, employees: 800, revenue: "$120M",
  tech_stack: [Samsara], metrics: {arr: 90000, tenure_months: 24, expanded: true, referred: true}}
tags: [study-b, win]""",
        [
            ("Priya", "What was hard before?"),
            ("Sam Ortiz", f"{REBOOK} {FUEL} Our VP of Finance, Carla, owns the budget."),
        ],
    ),
    "initech-haulage": (
        """title: Initech haulage
date: 2026-02-03
interviewer: Priya
participants: [{name: Kim Lee, title: Operations Director, dmu_role: champion}]
account: {company: Initech Haulage, industry: Trucking, employees: "about 2,000",
  revenue: "$300M", tech_stack: [Samsara], metrics: {arr: 70000, tenure_months: 20}}
tags: [study-b]""",
        [
            ("Priya", "What was hard before?"),
            ("Kim Lee", f"{REBOOK} {FUEL}"),
        ],
    ),
}


def write_studies(folder: Path) -> Path:
    """Write the five transcripts (front matter + ``Name:`` lines) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, (meta, turns) in FILES.items():
        body = "\n\n".join(f"{who}: {text}" for who, text in turns)
        (folder / f"{stem}.txt").write_text(f"---\n{meta}\n---\n{body}\n", encoding="utf-8")
    return folder


def _q(quote: str, speaker: str) -> dict[str, str]:
    return {"quote": quote, "speaker": speaker}


def _insight(kind: str, statement: str, speaker: str, role: str, *quotes: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "statement": statement,
        "intensity": "high" if kind == "pain" else None,
        "metric": None,
        "speaker": speaker,
        "dmu_role": role,
        "quotes": [_q(q, speaker) for q in quotes],
    }


def _bp(stakeholders: list[dict[str, Any]], **parts: Any) -> dict[str, Any]:
    return {
        "trigger": parts.get("trigger"),
        "alternatives_considered": parts.get("alternatives", []),
        "evaluation_criteria": parts.get("criteria", []),
        "stakeholders": stakeholders,
        "timeline": parts.get("timeline"),
        "budget_signals": parts.get("budget", []),
    }


def _stakeholder(name: str, role: str, notes: str, quote: str, speaker: str) -> dict[str, Any]:
    return {"name_or_title": name, "dmu_role": role, "notes": notes, "quotes": [_q(quote, speaker)]}


def analyses() -> dict[str, dict[str, Any]]:
    """The InterviewAnalysis a careful model would return for each transcript."""
    nora, omar, lena, sam, kim = "Nora Diaz", "Omar Reyes", "Lena Park", "Sam Ortiz", "Kim Lee"
    claims_pain = "Insurance claims wait for weeks before they are submitted."
    fridays_pain = "The front desk spends Fridays chasing claim denials by phone."
    rebook_pain = "Dispatchers rebook trucks by phone when loads change."
    fuel_pain = "Reconciling fuel card receipts takes two days a month."
    return {
        "acme-manager": {
            "summary": "A practice manager describes a claims backlog and who approved the tool.",
            "insights": [
                _insight("pain", claims_pain, nora, "champion", CLAIMS),
                _insight(
                    "pain",
                    fridays_pain,
                    nora,
                    "champion",
                    FRIDAYS,
                    "We lose every Friday afternoon to denied claims.",  # paraphrase
                ),
            ],
            "company_facts": [
                {
                    "group": "tech_stack",
                    "attribute": "tool",
                    "value": "Dentrix",
                    "quotes": [_q("checked that it works with Dentrix", nora)],
                }
            ],
            "buying_process": _bp(
                [
                    _stakeholder(
                        "Helen, CFO",
                        "economic_buyer",
                        "signs off on every new tool",
                        "Helen, our CFO, signs off on every new tool.",
                        nora,
                    ),
                    _stakeholder(
                        "Raj, IT lead",
                        "technical_buyer",
                        "checked the Dentrix fit",
                        "Raj, our IT lead, checked that it works with Dentrix.",
                        nora,
                    ),
                ],
                trigger={"text": "The claims backlog", "quotes": [_q(CLAIMS, nora)]},
                criteria=[
                    {
                        "text": "Works with Dentrix",
                        "quotes": [_q("checked that it works with Dentrix", nora)],
                    }
                ],
                timeline={
                    "text": "Decided within a quarter",
                    "quotes": [_q("We decided within a quarter.", nora)],  # not said: unverified
                },
            ),
        },
        "acme-billing": {
            "summary": "A billing specialist at Acme describes the same claims backlog.",
            "insights": [_insight("pain", claims_pain, omar, "end_user", CLAIMS)],
            "company_facts": [
                {
                    "group": "firmographic",
                    "attribute": "company",
                    "value": "ACME Dental Group, Inc.",
                    "quotes": [
                        _q("I work for ACME Dental Group, Inc. in the billing office.", omar)
                    ],
                }
            ],
            "buying_process": _bp(
                [
                    _stakeholder(
                        "Raj, IT lead",
                        "technical_buyer",
                        "set up the Dentrix connection",
                        "Raj, our IT lead, set up the Dentrix connection in a day.",
                        omar,
                    )
                ]
            ),
        },
        "bright-smiles": {
            "summary": "An office manager describes the claims backlog.",
            "insights": [
                _insight("pain", claims_pain, lena, "champion", CLAIMS),
                _insight("pain", fridays_pain, lena, "champion", FRIDAYS),
            ],
            "company_facts": [],
            "buying_process": _bp([]),
        },
        "globex-dispatch": {
            "summary": "A dispatch lead describes rebooking and fuel card work.",
            "insights": [
                _insight("pain", rebook_pain, sam, "champion", REBOOK),
                _insight("pain", fuel_pain, sam, "champion", FUEL),
            ],
            "company_facts": [],
            "buying_process": _bp(
                [
                    _stakeholder(
                        "Carla, VP of Finance",
                        "economic_buyer",
                        "owns the budget",
                        "Our VP of Finance, Carla, owns the budget.",
                        sam,
                    )
                ],
                budget=[
                    {
                        "text": "The VP of Finance owns the budget",
                        "quotes": [_q("Our VP of Finance, Carla, owns the budget.", sam)],
                    }
                ],
            ),
        },
        "initech-haulage": {
            "summary": "An operations director describes rebooking and fuel card work.",
            "insights": [
                _insight("pain", rebook_pain, kim, "champion", REBOOK),
                _insight("pain", fuel_pain, kim, "champion", FUEL),
            ],
            "company_facts": [],
            "buying_process": _bp([]),
        },
    }


def _claim(ids: list[str]) -> list[dict[str, Any]]:
    return [{"text": "What they said", "evidence_ids": ids[:1]}]


def responder() -> Any:
    """Answer extraction, theme naming and persona requests like a careful model."""
    authored = analyses()
    people = {
        stem: next(who for who, _ in turns if who != "Priya") for stem, (_, turns) in FILES.items()
    }
    # Requests are PII-redacted (names become placeholders): recognise an interview by
    # the words of its participant's first turn that redaction leaves alone.
    heads = {
        stem: redaction_signature(next(text for who, text in turns if who != "Priya"))[:80]
        for stem, (_, turns) in FILES.items()
    }

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        text = user_text(body)
        if "<clusters>" in text:
            ids = re.findall(r'<theme id="([^"]+)"', text)
            return {
                "themes": [
                    {"theme_id": i, "label": f"Theme {n}", "description": "Shared pain."}
                    for n, i in enumerate(ids, 1)
                ]
            }
        if m := re.search(r"^\[1\] (\S+) · [^:]+: (.+?\.)", text, re.M):
            return {
                "answer": f"Passage 1 is from {m.group(1)} [1].",
                "citations": [{"passage": 1, "quote": m.group(2)}],
            }
        if re.search(r"^Role: ", text, re.M):
            ids = re.findall(r"^- (\S+:[is]\d+) \[", text, re.M)
            return {
                "name": "Sample Sam",
                **{
                    f: _claim(ids)
                    for f in (
                        "titles_and_seniority",
                        "goals",
                        "challenges",
                        "motivations",
                        "objections",
                        "buying_behaviour",
                        "channels",
                        "success_metrics",
                    )
                },
                "quote_insight_ids": ids[:2],
            }
        for stem, person in people.items():
            if f"{person}:" in text:
                return authored[stem]
        signature = redaction_signature(text)
        for stem, head in heads.items():
            if head and head in signature:
                return authored[stem]
        raise AssertionError("request matches no study interview:\n" + text[:500])

    return respond


@contextmanager
def studies_workspace(root: Path, *, themes: bool = False) -> Iterator[tuple[Workspace, Settings]]:
    """A workspace with the two studies ingested and extracted through a fake LLM server
    (and its themes generated, with the hash embedder, when ``themes``)."""
    from assistant.extract import extract_interviews
    from assistant.llm.fake_server import FakeLlmServer

    with FakeLlmServer(model="fake-model", responder=responder()) as server:
        os.environ["OPENAI_API_KEY"] = "test-placeholder"
        settings = load_settings(
            {"llm": {"base_url": server.base_url, "server": "openai", "retry_base_s": 0.01}}
        )
        ws = init_workspace(root / "ws")
        try:
            results = ingest_paths(ws, [write_studies(root / "files")], embedder=HashEmbedder())
            assert all(r.status == "ingested" for r in results), results
            outcomes = extract_interviews(ws, settings)
            assert all(o.error is None for o in outcomes), outcomes
            if themes:
                from assistant.generate.themes import generate_themes

                generate_themes(ws, settings, embedder=HashEmbedder())
            yield ws, settings
        finally:
            ws.close()
