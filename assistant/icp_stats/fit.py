"""How many interviewed accounts fit the ICP criteria as drafted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.icp_stats.models import ATTRIBUTES, AccountRecord, IcpFit


def icp_fit(accounts: Sequence[AccountRecord], criteria: Mapping[str, Sequence[str]]) -> IcpFit:
    """Accounts that fit ``criteria`` ({attribute: allowed values}, case-insensitive).

    An account fits when, for every attribute, one of its values is allowed
    (for ``tech_stack``: it uses at least one listed tool). An account that
    lacks a criterion's attribute does not fit and is listed as unknown.
    """
    for attribute in criteria:
        if attribute not in ATTRIBUTES:
            raise ValueError(f"unknown ICP attribute {attribute!r}: use one of {ATTRIBUTES}")
    fitting: list[str] = []
    not_fitting: list[str] = []
    unknown: list[str] = []
    for a in accounts:
        ok = True
        for attribute, allowed in criteria.items():
            values = {v.casefold() for v in a.values(attribute)}
            if not values:
                unknown.append(a.company)
                ok = False
                break
            if not values & {v.casefold() for v in allowed}:
                ok = False
        if ok:
            fitting.append(a.company)
        elif a.company not in unknown:
            not_fitting.append(a.company)
    return IcpFit(
        criteria={k: list(v) for k, v in criteria.items()},
        fitting=fitting,
        not_fitting=not_fitting,
        unknown=unknown,
        total=len(accounts),
    )
