"""Employee-count and revenue bands of a company."""

from __future__ import annotations

from assistant.firmographics import (
    CURRENCY_SYMBOLS,
    Quantity,
    band_of,
    parse_count,
    parse_money,
)

_EMPLOYEE_BANDS = ((50, "1-49"), (200, "50-199"), (1000, "200-999"), (5000, "1,000-4,999"))
_REVENUE_BANDS = ((10e6, "<$10M"), (50e6, "$10M-$50M"), (250e6, "$50M-$250M"), (1e9, "$250M-$1B"))


def employee_band(employees: int | str | Quantity) -> str | None:
    """The employee-count band of a company; None when a range spans two bands or is open."""
    q = employees if isinstance(employees, Quantity) else parse_count(employees)
    return band_of(q, _EMPLOYEE_BANDS, "5,000+")


def revenue_band(revenue: str | Quantity) -> str | None:
    """The revenue band of ``"$40M"``, ``"$10-50M"`` or ``"€1,5M"``, in the currency written.

    A range gets a band only when it fits in one; an amount with no currency
    says so in its band (nothing is assumed or converted). Text without a
    number has no band: raises :class:`~assistant.firmographics.QuantityError`.
    """
    q = revenue if isinstance(revenue, Quantity) else parse_money(revenue)
    band = band_of(q, _REVENUE_BANDS, "$1B+")
    if band is None or q.currency == "USD":
        return band
    if q.currency is None:
        return band.replace("$", "") + " (currency not stated)"
    symbol = next((s for s, c in CURRENCY_SYMBOLS.items() if c == q.currency), q.currency + " ")
    return band.replace("$", symbol)
