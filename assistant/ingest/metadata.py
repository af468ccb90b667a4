"""Interview metadata: YAML front matter, ``NAME.meta.yaml`` sidecars and overrides.

Front matter is a YAML mapping between two ``---`` lines at the very top of a
``.txt``/``.md`` file. A sidecar sits next to the transcript with the same stem
(``acme.vtt`` + ``acme.meta.yaml`` or ``acme.meta.yml``). Both hold
:class:`~assistant.models.InterviewMeta` fields; sources are merged field by
field with later ones winning: embedded (front matter or a JSON ``meta``
object) < sidecar < ``meta_override``.

Two conveniences are applied before validation: a participant may be given as
a bare name (``participants: [Dana Whitfield]``), and the extra key
``kind: notes`` (or ``kind: transcript``) marks a file as interviewer notes
(``verbatim=False``) whatever its labels look like. Validation errors name the
file, the field and the expected form, e.g. ``acme.meta.yaml:
participants.0.dmu_role: expected one of champion, economic_buyer, ...``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import MetadataError
from assistant.ingest.json_fields import kind as kind_of
from assistant.models import InterviewMeta

SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
KINDS = ("notes", "transcript")
_FENCE = re.compile(r"^---[ \t]*$")
_MAX_FRONT_MATTER_LINES = 500
_MAX_SIDECAR_BYTES = 1024 * 1024


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates reach pydantic as text, so a bad
    date is reported against its field instead of as a YAML crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class MetaSource:
    """Metadata fields read from one place, before merging, and what was said about them."""

    fields: dict[str, Any]
    kind: str | None = None
    warnings: list[str] = field(default_factory=list)


def split_front_matter(text: str, source: str) -> tuple[MetaSource | None, str]:
    """Split YAML front matter off ``text``; return (metadata or None, body).

    Without a closing fence in the first 500 lines the text has no front matter.
    """
    if not text.startswith("---"):
        return None, text
    lines = text.split("\n", _MAX_FRONT_MATTER_LINES + 1)
    if not _FENCE.match(lines[0]):
        return None, text
    for i in range(1, min(len(lines), _MAX_FRONT_MATTER_LINES + 1)):
        if _FENCE.match(lines[i]) or lines[i].rstrip() == "...":
            block = "\n".join(lines[1:i])
            rest = lines[i + 1 :]
            body = "\n".join(rest)
            data = _load_yaml(block, source, "front matter")
            if data is None:
                return MetaSource({}), body
            return to_meta_source(data, source), body
    return None, text


def find_sidecar(path: Path) -> Path | None:
    """Return the ``NAME.meta.yaml`` (or ``.meta.yml``) next to ``path``, if any."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> MetaSource | None:
    """Load the sidecar of ``path`` if there is one."""
    sidecar = find_sidecar(path)
    if sidecar is None:
        return None
    if sidecar.stat().st_size > _MAX_SIDECAR_BYTES:
        raise MetadataError(str(sidecar), "metadata file is over 1 MB")
    try:
        raw = sidecar.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MetadataError(str(sidecar), "metadata file is not UTF-8 text") from None
    except OSError as exc:
        raise MetadataError(str(sidecar), f"cannot read: {exc.strerror or exc}") from None
    data = _load_yaml(raw, str(sidecar), "metadata")
    if data is None:
        return MetaSource({})
    return to_meta_source(data, str(sidecar))


def to_meta_source(data: object, source: str, prefix: str = "") -> MetaSource:
    """Check that ``data`` is a mapping, pull out ``kind`` and validate the fields.

    ``prefix`` is put before field paths in errors (``meta.`` for JSON).
    """
    if not isinstance(data, dict):
        where = f"{prefix.rstrip('.')}: " if prefix else ""
        raise MetadataError(source, f"{where}expected a mapping of fields, got {kind_of(data)}")
    fields = {str(k): v for k, v in data.items()}
    kind = fields.pop("kind", None)
    if kind is not None and kind not in KINDS:
        raise MetadataError(source, f"{prefix}kind: expected one of {', '.join(KINDS)}")
    participants = fields.get("participants")
    if isinstance(participants, list):
        fields["participants"] = [{"name": p} if isinstance(p, str) else p for p in participants]
    fields, warnings = _keep_unknown_keys(fields, prefix)
    validate(fields, source, prefix)
    return MetaSource(fields, kind, warnings)


