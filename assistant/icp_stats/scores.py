"""Account value scores and the best accounts (see the package docstring for the formula)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from assistant.icp_stats.models import AccountRecord
from assistant.models import AccountMetrics


def score_accounts(accounts: Sequence[AccountRecord]) -> None:
    """Set each account's value score (see the module docstring); None without metrics."""

    def money(m: AccountMetrics) -> float | None:
        return m.ltv if m.ltv is not None else m.arr

    with_metrics = [a for a in accounts if a.metrics is not None and _has_any(a.metrics)]
    max_money = max((money(a.metrics) or 0.0 for a in with_metrics if a.metrics), default=0.0)
    max_tenure = max((a.metrics.tenure_months or 0 for a in with_metrics if a.metrics), default=0)
    for a in accounts:
        a.score = None
        if a not in with_metrics or a.metrics is None:
            continue
        m = a.metrics
        score = 0.5 * (money(m) or 0.0) / max_money if max_money else 0.0
        score += 0.2 * (m.tenure_months or 0) / max_tenure if max_tenure else 0.0
        score += 0.15 * bool(m.expanded) + 0.15 * bool(m.referred)
        a.score = round(score, 4)


def _has_any(m: AccountMetrics) -> bool:
    return any(v is not None for v in m.model_dump().values())


def mark_best(accounts: Sequence[AccountRecord]) -> str:
    """Mark the top third of scored accounts as best; return the rule in words."""
    scored = sorted((a for a in accounts if a.score is not None), key=lambda a: -(a.score or 0))
    for a in accounts:
        a.best = False
    if not scored:
        return "no account has metrics"
    cut = scored[max(1, math.ceil(len(scored) / 3)) - 1].score
    for a in scored:
        a.best = a.score is not None and cut is not None and a.score >= cut
    return f"top third of {len(scored)} scored accounts by value score"
