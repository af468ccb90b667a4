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
:func:`strict_schema_problems` lists anything strict mode would refuse in a
schema (the domain models in :mod:`assistant.schemas` are checked by tests).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from assistant.errors import UsageError


class StrictModel(BaseModel):
    """Base for LLM output models: unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid")


class SchemaNotStrictError(UsageError):
    """An output model cannot be expressed in OpenAI strict mode."""


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The strict-mode JSON schema of ``model``: all fields required, no extra keys.

    Objects used more than once are defined once under ``$defs`` and referenced
    with ``$ref`` (strict mode accepts both); objects used once and enums are
    written in place. Titles (the model reads field names), class docstrings (the
    request carries the root's; each field's description says what it holds) and
    the descriptions pydantic puts next to a ``$ref`` (strict mode wants a bare
    ``$ref``) are left out.

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
    defs: dict[str, Any] = raw.pop("$defs", {})
    for node in (raw, *defs.values()):  # the request names the root; fields say the rest
        node.pop("description", None)
    uses: dict[str, int] = {}
    _count_refs([raw, *defs.values()], uses)
    shared = {n for n, d in defs.items() if uses.get(n, 0) > 1 and "enum" not in d}
    schema = _inline(raw, defs, shared, path=model.__name__, depth=0)
    kept = {n: _inline(defs[n], defs, shared, model.__name__, 0) for n in sorted(shared)}
    for node in (schema, *kept.values()):
        _tighten(node, path=model.__name__)
    if kept:
        schema["$defs"] = kept
    return schema


def _count_refs(node: Any, uses: dict[str, int]) -> None:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            uses[name] = uses.get(name, 0) + 1
        for value in node.values():
            _count_refs(value, uses)
    elif isinstance(node, list):
        for value in node:
            _count_refs(value, uses)


def _inline(node: Any, defs: dict[str, Any], shared: set[str], path: str, depth: int) -> Any:
    """Write in place every referenced definition not in ``shared``; bare refs to the rest."""
    if depth > 32:
        raise SchemaNotStrictError(f"{path}: schema nests too deeply (recursive model?)")
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in shared:
                return {"$ref": f"#/$defs/{name}"}
            target = copy.deepcopy(defs[name])
            if "enum" in target:
                target.pop("description", None)
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline(merged, defs, shared, path, depth + 1)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "properties":  # field names, not keywords: a field may be called "title"
                out[key] = {
                    name: _inline(sub, defs, shared, path, depth + 1) for name, sub in value.items()
                }
            elif key != "title":
                out[key] = _inline(value, defs, shared, path, depth + 1)
        return out
    if isinstance(node, list):
        return [_inline(v, defs, shared, path, depth + 1) for v in node]
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


# Keywords every strict-mode server accepts. Others (minItems, pattern, format,
# minimum, default, allOf, oneOf, ...) are reported as not portable.
_ALLOWED_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "$ref",
        "$defs",
        "description",
        "title",
    }
)
_MAX_DEPTH = 10


def _resolve(root: Mapping[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/$defs/"):
        raise ValueError(f"unsupported $ref {ref!r}")
    return dict(root["$defs"][ref.removeprefix("#/$defs/")])


def strict_schema_problems(schema: type[BaseModel] | Mapping[str, Any]) -> list[str]:
    """Everything in ``schema`` that OpenAI strict structured outputs would reject.

    A model is checked as it is sent (:func:`strict_json_schema`); a schema
    dict as it is. Each problem names its JSON path. An empty list means the
    schema is safe to send.
    """
    root = strict_json_schema(schema) if isinstance(schema, type) else schema
    problems: list[str] = []
    if root.get("type") != "object":
        problems.append("$: the root must be an object (not anyOf or another type)")

    def walk(node: Any, path: str, depth: int, refs: tuple[str, ...]) -> None:
        if not isinstance(node, Mapping):
            problems.append(f"{path}: not a schema object")
            return
        for key in node:
            if key not in _ALLOWED_KEYWORDS:
                problems.append(f"{path}: unsupported keyword {key!r}")
        ref = node.get("$ref")
        if ref is not None:
            if len(node) > 1:
                extra = sorted(k for k in node if k != "$ref")
                problems.append(f"{path}: $ref with sibling keywords {extra}")
            if ref not in refs:  # follow once; recursion is allowed
                try:
                    target = _resolve(root, ref)
                except (KeyError, ValueError):
                    problems.append(f"{path}: unresolvable $ref {ref!r}")
                else:
                    walk(target, f"{path}->{ref.rsplit('/', 1)[-1]}", depth, (*refs, ref))
        if node.get("type") == "object" or "properties" in node:
            if depth > _MAX_DEPTH:
                problems.append(f"{path}: nested deeper than {_MAX_DEPTH} objects")
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties must be false")
            props = node.get("properties", {})
            missing = sorted(set(props) - set(node.get("required", [])))
            if missing:
                problems.append(f"{path}: properties not in required: {missing}")
            for name, sub in props.items():
                walk(sub, f"{path}.{name}", depth + 1, refs)
        if node.get("type") == "array" and "items" not in node:
            problems.append(f"{path}: array without items")
        if "items" in node:
            walk(node["items"], f"{path}[]", depth, refs)
        for i, sub in enumerate(node.get("anyOf", [])):
            walk(sub, f"{path}|{i}", depth, refs)

    walk(root, "$", 1, ())
    return problems


def assert_strict_compatible(schema: type[BaseModel] | Mapping[str, Any]) -> None:
    """Raise ``AssertionError`` listing every strict-mode problem of ``schema``."""
    problems = strict_schema_problems(schema)
    assert not problems, "schema not strict-compatible:\n" + "\n".join(problems)
