"""Reading fields of vendor JSON with one-line errors that name the exact place.

``where`` is the path of the object being read (``utterances[3]``); errors
read ``utterances[3].start: expected a number (milliseconds), got text``.
"""

from __future__ import annotations

from typing import Any

from assistant.errors import ParseError


def kind(value: object) -> str:
    """A JSON (or YAML) value's kind in words; other YAML values by their type name."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, int | float) else type(value).__name__


def obj(value: object, where: str, source: str) -> dict[str, Any]:
    """``value`` as an object, or a ParseError."""
    if not isinstance(value, dict):
        raise ParseError(source, f"{where}: expected an object, got {kind(value)}")
    return value


def items(parent: dict[str, Any], key: str, where: str, source: str) -> list[Any]:
    """``parent[key]`` as a list (missing is an error)."""
    value = parent.get(key)
    if not isinstance(value, list):
        got = "nothing" if key not in parent else kind(value)
        raise ParseError(source, f"{_at(where, key)}: expected a list, got {got}")
    return value


def text(parent: dict[str, Any], key: str, where: str, source: str) -> str:
    """``parent[key]`` as text (missing is an error)."""
    value = parent.get(key)
    if not isinstance(value, str):
        got = "nothing" if key not in parent else kind(value)
        raise ParseError(source, f"{_at(where, key)}: expected text, got {got}")
    return value


def seconds(
    parent: dict[str, Any],
    key: str,
    where: str,
    source: str,
    *,
    scale: float = 1.0,
    unit: str = "seconds",
    as_text: bool = False,
    required: bool = False,
) -> float | None:
    """``parent[key]`` as seconds >= 0 (``scale`` 0.001 for milliseconds).

    ``as_text``: the vendor writes numbers as text (``"12.34"``); plain numbers pass too.
    """
    value = parent.get(key)
    if value is None:
        if required:
            raise ParseError(source, f"{_at(where, key)}: expected a number ({unit}), got nothing")
        return None
    if as_text and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ParseError(
                source, f"{_at(where, key)}: expected a number ({unit}), got {value[:20]!r}"
            ) from None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(
            source, f"{_at(where, key)}: expected a number ({unit}), got {kind(value)}"
        )
    else:
        number = float(value)
    if number < 0 or number != number:
        raise ParseError(source, f"{_at(where, key)}: expected a number ({unit}) >= 0")
    return round(number * scale, 3)


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
