"""What the model must echo back (ids, keys, roles, field names): repair it, or say what is wrong.

A model asked to copy an id, an enum value or a field name sometimes writes
it a little differently. :func:`match_choice` repairs only what is
unambiguous: a different case, extra whitespace or separators (``-``, ``_``,
spaces), surrounding quotes or brackets, or a unique prefix of one choice.
Anything else is not guessed: the caller re-asks once with the exact valid
choices (:class:`~assistant.llm.task_results.Checked`), then keeps what is
valid and reports the rest as a warning.

:func:`repair_fields` applies the same rule to the field names and enum values
of a parsed reply before it is validated (a misspelled field name is repaired
only when exactly one missing field of that object is spelled closely, and
no other unknown key is).
:func:`salvage` keeps what is valid of a reply that still fails validation
after the re-asks: an invalid list item (an insight without quotes) is
dropped, an invalid nullable object becomes null, an unknown field is ignored
— each with a note; the rest is kept.
"""

from __future__ import annotations

import difflib
import enum
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

CLOSE_SPELLING = 0.8
"""difflib ratio above which a field name is read as a misspelling of the one missing field."""
MIN_PREFIX = 3
"""A prefix shorter than this is never taken as naming a choice."""
MAX_SALVAGE_ROUNDS = 50


@dataclass(frozen=True)
class Match:
    """A choice the value names: ``repaired`` when it was not written exactly."""

    value: str
    repaired: bool


def _norm(text: str) -> str:
    """Casefolded, separators and surrounding quotes or brackets ignored."""
    text = text.strip().strip("\"'`[]()<>{}").strip()
    for sep in ("_", "-"):
        text = text.replace(sep, " ")
    return " ".join(text.casefold().split())


def match_choice(value: str, choices: Sequence[str]) -> Match | None:
    """The one choice ``value`` names, exactly or after an unambiguous repair; else None.

    Repairs: case, whitespace and ``-``/``_`` separators, surrounding quotes or
    brackets, or ``value`` being a prefix (at least :data:`MIN_PREFIX`
    characters) of exactly one choice.
    """
    if value in choices:
        return Match(value, False)
    key = _norm(value)
    if not key:
        return None
    same = list(dict.fromkeys(c for c in choices if _norm(c) == key))
    if len(same) == 1:
        return Match(same[0], True)
    if same:
        return None
    if len(key) >= MIN_PREFIX:
        prefixed = list(dict.fromkeys(c for c in choices if _norm(c).startswith(key)))
        if len(prefixed) == 1:
            return Match(prefixed[0], True)
    return None


class Echoes:
    """Reads echoed values against their choices, keeping what was repaired and what is unknown.

    ``echoes.read(value)`` returns the choice ``value`` names (itself when exact
    or unknown); ``repairs`` say what was read differently (``what``: e.g.
    ``"cited id"``), ``unknown`` lists the values that name nothing, each once.
    ``fallback`` choices are tried when ``choices`` name nothing.
    """

    def __init__(self, what: str, choices: Sequence[str], fallback: Sequence[str] = ()) -> None:
        self.what = what
        self.choices = list(choices)
        self.fallback = list(fallback)
        self._exact = set(self.choices) | set(self.fallback)
        self.repairs: list[str] = []
        self.unknown: list[str] = []

    def read(self, value: str) -> str:
        if value in self._exact:
            return value
        found = match_choice(value, self.choices) or (
            match_choice(value, self.fallback) if self.fallback else None
        )
        if found is None:
            if value not in self.unknown:
                self.unknown.append(value)
            return value
        note = f'{self.what} "{value}" read as "{found.value}"'
        if note not in self.repairs:
            self.repairs.append(note)
        return found.value


def choices_text(choices: Sequence[str], limit: int = 200) -> str:
    """The valid choices as a re-ask lists them (quoted, comma-separated)."""
    shown = [f'"{c}"' for c in choices[:limit]]
    more = (
        f" (and {len(choices) - limit} more listed in the prompt)" if len(choices) > limit else ""
    )
    return ", ".join(shown) + more


# --- field names and enum values of a parsed reply ----------------------------------------


def _parts(annotation: Any) -> tuple[type[BaseModel] | None, type[enum.Enum] | None, bool]:
    """(model, enum, is_list) inside an annotation such as ``list[X] | None``."""
    model: type[BaseModel] | None = None
    kind: type[enum.Enum] | None = None
    is_list = False
    stack = [annotation]
    while stack:
        ann = stack.pop()
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            stack.append(typing.get_args(ann)[0])
        elif origin in (list, tuple):
            is_list = True
            stack.extend(typing.get_args(ann))
        elif origin in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(ann))
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        elif isinstance(ann, type) and issubclass(ann, enum.Enum):
            kind = ann
    return model, kind, is_list


