"""Numeric firmographics: revenue, ARR and employee counts read from text, never guessed.

``parse_money("€1,5M")`` and ``parse_count("50–100 employees")`` return a
:class:`Quantity`: a low and a high number (equal for a single value, one of
them None for "over 500" / "up to 500"), the currency exactly as written (None
when none is written: no currency is assumed), whether it was approximate
("about", "~"), what it measures when the text says (``ARR``, ``revenue``) and
the fiscal year named (``FY2024``). Text that holds no number, or a number we
would have to guess about (``1.500`` with no scale: thousands or a decimal?),
raises :class:`QuantityError` with the reason; callers show it and keep the
text as given.

No library fits: ``price-parser`` reads one price without scales (M, bn) or
ranges, and ``quantulum3`` pulls a language model's worth of data for a few
units. The rules here are small and table-tested (``tests/review/test_firmographics.py``).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

Kind = Literal["money", "count"]

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "zł": "PLN"}
_CURRENCY_CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "INR", "PLN", "SEK", "NOK")
_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
}
_APPROX = re.compile(
    r"\b(about|around|roughly|approximately|approx\.?|circa|ca\.|nearly|almost|some)\b|~|≈",
    re.IGNORECASE,
)
_ABOVE = re.compile(r"\b(over|more than|above|at least)\b|\+\s*$|\d\+", re.IGNORECASE)
_BELOW = re.compile(r"\b(under|less than|below|up to|fewer than)\b", re.IGNORECASE)
_FISCAL = re.compile(r"\b(?:FY|fiscal(?: year)?\s*)'?(\d{2}(?:\d{2})?)\b", re.IGNORECASE)
_BASIS = re.compile(r"\b(ARR|MRR|revenue|turnover|sales|GMV|bookings)\b", re.IGNORECASE)
_SCALE_ALT = "|".join(sorted((re.escape(s) for s in _SCALES), key=len, reverse=True))
_CODE_ALT = "|".join(_CURRENCY_CODES)
_SYMBOL_ALT = "|".join(re.escape(s) for s in CURRENCY_SYMBOLS)
_NUMBER = rf"(?P<cur>{_SYMBOL_ALT}|(?:{_CODE_ALT})\s?)?\s*(?P<num>\d[\d.,\u202f' ]*\d|\d)"
_AMOUNT = re.compile(
    _NUMBER + rf"\s*(?P<scale>(?:{_SCALE_ALT})\b)?\s*(?P<cur2>{_SYMBOL_ALT}|\b(?:{_CODE_ALT})\b)?",
    re.IGNORECASE,
)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to|and|bis)\s*$", re.IGNORECASE)


class QuantityError(ValueError):
    """Text that cannot be read as a number without guessing."""


class Quantity(BaseModel):
    """A number (or range) read from text, with what the text said about it."""

    text: str
    kind: Kind
    low: float | None
    high: float | None
    currency: str | None = None
    approximate: bool = False
    basis: str | None = None
    fiscal_year: str | None = None

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def describe(self) -> str:
        """The quantity in words, e.g. ``1,500,000–2,000,000 EUR (approx., ARR)``."""

        def fmt(v: float | None) -> str:
            return "?" if v is None else f"{v:,.0f}"

        if self.low is not None and self.low == self.high:
            body = fmt(self.low)
        elif self.low is None:
            body = f"up to {fmt(self.high)}"
        elif self.high is None:
            body = f"over {fmt(self.low)}"
        else:
            body = f"{fmt(self.low)}–{fmt(self.high)}"
        if self.currency:
            body += f" {self.currency}"
        notes = [
            n
            for n in (
                "approx." if self.approximate else None,
                self.basis,
                self.fiscal_year,
                "currency not stated" if self.kind == "money" and not self.currency else None,
            )
            if n
        ]
        return body + (f" ({', '.join(notes)})" if notes else "")


def _number(raw: str) -> float:
    """``2,000`` → 2000, ``1,5`` → 1.5, ``1.234.567`` → 1234567; refuse ``1.500`` alone."""
    s = raw.replace("\u202f", "").replace("'", "").replace(" ", "")
    commas, dots = s.count(","), s.count(".")
    if commas and dots:  # the last separator is the decimal one
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if dec == "," else ","
        return float(s.replace(thousands, "").replace(dec, "."))
    for sep in (",", "."):
        n = s.count(sep)
        if not n:
            continue
        groups = s.split(sep)
        grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        if n > 1:
            if not grouped:
                raise QuantityError(f"{raw!r} is not a number")
            return float(s.replace(sep, ""))
        if len(groups[1]) != 3:
            return float(s.replace(sep, "."))
        if sep == ",":
            return float(s.replace(",", ""))
        raise QuantityError(f"{raw!r} could be {groups[0]}{groups[1]} or {groups[0]}.{groups[1]}")
    return float(s)


def _words_to_number(text: str) -> str:
    """Replace number words ("sixty", "twenty-three", "a hundred") with digits."""
    tens = r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    units = r"(one|two|three|four|five|six|seven|eight|nine)"

    def compound(m: re.Match[str]) -> str:
        return str(_WORDS[m.group(1).lower()] + _WORDS[m.group(2).lower()])

    text = re.sub(rf"\b{tens}[- ]{units}\b", compound, text, flags=re.IGNORECASE)
    names = sorted(_WORDS, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(names) + r")\b", re.IGNORECASE)
    return pattern.sub(lambda m: str(_WORDS[m.group(1).lower()]), text)


def _currency(*found: str | None) -> str | None:
    for c in found:
        if c and c.strip():
            c = c.strip()
            return CURRENCY_SYMBOLS.get(c, c.upper())
    return None


def _parse(text: str, kind: Kind) -> Quantity:
    original = text
    body = _words_to_number(text)
    fiscal = _FISCAL.search(body)
    if fiscal is not None:
        body = body[: fiscal.start()] + " " + body[fiscal.end() :]
    matches = [
        m
        for m in _AMOUNT.finditer(body)
        if not (kind == "money" and _looks_like_year(m) and not (m["cur"] or m["scale"]))
    ]
    if not matches:
        raise QuantityError(f"no number in {original!r}")
    first = matches[0]
    second = None
    if len(matches) > 1 and _RANGE_SEP.match(body[first.end() : matches[1].start()]):
        second = matches[1]
    elif len(matches) > 1:
        raise QuantityError(f"{original!r} holds several numbers; give one value or a range")
    scale2 = second["scale"] if second is not None else None
    scale1 = first["scale"] or scale2  # "10-50M": the scale is written once, after the range
    low: float | None = _number(first["num"]) * (_SCALES[scale1.lower()] if scale1 else 1.0)
    high: float | None = low
    if second is not None:
        high = _number(second["num"]) * (_SCALES[scale2.lower()] if scale2 else 1.0)
        if low is not None and high < low:
            raise QuantityError(f"{original!r}: the range ends below where it starts")
    currency = _currency(
        first["cur"],
        first["cur2"],
        second["cur"] if second else None,
        second["cur2"] if second else None,
    )
    if kind == "count" and currency:
        raise QuantityError(f"{original!r} is an amount of money, not a head count")
    if second is None and _ABOVE.search(body):
        high = None
    elif second is None and _BELOW.search(body):
        low, high = None, low
    basis = _BASIS.search(body)
    return Quantity(
        text=original,
        kind=kind,
        low=low,
        high=high,
        currency=currency,
        approximate=bool(_APPROX.search(body)),
        basis=basis.group(1).upper()
        if basis and basis.group(1).upper() in ("ARR", "MRR", "GMV")
        else (basis.group(1).lower() if basis else None),
        fiscal_year=f"FY{fiscal.group(1)}" if fiscal else None,
    )


def _looks_like_year(m: re.Match[str]) -> bool:
    return re.fullmatch(r"(19|20)\d\d", m["num"]) is not None


def parse_money(text: str | float | int) -> Quantity:
    """Read revenue or ARR: ``"€1,5M"``, ``"FY2024 revenue $5M"``, ``"$5M ARR"``, ``"10-50M"``."""
    if isinstance(text, int | float):
        return Quantity(text=str(text), kind="money", low=float(text), high=float(text))
    return _parse(text, "money")


def parse_count(text: str | int) -> Quantity:
    """Read a head count: ``1400``, ``"50–100 employees"``, ``"about 2,000"``, ``"about sixty"``."""
    if isinstance(text, int):
        return Quantity(text=str(text), kind="count", low=float(text), high=float(text))
    return _parse(text, "count")


def band_of(q: Quantity, bands: tuple[tuple[float, str], ...], top_label: str) -> str | None:
    """The band holding the whole quantity, or None when it spans bands or is open-ended.

    ``bands`` are (exclusive upper bound, label) pairs in order. A range whose
    high end equals a band's upper bound ("10-50M") stays in that band.
    """
    if q.low is None or q.high is None:
        return None

    def band(v: float, inclusive: bool) -> str:
        for top, label in bands:
            if v < top or (inclusive and v == top):
                return label
        return top_label

    low, high = band(q.low, False), band(q.high, q.high != q.low)
    return low if low == high else None
