"""The project's own JSON transcript schema (format ``persona-json``).

Schema (either shape)::

    [{"speaker": "Dana", "text": "Hello", "start": 0.0, "end": 2.5}, ...]

    {"turns": [ ...turns as above... ],
     "meta": {"title": "...", "date": "2024-03-14", "interviewer": "Sam", ...}}

Each turn needs ``speaker`` (non-empty text) and ``text`` (text); ``start``
and ``end`` are optional numbers of seconds >= 0. Other keys in a turn are
ignored. ``meta`` is optional and holds :class:`~assistant.models.InterviewMeta`
fields (plus ``kind: notes``), merged under a sidecar and CLI overrides. Turns
are kept as given (no merging).
"""

from __future__ import annotations

from typing import Any

from assistant.errors import ParseError
from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.models import RawTurn

SCHEMA_HINT = (
    'expected a list of {"speaker": str, "text": str, "start"?: number, "end"?: number} '
    'or an object {"turns": [...], "meta"?: {...}}'
)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _seconds(turn: dict[str, Any], key: str, where: str, source: str) -> float | None:
    value = turn.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ParseError(source, f"{where}.{key}: expected a number of seconds >= 0")
    return float(value)


def parse_json(inp: Input) -> ParsedText:
    """Parse the schema into raw turns and (if present) the embedded ``meta`` fields."""
    source = inp.source
    data = inp.json()
    meta: dict[str, Any] | None = None
    if isinstance(data, dict):
        if "turns" not in data:
            raise ParseError(source, f"no 'turns' key: {SCHEMA_HINT}")
        unknown = sorted(set(data) - {"turns", "meta"})
        if unknown:
            raise ParseError(source, f"unknown top-level key {unknown[0]!r}: {SCHEMA_HINT}")
        if data.get("meta") is not None:
            meta = data["meta"]
            if not isinstance(meta, dict):
                raise ParseError(source, f"meta: expected a mapping of fields, got {_kind(meta)}")
        items = data["turns"]
        prefix = "turns"
    else:
        items, prefix = data, ""
    if not isinstance(items, list):
        raise ParseError(source, f"got {_kind(items)}: {SCHEMA_HINT}")
    turns: list[RawTurn] = []
    for i, item in enumerate(items):
        where = f"{prefix}[{i}]"
        if not isinstance(item, dict):
            raise ParseError(source, f"{where}: got {_kind(item)}, {SCHEMA_HINT}")
        speaker, body = item.get("speaker"), item.get("text")
        if not isinstance(speaker, str) or not speaker.strip():
            raise ParseError(source, f"{where}.speaker: expected a non-empty string")
        if not isinstance(body, str):
            raise ParseError(source, f"{where}.text: expected a string")
        start = _seconds(item, "start", where, source)
        end = _seconds(item, "end", where, source)
        turns.append(RawTurn(speaker=speaker, text=body, start=start, end=end))
    if not any(t.text.strip() for t in turns):
        raise ParseError(source, "no turns with text (no recognisable speakers)")
    return ParsedText(turns=turns, meta=meta)


def sniff_json(inp: Input) -> float:
    """0.9 for ``{"turns": ...}`` or a list of ``speaker``/``text`` objects; 0.5 for any list.

    No vendor writes a bare list, so a list is ours and gets our specific errors.
    """
    data = inp.json_or_none()
    if isinstance(data, dict):
        return 0.9 if "turns" in data else 0.0
    if isinstance(data, list):
        first = data[0] if data else None
        return 0.9 if isinstance(first, dict) and {"speaker", "text"} <= set(first) else 0.5
    return 0.0


FORMAT = Format(
    name="persona-json",
    extensions=JSON_FILES,
    summary="This project's JSON: a list of turns, or {turns, meta}",
    example='{"turns": [{"speaker": "Dana", "text": "We moved off spreadsheets.",\n  "start": 12.5}], "meta": {"title": "Acme call"}}',
    sniff=sniff_json,
    parse=parse_json,
)
