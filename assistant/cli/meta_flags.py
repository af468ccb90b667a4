"""Interview metadata given as `persona ingest` flags.

The flags build a partial :class:`InterviewMeta`: only what was given is set,
so it merges field by field over each file's front matter or sidecar (flags
win). A value of the wrong form is a usage error naming the flag.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from assistant.errors import UsageError
from assistant.models import InterviewMeta

FLAG_FOR: dict[tuple[str, ...], str] = {
    ("title",): "--title",
    ("date",): "--date",
    ("interviewer",): "--interviewer",
    ("participants",): "--participant",
    ("tags",): "--tag",
    ("account", "company"): "--company",
    ("account", "industry"): "--industry",
    ("account", "employees"): "--employees",
    ("account", "revenue"): "--revenue",
    ("account", "region"): "--region",
    ("account", "tech_stack"): "--tech",
    ("account", "metrics", "arr"): "--arr",
    ("account", "metrics", "ltv"): "--ltv",
    ("account", "metrics", "tenure_months"): "--tenure-months",
    ("account", "metrics", "expanded"): "--expanded/--not-expanded",
    ("account", "metrics", "referred"): "--referred/--not-referred",
}


def parse_participant(value: str) -> dict[str, Any]:
    """``"Name; Title; dmu_role"`` (title and role optional) → a participant dict."""
    parts = [p.strip() for p in value.split(";")]
    if not parts[0] or len(parts) > 3:
        raise UsageError(
            f'--participant {value!r}: expected "Name; Title; dmu_role" '
            '(title and role optional), e.g. "Dana Whitfield; CFO; economic_buyer"'
        )
    person: dict[str, Any] = {"name": parts[0]}
    if len(parts) > 1 and parts[1]:
        person["title"] = parts[1]
    if len(parts) > 2 and parts[2]:
        person["dmu_role"] = parts[2]
    return person


def meta_from_flags(values: dict[str, Any]) -> InterviewMeta | None:
    """A partial InterviewMeta from flag values keyed by field path; None when none given."""
    data: dict[str, Any] = {}
    for path, flag in FLAG_FOR.items():
        value = values.get(flag)
        if value is None or value == [] or value == ():
            continue
        if path == ("participants",):
            value = [parse_participant(v) for v in value]
        target = data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = list(value) if isinstance(value, (list, tuple)) else value
    if not data:
        return None
    company = data.get("account", {}).get("company")
    for person in data.get("participants", []):
        if company:
            person.setdefault("company", company)
    try:
        return InterviewMeta.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(str(p) for p in first["loc"] if not isinstance(p, int))
        flag = next(
            (
                f
                for path, f in sorted(FLAG_FOR.items(), key=lambda kv: -len(kv[0]))
                if loc[: len(path)] == path
            ),
            ".".join(loc),
        )
        raise UsageError(f"{flag}: {first['msg']}") from None
