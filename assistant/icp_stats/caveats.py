"""Caveats: what the statistics cannot be trusted for, and why."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.icp_stats.models import (
    SMALL_SAMPLE,
    THIN_ACCOUNTS,
    AccountRecord,
    AttributeStat,
    Caveat,
)


def _named(value: str, named_reasons: set[str]) -> bool:
    """True when ``value`` appears (as whole words, any case) in a named reason."""
    pattern = re.compile(rf"(?<!\w){re.escape(value.casefold())}(?!\w)")
    return any(pattern.search(reason.casefold()) for reason in named_reasons)


def shared_by_best(stats: Sequence[AttributeStat]) -> list[AttributeStat]:
    """Values every best account holds that are more common among them than the rest."""
    return [
        s
        for s in stats
        if s.best_known and s.best_with == s.best_known and (s.lift is None or s.lift > 1)
    ]


def caveats(
    accounts: Sequence[AccountRecord],
    stats: Sequence[AttributeStat],
    named_reasons: set[str] | None,
) -> list[Caveat]:
    """Sample size, missing metrics, thin values and shared-but-never-named traits."""
    interviews = sum(len(a.interviews) for a in accounts)
    scored = [a for a in accounts if a.score is not None]
    out = [
        Caveat(
            kind="sample_size",
            severity="warning" if len(scored) < SMALL_SAMPLE else "info",
            message=f"{len(accounts)} accounts and {interviews} interviews "
            f"({len(scored)} accounts with metrics)"
            + ("; lifts are indicative, not significant" if len(scored) < SMALL_SAMPLE else ""),
        )
    ]
    out += [
        Caveat(kind="firmographics", severity="warning", message=w)
        for a in accounts
        for w in a.warnings
    ]
    missing = [a.company for a in accounts if a.score is None]
    if missing:
        out.append(
            Caveat(
                kind="no_metrics",
                severity="warning",
                message="no account metrics for "
                + ", ".join(missing)
                + ": not counted among the best or the rest",
            )
        )
    out += [
        Caveat(
            kind="thin_evidence",
            severity="warning",
            message=f"{s.attribute} = {s.value} rests on {len(s.accounts)} account(s)",
            attribute=s.attribute,
            value=s.value,
        )
        for s in stats
        if len(s.accounts) <= THIN_ACCOUNTS
    ]
    shared = shared_by_best(stats)
    if named_reasons is None:
        if shared:
            values = ", ".join(f"{s.attribute}={s.value}" for s in shared)
            out.append(
                Caveat(
                    kind="named_unchecked",
                    severity="warning",
                    message="could not check whether customers named these shared traits of "
                    f"the best accounts as a reason to buy (no extracted insights): {values}",
                )
            )
        return out
    out += [
        Caveat(
            kind="shared_not_named",
            severity="warning",
            message=f"every best account has {s.attribute} = {s.value}, but no participant "
            "named it as a reason to buy: correlation, not cause",
            attribute=s.attribute,
            value=s.value,
        )
        for s in shared
        if not _named(s.value, named_reasons)
    ]
    return out
