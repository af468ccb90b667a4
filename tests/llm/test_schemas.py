"""Output schemas are OpenAI strict-mode compatible, or refused with the field named."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from assistant.llm.schemas import (
    SchemaNotStrictError,
    StrictModel,
    check_strict,
    strict_json_schema,
)
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
    assert check_strict(schema) == []
    assert schema["required"] == ["title", "language", "keywords"]
    assert schema["additionalProperties"] is False


def test_none_default_becomes_required_and_refs_are_inlined() -> None:
    schema = strict_json_schema(Outer)
    assert check_strict(schema) == []
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


def test_check_strict_reports_problems() -> None:
    bad = {"type": "object", "properties": {"a": {"type": "string", "default": "x"}}}
    problems = check_strict(bad)
    assert any("not required: a" in p for p in problems)
    assert any("additionalProperties" in p for p in problems)
    assert any("default" in p for p in problems)


def test_domain_extraction_schema_passes_both_checkers() -> None:
    schemas = pytest.importorskip("assistant.schemas")
    model = getattr(schemas, "InterviewAnalysis", None)
    if model is None:
        pytest.skip("assistant.schemas.InterviewAnalysis not defined yet")
    ours = strict_json_schema(model)
    assert check_strict(ours) == []
    assert schemas.strict_schema_problems(ours) == []
