"""Replace PII with stable placeholders before a request leaves, and map answers back.

What is replaced: what :func:`~assistant.privacy.patterns.find_pii` finds
(emails, phones, card and national-ID-like numbers, street addresses) and the
names known from the workspace's metadata — participants (full, first and
last name), the interviewer, speaker labels that are names, and companies.
Names get one placeholder for the life of the redactor (``[PERSON_2]``,
``[PERSON_2_F]`` for the first name alone, ``[COMPANY_1]``), so the model sees
the same person as the same token in every call of a batch; other values are
numbered per request, in the order they appear (``[EMAIL_1]``), so the same
request always reads the same — `persona preview` shows exactly what is sent.
:meth:`Redactor.restore` puts the original text back into everything the
model returns; quotes are then verified against the original transcript,
never against the redacted one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.privacy.patterns import find_pii

PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|ID|ADDRESS|PERSON|COMPANY)_\d+(?:_[FL])?\]")
_GENERIC_LABEL = re.compile(
    r"^(?:speaker|interviewer|participant|moderator|host|guest|unknown|customer|user|me|you)\b",
    re.IGNORECASE,
)
_MIN_NAME = 3


@dataclass
class Redacted:
    """One request's variables as sent, and placeholder → original for its answer."""

    variables: dict[str, Any]
    mapping: dict[str, str]


@dataclass
class Redactor:
    """Placeholders for known names (fixed) and for PII found in each request."""

    people: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    region: str = "US"
    _to: dict[str, str] = field(default_factory=dict)
    _back: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _name_re: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        for person in dict.fromkeys(p.strip() for p in self.people if p and p.strip()):
            if len(person) < _MIN_NAME or _GENERIC_LABEL.match(person):
                continue
            base = self._new("PERSON")
            self._bind(person, base)
            parts = person.split()
            if len(parts) > 1:
                if len(parts[0]) >= _MIN_NAME:
                    self._names.setdefault(parts[0], base[:-1] + "_F]")
                if len(parts[-1]) >= _MIN_NAME:
                    self._names.setdefault(parts[-1], base[:-1] + "_L]")
            self._names[person] = base
        for company in dict.fromkeys(c.strip() for c in self.companies if c and c.strip()):
            if len(company) >= _MIN_NAME and company not in self._names:
                self._names[company] = self._new("COMPANY")
        for name, token in self._names.items():
            self._bind(name, token)
        if self._names:
            alternatives = sorted(self._names, key=len, reverse=True)
            self._name_re = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(n) for n in alternatives) + r")(?!\w)"
            )

    def _new(self, label: str) -> str:
        self._counts[label] = self._counts.get(label, 0) + 1
        return f"[{label}_{self._counts[label]}]"

    def _bind(self, value: str, token: str) -> None:
        self._to.setdefault(value, token)
        self._back.setdefault(token, value)

    def redact(self, text: str) -> str:
        """``text`` with PII and known names replaced by placeholders (one request)."""
        return self.redact_variables({"text": text}).variables["text"]

    def _redact(self, text: str, request: dict[str, str], counts: dict[str, int]) -> str:
        spans = [(s.start, s.end, s.label) for s in find_pii(text, self.region)]
        if self._name_re is not None:
            for m in self._name_re.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                    spans.append((m.start(), m.end(), "NAME"))
        out: list[str] = []
        pos = 0
        for start, end, label in sorted(spans):
            value = text[start:end]
            if label == "NAME":
                token = self._names[value]
            else:
                if value not in request:
                    counts[label] = counts.get(label, 0) + 1
                    request[value] = f"[{label}_{counts[label]}]"
                token = request[value]
            out.append(text[pos:start])
            out.append(token)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def redact_variables(self, variables: dict[str, Any]) -> Redacted:
        """One request's prompt variables with every string redacted (nested too)."""
        request: dict[str, str] = {}
        counts: dict[str, int] = {}
        sent = {
            k: self._walk(v, lambda t: self._redact(t, request, counts))
            for k, v in variables.items()
        }
        mapping = dict(self._back)
        mapping.update({token: value for value, token in request.items()})
        return Redacted(sent, mapping)

    @staticmethod
    def restore_text(text: str, mapping: dict[str, str]) -> str:
        """``text`` with every placeholder of ``mapping`` put back."""
        return PLACEHOLDER.sub(lambda m: mapping.get(m.group(), m.group()), text)

    def restore(self, data: Any, mapping: dict[str, str]) -> Any:
        """A JSON-like structure with every string restored."""
        return self._walk(data, lambda t: self.restore_text(t, mapping))

    def _walk(self, value: Any, fn: Any) -> Any:
        if isinstance(value, str):
            return fn(value)
        if isinstance(value, list):
            return [self._walk(v, fn) for v in value]
        if isinstance(value, dict):
            return {k: self._walk(v, fn) for k, v in value.items()}
        return value


def names_from_metadata(rows: Iterable[tuple[str, Iterable[str]]]) -> tuple[list[str], list[str]]:
    """(people, companies) from ``(meta_json, speaker labels)`` of each interview."""
    people: list[str] = []
    companies: list[str] = []
    for meta_json, speakers in rows:
        meta = json.loads(meta_json) if meta_json else {}
        for p in meta.get("participants") or []:
            people.append(str(p.get("name") or ""))
            companies.append(str(p.get("company") or ""))
        if meta.get("interviewer"):
            people.append(str(meta["interviewer"]))
        account = meta.get("account") or {}
        companies.append(str(account.get("company") or ""))
        people += [s for s in speakers if any(ch.isupper() for ch in s[:1])]
    return people, companies