def _keep_unknown_keys(fields: dict[str, Any], prefix: str) -> tuple[dict[str, Any], list[str]]:
    """Move top-level keys :class:`InterviewMeta` does not know into ``extra``, with a warning.

    A known key with a wrong value stays an error (``validate``); nested
    objects (``account``, participants) still refuse unknown keys.
    """
    known = set(InterviewMeta.model_fields) - {"extra"}
    unknown = [k for k in fields if k not in known and k != "extra"]
    if not unknown:
        return fields, []
    kept = {k: v for k, v in fields.items() if k not in unknown}
    extra = dict(kept.get("extra") or {}) if isinstance(kept.get("extra"), dict) else {}
    extra.update({k: fields[k] for k in unknown})
    kept["extra"] = extra
    warnings = []
    for key in unknown:
        close = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        warnings.append(f"{prefix}{key}: not a field we know, kept as extra metadata{hint}")
    return kept, warnings


def validate(fields: dict[str, Any], source: str, prefix: str = "") -> InterviewMeta:
    """Validate ``fields`` as :class:`InterviewMeta`, raising a readable :class:`MetadataError`."""
    try:
        return InterviewMeta.model_validate(fields)
    except ValidationError as exc:
        problems = [prefix + _describe(err) for err in exc.errors()]
        raise MetadataError(source, "; ".join(problems)) from None


def merge(
    embedded: MetaSource | None, sidecar: MetaSource | None, override: InterviewMeta | None
) -> tuple[InterviewMeta, str | None]:
    """Merge metadata sources field by field (override > sidecar > embedded); return (meta, kind).

    Nested objects merge too: an override giving only ``account.metrics.arr``
    keeps the account's other fields from the file.
    """
    fields: dict[str, Any] = {}
    kind: str | None = None
    for src in (embedded, sidecar):
        if src is not None:
            deep_update(fields, src.fields)
            kind = src.kind or kind
    if override is not None:
        deep_update(fields, override.model_dump(exclude_unset=True))
    return InterviewMeta.model_validate(fields), kind


def deep_update(target: dict[str, Any], new: dict[str, Any]) -> None:
    """``target.update(new)``, merging values that are dicts on both sides."""
    for key, value in new.items():
        old = target.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged = dict(old)
            deep_update(merged, value)
            target[key] = merged
        else:
            target[key] = value


def _load_yaml(block: str, source: str, what: str) -> object:
    try:
        return yaml.load(block, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        raise MetadataError(source, f"{what} is not valid YAML{where}: {problem}") from None


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model that holds the field at ``loc`` (for listing allowed fields)."""
    model: type[BaseModel] = InterviewMeta
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        found = _find_model(field.annotation)
        if found is None:
            return None
        model = found
    return model


def _find_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


_EXPECTED: dict[str, str] = {
    "date_from_datetime_parsing": "expected a date like 2024-03-14",
    "date_from_datetime_inexact": "expected a date like 2024-03-14",
    "date_parsing": "expected a date like 2024-03-14",
    "date_type": "expected a date like 2024-03-14",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected yes or no (true/false)",
    "bool_type": "expected yes or no (true/false)",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of fields",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "missing": "required field is missing",
}


def _describe(err: Any) -> str:
    loc: tuple[int | str, ...] = tuple(err.get("loc", ()))
    where = ".".join(str(p) for p in loc) or "(top level)"
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "enum":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        expected = f"expected one of {', '.join(options)}"
    elif kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = ", ".join(model.model_fields) if model is not None else ""
        expected = f"unknown field (allowed: {allowed})" if allowed else "unknown field"
    elif kind in ("greater_than_equal", "greater_than"):
        expected = f"expected a number {'>=' if kind.endswith('equal') else '>'} {ctx.get('ge', ctx.get('gt'))}"
    elif kind in _EXPECTED:
        expected = _EXPECTED[kind]
    elif kind == "value_error":  # our own validators: their message is written for people
        expected = str(ctx.get("error") or err.get("msg", "invalid value"))
    else:
        expected = str(err.get("msg", "invalid value")).lower()
    return f"{where}: {expected}"