def _nullable(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _nullable(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return type(None) in typing.get_args(annotation)
    return False


def _where(path: Sequence[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(reply)"


def repair_fields(data: Any, model: type[BaseModel]) -> tuple[Any, list[str]]:
    """``data`` with field names and enum values repaired against ``model``; what was repaired."""
    notes: list[str] = []
    repaired = _repair(data, model, [], notes)
    grouped: dict[str, list[str]] = {}
    for note in notes:
        where, what = note.split(": ", 1)
        grouped.setdefault(what, []).append(where)
    return repaired, [
        f"{what} at {', '.join(wheres[:3])}"
        + (f" and {len(wheres) - 3} more" if len(wheres) > 3 else "")
        for what, wheres in grouped.items()
    ]


def _repair(data: Any, model: type[BaseModel], path: list[str | int], notes: list[str]) -> Any:
    if not isinstance(data, dict):
        return data
    fields = model.model_fields
    out: dict[str, Any] = {}
    unknown = [k for k in data if k not in fields]
    missing = [f for f in fields if f not in data]
    renamed: dict[str, str] = {}
    for key in unknown:
        found = match_choice(key, missing) or _close_spelling(key, unknown, missing)
        if found is not None and found.value not in renamed.values():
            renamed[key] = found.value
            missing.remove(found.value)
            notes.append(f'{_where(path)}: field "{key}" read as "{found.value}"')
    for key, value in data.items():
        name = renamed.get(key, key)
        field = fields.get(name)
        if field is None:
            out[name] = value
            continue
        sub, kind, _ = _parts(field.annotation)
        out[name] = _repair_value(value, sub, kind, [*path, name], notes)
    return out


def _close_spelling(key: str, unknown: Sequence[str], missing: Sequence[str]) -> Match | None:
    """The one missing field ``key`` is a close misspelling of (and no other unknown key is)."""

    def close(a: str, b: str) -> bool:
        return difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio() >= CLOSE_SPELLING

    near = [m for m in missing if close(key, m)]
    if len(near) != 1 or any(close(other, near[0]) for other in unknown if other != key):
        return None
    return Match(near[0], True)


def _repair_value(
    value: Any,
    sub: type[BaseModel] | None,
    kind: type[enum.Enum] | None,
    path: list[str | int],
    notes: list[str],
) -> Any:
    if isinstance(value, list):
        return [_repair_value(v, sub, kind, [*path, n], notes) for n, v in enumerate(value)]
    if isinstance(value, dict) and sub is not None:
        return _repair(value, sub, path, notes)
    if isinstance(value, str) and kind is not None:
        allowed = [str(e.value) for e in kind]
        found = match_choice(value, allowed)
        if found is not None and found.repaired:
            notes.append(f'{_where(path)}: "{value}" read as "{found.value}"')
            return found.value
    return value


# --- keep what is valid ----------------------------------------------------------------------


def salvage(data: Any, model: type[BaseModel]) -> tuple[BaseModel | None, list[str]]:
    """A valid object from ``data`` with the invalid parts left out, and what was left out.

    An invalid list item is dropped, an invalid nullable field becomes null and
    an unknown field is ignored; None when what is invalid is required (the
    reply cannot be kept). Paths in the notes are those of the reply as given.
    """
    import copy

    data = copy.deepcopy(data)
    notes: list[str] = []
    for _ in range(MAX_SALVAGE_ROUNDS):
        try:
            return model.model_validate(data), notes
        except ValidationError as exc:
            errors = exc.errors()
        if not isinstance(data, dict):
            return None, notes
        cuts: dict[tuple[str | int, ...], tuple[str, str]] = {}
        for error in errors:
            loc = list(error["loc"])
            cut = _cut_point(model, loc, extra=error["type"] == "extra_forbidden")
            if cut is None:
                return None, notes
            cut_path, action = cut
            rest = _where(loc[len(cut_path) :]) if len(loc) > len(cut_path) else ""
            cuts.setdefault(
                tuple(cut_path), (action, f"{rest}: {error['msg']}" if rest else error["msg"])
            )
        paths = sorted(cuts, key=lambda p: [(isinstance(x, str), x) for x in p], reverse=True)
        for path in paths:
            if any(path[: len(other)] == other and path != other for other in cuts):
                continue  # inside something dropped or emptied already
            action, reason = cuts[path]
            parent = _get(data, path[:-1])
            last = path[-1]
            if action == "ignore":
                del parent[last]
                notes.append(f'ignored the unknown field "{last}" in {_where(path[:-1])}')
            elif action == "drop":
                what = _describe(parent[last])
                del parent[last]
                notes.append(f"dropped {_where(path)}{what} ({reason})")
            else:
                what = _describe(parent[last])
                parent[last] = None
                notes.append(f"left {_where(path)} empty{what} ({reason})")
    return None, notes


def _cut_point(
    model: type[BaseModel], loc: list[str | int], *, extra: bool
) -> tuple[list[str | int], str] | None:
    """(path, drop|null|ignore) of the part whose removal removes the error at ``loc``."""
    if extra:
        return loc, "ignore"
    nullable = [False] * len(loc)
    current: type[BaseModel] | None = model
    for n, part in enumerate(loc):
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        if field is None:
            break
        nullable[n] = _nullable(field.annotation)
        current = _parts(field.annotation)[0]
    for n in range(len(loc) - 1, -1, -1):
        if isinstance(loc[n], int):
            return loc[: n + 1], "drop"
        if nullable[n]:
            return loc[: n + 1], "null"
    return None


def _get(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def _describe(item: Any) -> str:
    """A short label of a dropped item: its statement, text, label or quote, or the value."""
    if isinstance(item, dict):
        for key in ("statement", "text", "label", "quote", "name_or_title", "attribute"):
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                short = value.strip()
                return f' "{short[:80]}{"…" if len(short) > 80 else ""}"'
    if isinstance(item, str | int | float) and not isinstance(item, bool):
        return f' (was "{str(item)[:80]}")'  # the value the reply gave, not lost silently
    return ""
