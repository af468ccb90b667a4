"""Per-attribute statistics (share, value-weighted share, lift) and the whole report."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.icp_stats.caveats import caveats
from assistant.icp_stats.models import ATTRIBUTES, AccountRecord, AttributeStat, IcpStatistics
from assistant.icp_stats.records import load_accounts
from assistant.icp_stats.scores import mark_best, score_accounts
from assistant.workspace import Workspace


def _ratio(k: int, n: int) -> float | None:
    return k / n if n else None


def attribute_stats(accounts: Sequence[AccountRecord]) -> list[AttributeStat]:
    """Distribution, value-weighted share and lift of every attribute value."""
    out: list[AttributeStat] = []
    best = [a for a in accounts if a.best]
    rest = [a for a in accounts if a.score is not None and not a.best]
    for attribute in ATTRIBUTES:
        known = [a for a in accounts if a.values(attribute)]
        names: dict[str, str] = {}
        for a in known:
            for v in a.values(attribute):
                names.setdefault(v.casefold(), v)
        for key, value in names.items():
            holders = [a for a in known if key in {v.casefold() for v in a.values(attribute)}]
            scored_known = [a for a in known if a.score is not None]
            total = sum(a.score or 0 for a in scored_known)
            held = sum(a.score or 0 for a in holders if a.score is not None)
            bk = [a for a in best if a.values(attribute)]
            rk = [a for a in rest if a.values(attribute)]
            kb = sum(a in holders for a in bk)
            kr = sum(a in holders for a in rk)
            lift = None
            if bk and rk:
                lift = ((kb + 0.5) / (len(bk) + 1)) / ((kr + 0.5) / (len(rk) + 1))
            out.append(
                AttributeStat(
                    attribute=attribute,
                    value=value,
                    accounts=[a.company for a in holders],
                    interviews=sum(len(a.interviews) for a in holders),
                    known_accounts=len(known),
                    share=len(holders) / len(known),
                    value_share=held / total if total else None,
                    best_with=kb,
                    best_known=len(bk),
                    rest_with=kr,
                    rest_known=len(rk),
                    share_best=_ratio(kb, len(bk)),
                    share_rest=_ratio(kr, len(rk)),
                    lift=None if lift is None else round(lift, 4),
                )
            )
    return sorted(out, key=lambda s: (ATTRIBUTES.index(s.attribute), -len(s.accounts), s.value))


def statistics_from_accounts(
    accounts: list[AccountRecord], named_reasons: set[str] | None = None
) -> IcpStatistics:
    """Score, mark the best, compute attribute stats and caveats."""
    score_accounts(accounts)
    rule = mark_best(accounts)
    stats = attribute_stats(accounts)
    return IcpStatistics(
        accounts=accounts,
        interviews=sum(len(a.interviews) for a in accounts),
        best_rule=rule,
        attributes=stats,
        caveats=caveats(accounts, stats, named_reasons),
    )


def compute_icp_statistics(ws: Workspace, named_reasons: set[str] | None = None) -> IcpStatistics:
    """ICP statistics for the workspace's interviews.

    ``named_reasons``: attribute values that appear in extracted trigger,
    requirement or goal insights; None when that is unknown (the
    shared-but-never-named check is then reported as not made).
    """
    return statistics_from_accounts(load_accounts(ws), named_reasons)
