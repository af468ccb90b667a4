"""Extraction answers (InterviewAnalysis JSON) written by tests, as a model would send them."""

from __future__ import annotations

from typing import Any

EMPTY_PROCESS: dict[str, Any] = {
    "trigger": None,
    "alternatives_considered": [],
    "evaluation_criteria": [],
    "stakeholders": [],
    "timeline": None,
    "budget_signals": [],
}
"""A buying process where nothing was said (for hand-built answers)."""


def quote(text: str, speaker: str) -> dict[str, str]:
    """A quote object of an answer."""
    return {"quote": text, "speaker": speaker}


def insight(statement: str, quotes: list[dict[str, str]], speaker: str = "Sam") -> dict[str, Any]:
    """An insight of kind pain, without intensity, metric or role."""
    return {
        "kind": "pain",
        "statement": statement,
        "intensity": None,
        "metric": None,
        "speaker": speaker,
        "dmu_role": None,
        "quotes": quotes,
    }


def analysis(
    insights: list[dict[str, Any]], summary: str = "Sam described manual work."
) -> dict[str, Any]:
    """A whole answer: these insights, no company facts, an empty buying process."""
    return {
        "summary": summary,
        "insights": insights,
        "company_facts": [],
        "buying_process": dict(EMPTY_PROCESS),
    }
