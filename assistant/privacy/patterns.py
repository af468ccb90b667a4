"""Detect PII in text with patterns: emails, phones, card and national-ID numbers, addresses.

Phones are found by ``phonenumbers`` (Google's libphonenumber, offline), the
others by regular expressions with checks (Luhn for cards, reserved SSN
ranges). ``benchmarks/redaction.py`` measures this set against Presidio's
pattern recognisers and scrubadub on the labelled sample in
``tests/support/pii_sample.py``; the numbers are in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABELS = ("EMAIL", "PHONE", "CARD", "ID", "ADDRESS")
PHONE_REGIONS = ("US", "GB", "DE", "FR", "CA", "AU")
"""Regions whose national formats (no ``+`` prefix) are also looked for."""


@dataclass(frozen=True)
class Span:
    """One detection: ``text[start:end]`` is PII of kind ``label``."""

    start: int
    end: int
    label: str


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")
_NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_STREET = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Parkway|Pkwy|Square|Sq|Highway|Hwy|Close|Crescent"
)
_ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-zA-Z'\-]+\s+){1,3}"
    rf"(?:{_STREET})\b"
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _phones(text: str, region: str) -> list[Span]:
    import phonenumbers

    out = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    ):
        out.append(Span(match.start, match.end, "PHONE"))
    return out


def find_pii(text: str, region: str = "US") -> list[Span]:
    """Every PII span in ``text``, by position; overlaps resolved to the earliest, longest."""
    found: list[Span] = [Span(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            found.append(Span(m.start(), m.end(), "CARD"))
    found += [Span(m.start(), m.end(), "ID") for m in _SSN.finditer(text)]
    found += [Span(m.start(), m.end(), "ID") for m in _NINO.finditer(text)]
    found += [Span(m.start(), m.end(), "ADDRESS") for m in _ADDRESS.finditer(text)]
    taken = [(s.start, s.end) for s in found]
    for where in dict.fromkeys((region, *PHONE_REGIONS)):
        for phone in _phones(text, where):
            if not any(a < phone.end and phone.start < b for a, b in taken):
                found.append(phone)
                taken.append((phone.start, phone.end))
    return _resolve(found)


def _resolve(spans: list[Span]) -> list[Span]:
    chosen: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if chosen and s.start < chosen[-1].end:
            continue
        chosen.append(s)
    return chosen
