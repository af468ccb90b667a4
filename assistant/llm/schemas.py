"""Output schemas that OpenAI strict mode accepts.

Strict structured output needs every property listed in ``required``,
``additionalProperties: false`` on every object and no defaults. Write output
models like this::

    class Quote(StrictModel):
        text: str = Field(description="Verbatim words of the participant.")
        speaker: str | None = Field(description="Who said it; null when unclear.")

Optional means *nullable* (``T | None``), never *omittable*. A default of
``None`` is tolerated (the field is still sent as required); any other default
is refused by :func:`strict_json_schema`, because the model would never see it.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from pydantic import BaseModel, ConfigDict

from assistant.errors import UsageError


class StrictModel(BaseModel):
    """Base for LLM output models: unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid")


class SchemaNotStrictError(UsageError):
    """An output model cannot be expressed in OpenAI strict mode."""


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The strict-mode JSON schema of ``model`` (refs inlined, all fields required).

    Raises :class:`SchemaNotStrictError` naming the field when a field has a
    non-None default or the model contains a free-form mapping. The result is
    a fresh copy of a per-model cached schema.
    """
    return copy.deepcopy(_strict_json_schema(model))


@functools.lru_cache(maxsize=256)
def _strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    for name, field in model.model_fields.items():
        if field.default_factory is not None or (
            not field.is_required() and field.default is not None
        ):
            raise SchemaNotStrictError(
                f"{model.__name__}.{name}: strict output schemas allow no defaults other than "
                "None; make it required, or nullable (`T | None`) with no default"
            )
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})
    schema = _inline(raw, defs, path=model.__name__, depth=0)
    _tighten(schema, path=model.__name__)
    return schema


def _inline(node: Any, defs: dict[str, Any], path: str, depth: int) -> Any:
    if depth > 32:
        raise SchemaNotStrictError(f"{path}: schema nests too deeply (recursive model?)")
    if isinstance(node, dict):
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline(merged, defs, path, depth + 1)
        return {k: _inline(v, defs, path, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs, path, depth + 1) for v in node]
    return node


def _tighten(node: Any, path: str) -> None:
    """Require every property, forbid extra keys and drop defaults, in place."""
    if isinstance(node, list):
        for item in node:
            _tighten(item, path)
        return
    if not isinstance(node, dict):
        return
    node.pop("default", None)
    if node.get("type") == "object" or "properties" in node:
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) or (extra is True):
            raise SchemaNotStrictError(
                f"{path}: free-form mappings (dict fields) are not allowed in strict output "
                "schemas; use a list of objects with named fields"
            )
        props = node.get("properties", {})
        node["required"] = list(props)
        node["additionalProperties"] = False
        for key, sub in props.items():
            _tighten(sub, f"{path}.{key}")
        return
    for key in ("items", "anyOf", "allOf", "oneOf", "prefixItems"):
        if key in node:
            _tighten(node[key], path)


def check_strict(schema: dict[str, Any]) -> list[str]:
    """Problems that would make OpenAI strict mode reject ``schema`` (empty = fine)."""
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")
            return
        if not isinstance(node, dict):
            return
        if "default" in node:
            problems.append(f"{where}: has a default")
        if "$ref" in node:
            problems.append(f"{where}: unresolved $ref")
        if "properties" in node:
            if node.get("additionalProperties") is not False:
                problems.append(f"{where}: additionalProperties is not false")
            missing = set(node["properties"]) - set(node.get("required", []))
            if missing:
                problems.append(f"{where}: not required: {', '.join(sorted(missing))}")
            for key, sub in node["properties"].items():
                walk(sub, f"{where}.{key}")
        for key in ("items", "anyOf", "allOf", "oneOf"):
            if key in node:
                walk(node[key], where)

    walk(schema, "$")
    return problems
