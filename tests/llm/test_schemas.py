"""Output schemas are OpenAI strict-mode compatible, or refused with the field named."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from assistant.llm.schemas import (
    SchemaNotStrictError,
    StrictModel,
    strict_json_schema,
    strict_schema_problems,
)
from assistant.schemas import InterviewAnalysis
from tests.llm.helpers import EchoOut


class Inner(StrictModel):
    """Nested."""

    note: str | None = None


class Outer(StrictModel):
    """Uses a nested model with a description (a $ref with siblings in pydantic's schema)."""

    inner: Inner = Field(description="the inner part")
    items: list[Inner]


def test_echo_schema_is_strict() -> None:
    schema = strict_json_schema(EchoOut)
    assert strict_schema_problems(schema) == []
    assert schema["required"] == ["title", "language", "keywords"]
    assert schema["additionalProperties"] is False


def test_none_default_becomes_required_and_refs_are_inlined() -> None:
    schema = strict_json_schema(Outer)
    assert strict_schema_problems(schema) == []
    assert "$defs" not in schema
    assert schema["properties"]["inner"]["required"] == ["note"]
    assert schema["properties"]["inner"]["description"] == "the inner part"


def test_non_none_default_is_refused() -> None:
    class Bad(BaseModel):
        count: int = 3

    with pytest.raises(SchemaNotStrictError, match=r"Bad.count"):
        strict_json_schema(Bad)


def test_free_form_dict_is_refused() -> None:
    class Bag(BaseModel):
        extra: dict[str, str]

    with pytest.raises(SchemaNotStrictError, match="free-form"):
        strict_json_schema(Bag)


def test_checker_reports_problems() -> None:
    bad = {"type": "object", "properties": {"a": {"type": "string", "default": "x"}}}
    problems = strict_schema_problems(bad)
    assert any("properties not in required: ['a']" in p for p in problems)
    assert any("additionalProperties must be false" in p for p in problems)
    assert any("unsupported keyword 'default'" in p for p in problems)


def test_domain_extraction_schema_is_strict() -> None:
    assert strict_schema_problems(strict_json_schema(InterviewAnalysis)) == []
    assert strict_schema_problems(InterviewAnalysis) == []
