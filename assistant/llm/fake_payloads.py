"""What the fake LLM server answers with: an example object for a schema, hashed embeddings."""

from __future__ import annotations

import hashlib
import re
from typing import Any


def example_for(
    schema: dict[str, Any], name: str = "value", defs: dict[str, Any] | None = None
) -> Any:
    """A deterministic value that satisfies a (strict-mode style) JSON schema."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return example_for(defs[schema["$ref"].rsplit("/", 1)[-1]], name, defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_for(options[0], name, defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return {k: example_for(v, k, defs) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_for(schema.get("items", {}), name, defs)] * max(
            1, schema.get("minItems", 1)
        )
    if kind == "string":
        return f"fake {name}"
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    return None


def requested_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """The output schema a chat request asks for (json_schema or a forced tool)."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        schema: dict[str, Any] = fmt["json_schema"]["schema"]
        return schema
    tools = body.get("tools") or []
    if tools:
        params: dict[str, Any] = tools[0]["function"].get("parameters", {})
        return params
    return None


def output_limit(body: dict[str, Any]) -> int | None:
    """The output-token limit a chat request sets (the smaller when it sets both), or None."""
    limits = [body.get(k) for k in ("max_completion_tokens", "max_tokens")]
    found = [int(v) for v in limits if isinstance(v, int) and v > 0]
    return min(found) if found else None


EMBED_DIMENSION = 64


def embed_text(text: str) -> list[float]:
    """A normalised bag-of-words hash vector (same words, same vector)."""
    import math

    vec = [0.0] * EMBED_DIMENSION
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
        vec[int.from_bytes(digest, "little") % EMBED_DIMENSION] += 1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def embeddings_response(body: dict[str, Any]) -> dict[str, Any]:
    """The ``/v1/embeddings`` answer for a request body."""
    texts = body.get("input") or []
    if isinstance(texts, str):
        texts = [texts]
    data = [
        {"object": "embedding", "index": i, "embedding": embed_text(str(t))}
        for i, t in enumerate(texts)
    ]
    tokens = sum(max(1, len(str(t)) // 4) for t in texts)
    return {
        "object": "list",
        "data": data,
        "model": body.get("model", "fake-embedding"),
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }
