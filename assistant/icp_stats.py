"""Deterministic ICP statistics and caveats, computed by code from account data.

Inputs: each interview's metadata (``account``: company, firmographics, tech
stack, metrics) and, when the extraction tables exist (migration 3), the
extracted company facts: tech-stack facts with at least one verified quote
add tools, firmographic facts fill an ``industry`` or ``region`` the
metadata lacks. Before extraction has run (or in an older database) the
tables are absent and only metadata is used.

Formulas (docs/review.md repeats them):

- **Account value score** in [0, 1], from the account's metrics:
  ``0.5·money/max_money + 0.2·tenure/max_tenure + 0.15·expanded + 0.15·referred``
  where money is LTV, or ARR when LTV is missing, and the maxima are taken
  over the interviewed accounts. Missing parts count 0; an account with no
  metrics at all gets no score (and is neither best nor rest).
- **Best accounts**: the top third of scored accounts, ``ceil(n/3)`` (at
  least one), ties at the cut included.
- **Share** of a value: accounts with it / accounts where the attribute is
  known. **Value-weighted share**: their scores / the scores of scored
  accounts where it is known.
- **Lift**: ``share_best / share_rest`` with add-½ smoothing,
  ``((k_b+½)/(n_b+1)) / ((k_r+½)/(n_r+1))``, so a value absent from the rest
  gives a finite lift; None when there are no best or no rest accounts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.accounts import (
    COMPANY_FACT_ATTRIBUTES,
    AccountIdentity,
    load_identity,
    load_metas,
    resolve_identity,
)
from assistant.facts import FactRow, verified_facts
from assistant.firmographics import (
    CURRENCY_SYMBOLS,
    Quantity,
    QuantityError,
    band_of,
    parse_count,
    parse_money,
)
from assistant.models import AccountMetrics, InterviewMeta
from assistant.workspace import Workspace

Attribute = Literal["industry", "employee_band", "revenue_band", "region", "tech_stack"]
ATTRIBUTES: tuple[Attribute, ...] = (
    "industry",
    "employee_band",
    "revenue_band",
    "region",
    "tech_stack",
)
THIN_ACCOUNTS = 2
"""An attribute value resting on this many accounts or fewer gets a caveat."""
SMALL_SAMPLE = 10
"""Below this many scored accounts, lifts are indicative only."""

_EMPLOYEE_BANDS = ((50, "1-49"), (200, "50-199"), (1000, "200-999"), (5000, "1,000-4,999"))
_REVENUE_BANDS = ((10e6, "<$10M"), (50e6, "$10M-$50M"), (250e6, "$50M-$250M"), (1e9, "$250M-$1B"))


class AccountRecord(BaseModel):
    """One interviewed account (interviews grouped by :mod:`assistant.accounts`)."""

    company: str
    interviews: list[str]
    key: str = ""
    industry: str | None = None
    employees: Quantity | None = None
    revenue: Quantity | None = None
    region: str | None = None
    segment: str | None = None
    tech_stack: list[str] = Field(default_factory=list)
    metrics: AccountMetrics | None = None
    score: float | None = None
    best: bool = False
    warnings: list[str] = Field(
        default_factory=list, description="Firmographics that could not be read as numbers."
    )

    def values(self, attribute: str) -> list[str]:
        """The account's values of one attribute (empty when unknown)."""
        if attribute == "tech_stack":
            return list(self.tech_stack)
        if attribute == "employee_band":
            band = None if self.employees is None else employee_band(self.employees)
            return [] if band is None else [band]
        if attribute == "revenue_band":
            band = None if self.revenue is None else revenue_band(self.revenue)
            return [] if band is None else [band]
        value = getattr(self, attribute, None)
        return [] if value is None else [str(value)]


class AttributeStat(BaseModel):
    """The spread of one attribute value across accounts, and its lift among the best."""

    attribute: str
    value: str
    accounts: list[str]
    interviews: int
    known_accounts: int = Field(description="Accounts where the attribute is known.")
    share: float
    value_share: float | None
    best_with: int
    best_known: int
    rest_with: int
    rest_known: int
    share_best: float | None
    share_rest: float | None
    lift: float | None


class Caveat(BaseModel):
    """A warning computed by code, never written by a model."""

    kind: Literal[
        "sample_size",
        "no_metrics",
        "thin_evidence",
        "shared_not_named",
        "named_unchecked",
        "fit",
        "firmographics",
    ]
    severity: Literal["info", "warning"]
    message: str
    attribute: str | None = None
    value: str | None = None


class IcpFit(BaseModel):
    """How many interviewed accounts fit an ICP draft's criteria."""

    criteria: dict[str, list[str]]
    fitting: list[str]
    not_fitting: list[str]
    unknown: list[str] = Field(description="Accounts missing an attribute the criteria use.")
    total: int

    def caveat(self) -> Caveat:
        n = len(self.fitting)
        severe = n <= THIN_ACCOUNTS
        msg = f"{n} of {self.total} interviewed accounts fit the ICP as drafted"
        if self.unknown:
            msg += f" ({len(self.unknown)} lack data for a criterion)"
        if severe:
            msg += ": too narrow to be trusted, or the sample is too small"
        return Caveat(kind="fit", severity="warning" if severe else "info", message=msg)


class IcpStatistics(BaseModel):
    """Everything the ICP draft's numbers and caveats come from."""

    accounts: list[AccountRecord]
    interviews: int
    best_rule: str
    attributes: list[AttributeStat]
    caveats: list[Caveat]

    @property
    def best_accounts(self) -> list[str]:
        return [a.company for a in self.accounts if a.best]

    def stat(self, attribute: str, value: str) -> AttributeStat | None:
        key = value.casefold()
        return next(
            (s for s in self.attributes if s.attribute == attribute and s.value.casefold() == key),
            None,
        )

    def fit(self, criteria: Mapping[str, Sequence[str]]) -> IcpFit:
        return icp_fit(self.accounts, criteria)

    def to_markdown(self, max_rows: int | None = None) -> str:
        """The statistics section of the one-page ICP document.

        ``max_rows`` (prompts) keeps the account table and each attribute's
        table to that many rows (highest score / most accounts first) and says
        how many more there are.
        """
        scored = [a for a in self.accounts if a.score is not None]
        lines = [
            "## Evidence base",
            "",
            f"{len(self.accounts)} accounts, {self.interviews} interviews; "
            f"{len(scored)} accounts with metrics. Best accounts ({self.best_rule}): "
            + (", ".join(self.best_accounts) or "none")
            + ".",
            "",
            "| account | interviews | score | best |",
            "| --- | --- | --- | --- |",
        ]
        ordered = sorted(self.accounts, key=lambda a: -(a.score or -1))
        for a in ordered[:max_rows]:
            score = "—" if a.score is None else f"{a.score:.2f}"
            lines.append(
                f"| {a.company} | {len(a.interviews)} | {score} | {'yes' if a.best else ''} |"
            )
        if max_rows is not None and len(ordered) > max_rows:
            lines.append(f"| … {len(ordered) - max_rows} more accounts | | | |")
        for attribute in ATTRIBUTES:
            stats = [s for s in self.attributes if s.attribute == attribute]
            if not stats:
                continue
            lines += [
                "",
                f"### {attribute.replace('_', ' ')}",
                "",
                "| value | accounts | share | value-weighted | best | rest | lift |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
            if max_rows is not None and len(stats) > max_rows:
                more = len(stats) - max_rows
                stats = sorted(stats, key=lambda s: (-len(s.accounts), s.value))[:max_rows]
            else:
                more = 0
            for s in stats:
                vw = "—" if s.value_share is None else f"{s.value_share:.0%}"
                lift = "—" if s.lift is None else f"{s.lift:.2f}"
                lines.append(
                    f"| {s.value} | {len(s.accounts)} | {s.share:.0%} | {vw} | "
                    f"{s.best_with}/{s.best_known} | {s.rest_with}/{s.rest_known} | {lift} |"
                )
            if more:
                lines.append(f"| … {more} more values | | | | | | |")
        lines += ["", "## Caveats", ""]
        thin = [c for c in self.caveats if c.kind == "thin_evidence"]
        for c in self.caveats:
            if c.kind != "thin_evidence":
                lines.append(f"- **{c.severity}**: {c.message}")
        if thin:
            values = ", ".join(f"{c.attribute}={c.value}" for c in thin[:max_rows])
            if max_rows is not None and len(thin) > max_rows:
                values += f" and {len(thin) - max_rows} more"
            lines.append(f"- **warning**: resting on {THIN_ACCOUNTS} accounts or fewer: {values}")
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- bands and scores


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


# ---------------------------------------------------------------- accounts


def _quantity(
    rec: AccountRecord, what: str, value: int | str | None, parse: Callable[[Any], Quantity]
) -> Quantity | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse(value)
    except QuantityError as exc:
        rec.warnings.append(
            f"{rec.company}: {what} {value!r} is not read as a number ({exc}); no band"
        )
        return None


def accounts_from_meta(
    interviews: Iterable[tuple[str, InterviewMeta]],
    facts: Iterable[FactRow] = (),
    identity: AccountIdentity | None = None,
) -> list[AccountRecord]:
    """Group interviews into accounts by :mod:`assistant.accounts` (unknown: one each).

    Metadata fills firmographics first; verified facts fill an industry,
    region, head count or revenue the metadata lacks, and add tools.
    """
    interviews = list(interviews)
    facts = list(facts)
    if identity is None:
        stated: dict[str, list[str]] = {}
        for f in facts:
            if f.attribute.strip().casefold() in COMPANY_FACT_ATTRIBUTES:
                stated.setdefault(f.interview_id, []).append(f.value)
        identity = resolve_identity(interviews, stated)
    by_key: dict[str, AccountRecord] = {}
    owner: dict[str, AccountRecord] = {}
    for iid, meta in interviews:
        ref = identity.of(iid)
        rec = by_key.setdefault(
            ref.key, AccountRecord(company=ref.name, key=ref.key, interviews=[])
        )
        rec.interviews.append(iid)
        owner[iid] = rec
        segment = meta.segment or _tag_segment(meta.tags)
        if segment and rec.segment and segment.casefold() != rec.segment.casefold():
            rec.warnings.append(
                f"{rec.company}: interview {iid} puts the account in segment {segment!r}, "
                f"another interview in {rec.segment!r}; kept {rec.segment!r}"
            )
        rec.segment = rec.segment or segment
        acc = meta.account
        if acc is None:
            continue
        rec.industry = rec.industry or acc.industry
        if rec.employees is None:
            rec.employees = _quantity(rec, "employees", acc.employees, parse_count)
        if rec.revenue is None:
            rec.revenue = _quantity(rec, "revenue", acc.revenue, parse_money)
        rec.region = rec.region or acc.region
        _add_tools(rec, acc.tech_stack)
        rec.metrics = rec.metrics or acc.metrics
    for fact in facts:
        rec_or_none = owner.get(fact.interview_id)
        if rec_or_none is None:
            continue
        attr = fact.attribute.casefold()
        if fact.group == "tech_stack":
            _add_tools(rec_or_none, [fact.value])
        elif fact.group != "firmographic":
            continue
        elif attr in ("industry", "region") and getattr(rec_or_none, attr) is None:
            setattr(rec_or_none, attr, fact.value)
        elif attr in ("employees", "head count", "headcount") and rec_or_none.employees is None:
            rec_or_none.employees = _quantity(rec_or_none, "employees", fact.value, parse_count)
        elif attr in ("revenue", "annual revenue") and rec_or_none.revenue is None:
            rec_or_none.revenue = _quantity(rec_or_none, "revenue", fact.value, parse_money)
    return sorted(by_key.values(), key=lambda a: a.company.casefold())


def _tag_segment(tags: Iterable[str]) -> str | None:
    """The segment named by a ``segment:NAME`` (or ``segment=NAME``) tag."""
    for tag in tags:
        head, sep, rest = tag.partition(":") if ":" in tag else tag.partition("=")
        if sep and head.strip().casefold() == "segment" and rest.strip():
            return rest.strip()
    return None


def _add_tools(rec: AccountRecord, tools: Iterable[str]) -> None:
    have = {t.casefold() for t in rec.tech_stack}
    for tool in tools:
        if tool.strip() and tool.casefold() not in have:
            rec.tech_stack.append(tool.strip())
            have.add(tool.casefold())


def load_accounts(ws: Workspace) -> list[AccountRecord]:
    """The workspace's interviewed accounts, from metadata and extracted facts."""
    return accounts_from_meta(load_metas(ws.conn), verified_facts(ws.conn), load_identity(ws.conn))


# ---------------------------------------------------------------- statistics


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
