"""Money and head-count parsing: table tests (nothing guessed, ranges and currencies kept)."""

from __future__ import annotations

import pytest

from assistant.firmographics import QuantityError, parse_count, parse_money
from assistant.models import AccountMetrics

M = 1_000_000


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "approx", "basis", "year"),
    [
        ("€1,5M", 1.5 * M, 1.5 * M, "EUR", False, None, None),
        ("FY2024 revenue $5M", 5 * M, 5 * M, "USD", False, "revenue", "FY2024"),
        ("$5M ARR", 5 * M, 5 * M, "USD", False, "ARR", None),
        ("around $9 million ARR", 9 * M, 9 * M, "USD", True, "ARR", None),
        ("about $180 million", 180 * M, 180 * M, "USD", True, None, None),
        ("$10-50M", 10 * M, 50 * M, "USD", False, None, None),
        ("$10M–$50M", 10 * M, 50 * M, "USD", False, None, None),
        ("10 to 50 million EUR", 10 * M, 50 * M, "EUR", False, None, None),
        ("£750k", 750_000, 750_000, "GBP", False, None, None),
        ("$1.2B", 1.2e9, 1.2e9, "USD", False, None, None),
        ("1.234.567 €", 1_234_567, 1_234_567, "EUR", False, None, None),
        ("12M", 12 * M, 12 * M, None, False, None, None),
        ("over $1B", 1e9, None, "USD", False, None, None),
        ("up to $2M", None, 2 * M, "USD", False, None, None),
    ],
)
def test_money(
    text: str,
    low: float | None,
    high: float | None,
    currency: str | None,
    approx: bool,
    basis: str | None,
    year: str | None,
) -> None:
    q = parse_money(text)
    assert (q.low, q.high, q.currency, q.approximate, q.basis, q.fiscal_year) == (
        low,
        high,
        currency,
        approx,
        basis,
        year,
    )
    assert q.text == text


@pytest.mark.parametrize(
    ("text", "low", "high", "approx"),
    [
        ("50–100 employees", 50, 100, False),
        ("about 2,000", 2000, 2000, True),
        ("about sixty", 60, 60, True),
        ("roughly 420", 420, 420, True),
        ("twenty-three", 23, 23, False),
        ("500+", 500, None, False),
        ("1 400", 1400, 1400, False),
        (1400, 1400, 1400, False),
    ],
)
def test_counts(text: str | int, low: float, high: float | None, approx: bool) -> None:
    q = parse_count(text)
    assert (q.low, q.high, q.approximate) == (low, high, approx)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("undisclosed", "no number"),
        ("growing fast", "no number"),
        ("€1.500", "could be 1500 or 1.500"),
        ("$50M-$10M", "ends below"),
        ("$5M revenue and 200 staff", "several numbers"),
    ],
)
def test_money_refused(text: str, reason: str) -> None:
    with pytest.raises(QuantityError, match=reason):
        parse_money(text)


def test_count_refuses_money() -> None:
    with pytest.raises(QuantityError, match="not a head count"):
        parse_count("$2,000")


def test_describe_keeps_what_was_said() -> None:
    assert parse_money("10-50M").describe() == "10,000,000–50,000,000 (currency not stated)"
    assert parse_money("around $9 million ARR").describe() == "9,000,000 USD (approx., ARR)"


def test_metrics_accept_usd_text_and_refuse_other_currencies() -> None:
    assert AccountMetrics.model_validate({"arr": "$52k", "ltv": "310,000"}).arr == 52_000
    with pytest.raises(ValueError, match="in EUR; metrics are compared in USD"):
        AccountMetrics.model_validate({"arr": "€1,5M"})
    with pytest.raises(ValueError, match="range"):
        AccountMetrics.model_validate({"arr": "$1-2M"})
