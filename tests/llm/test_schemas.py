"""Output schemas are OpenAI strict-mode compatible, or refused with the field named."""

from __future__ import annotations

import json

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


class Once(StrictModel):
    """Used by one field only."""

    title: str = Field(description="a field named like the keyword")


class Outer(StrictModel):
    """Uses a nested model with a description (a $ref with siblings in pydantic's schema)."""

    inner: Inner = Field(description="the inner part")
    items: list[Inner]
    once: Once = Field(description="the part used once")


def test_echo_schema_is_strict() -> None:
    schema = strict_json_schema(EchoOut)
    assert strict_schema_problems(schema) == []
    assert schema["required"] == ["title", "language", "keywords"]
    assert schema["additionalProperties"] is False


def test_shared_objects_are_defined_once_and_the_rest_inlined() -> None:
    schema = strict_json_schema(Outer)
    assert strict_schema_problems(schema) == []
    # Inner is used twice: defined once, referenced by a bare $ref (strict mode).
    assert schema["$defs"]["Inner"]["required"] == ["note"]
    assert schema["properties"]["inner"] == {"$ref": "#/$defs/Inner"}
    assert schema["properties"]["items"]["items"] == {"$ref": "#/$defs/Inner"}
    # Once is used once: written in place with its field's description.
    once = schema["properties"]["once"]
    assert once["description"] == "the part used once"
    assert once["required"] == ["title"] and "title" in once["properties"]
    # No titles and no class docstrings: the request names the root.
    text = json.dumps(schema)
    assert '"title": "' not in text and "Nested." not in text and "Uses a nested" not in text


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
