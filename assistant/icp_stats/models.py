"""What the ICP statistics hold: account records, attribute stats, caveats, fit, the whole report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from assistant.firmographics import Quantity
from assistant.icp_stats.bands import employee_band, revenue_band
from assistant.models import AccountMetrics

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
        from assistant.icp_stats.fit import icp_fit  # fit.py imports these models

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
