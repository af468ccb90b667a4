"""The LLM output schemas: strict-mode compatible, and a sample analysis validates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from assistant.llm.schemas import (
    assert_strict_compatible,
    strict_json_schema,
    strict_schema_problems,
)
from assistant.schemas import EXTRACTION_MODELS, InsightKind, InterviewAnalysis

QUOTE = {"quote": "it took our team of three about nine days", "speaker": "Dana"}
SAMPLE: dict[str, Any] = {
    "summary": "Dana runs AP at a dental group. Closing took nine days; now three.",
    "insights": [
        {
            "kind": "pain",
            "statement": "Month-end close took nine days of manual reconciliation.",
            "intensity": "high",
            "metric": None,
            "speaker": "Dana",
            "dmu_role": "end_user",
            "quotes": [QUOTE],
        },
        {
            "kind": "result",
            "statement": "Close time fell from nine days to three.",
            "intensity": None,
            "metric": {"before": "9", "after": "3", "unit": "days", "period": None},
            "speaker": "Dana",
            "dmu_role": None,
            "quotes": [{"quote": "Now we close in three days instead of nine.", "speaker": "Dana"}],
        },
    ],
    "company_facts": [
        {
            "group": "tech_stack",
            "attribute": "tool",
            "value": "NetSuite",
            "quotes": [{"quote": "the integration with NetSuite", "speaker": "Dana"}],
        }
    ],
    "buying_process": {
        "trigger": {
            "text": "An audit found duplicate payments.",
            "quotes": [{"quote": "Our auditor flagged two duplicate payments", "speaker": "Dana"}],
        },
        "alternatives_considered": [],
        "evaluation_criteria": [
            {
                "text": "ERP integration",
                "quotes": [{"quote": "the deciding factor", "speaker": "Dana"}],
            }
        ],
        "stakeholders": [
            {"name_or_title": "CFO", "dmu_role": "economic_buyer", "notes": None, "quotes": []}
        ],
        "timeline": None,
        "budget_signals": [],
    },
}


@pytest.mark.parametrize("model", EXTRACTION_MODELS, ids=lambda m: m.__name__)
def test_every_model_is_strict_compatible(model: type[BaseModel]) -> None:
    assert_strict_compatible(model)


@pytest.mark.parametrize("model", EXTRACTION_MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    missing = [name for name, f in model.model_fields.items() if not f.description]
    assert not missing


def test_insight_kind_has_other() -> None:
    assert InsightKind.other.value == "other"


def test_raw_pydantic_schema_is_caught() -> None:
    problems = strict_schema_problems(InterviewAnalysis.model_json_schema())
    assert any("$ref with sibling keywords" in p for p in problems)
    assert strict_schema_problems(strict_json_schema(InterviewAnalysis)) == []


class _Loose(BaseModel):
    name: str = "x"
    tags: list[str] = []
    extra: dict[str, int]


@pytest.mark.parametrize(
    "needle",
    [
        "additionalProperties must be false",
        "properties not in required: ['name', 'tags']",
        "unsupported keyword 'default'",
    ],
)
def test_checker_reports_loose_models(needle: str) -> None:
    problems = strict_schema_problems(_Loose.model_json_schema())
    assert any(needle in p for p in problems), problems


def test_checker_reports_unsupported_keywords() -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["xs"],
        "properties": {"xs": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    }
    assert strict_schema_problems(schema) == ["$.xs: unsupported keyword 'minItems'"]
    assert strict_schema_problems({"anyOf": []})[0].startswith("$: the root must be an object")


def test_sample_analysis_validates() -> None:
    analysis = InterviewAnalysis.model_validate_json(json.dumps(SAMPLE))
    assert analysis.insights[1].metric is not None
    assert analysis.model_dump(mode="json") == SAMPLE


def _with_quotes(n: int) -> dict[str, Any]:
    data = json.loads(json.dumps(SAMPLE))
    data["insights"][0]["quotes"] = [QUOTE] * n
    return data


@pytest.mark.parametrize("n", [0, 4])
def test_insight_needs_one_to_three_quotes(n: int) -> None:
    with pytest.raises(ValidationError, match=r"give 1 to 3 quotes"):
        InterviewAnalysis.model_validate(_with_quotes(n))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("insights", 0, "kind"), "wish"),
        (("insights", 0, "quotes", 0, "quote"), "   "),
        (("insights", 0, "surprise"), 1),
    ],
    ids=["bad-enum", "blank-quote", "extra-key"],
)
def test_bad_output_is_rejected(path: tuple[Any, ...], value: Any) -> None:
    data = json.loads(json.dumps(SAMPLE))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ValidationError):
        InterviewAnalysis.model_validate(data)


def test_nullable_fields_are_still_required() -> None:
    data = json.loads(json.dumps(SAMPLE))
    del data["insights"][0]["intensity"]
    with pytest.raises(ValidationError, match="intensity"):
        InterviewAnalysis.model_validate(data)
