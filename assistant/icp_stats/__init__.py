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

Modules: ``models`` (what the report holds), ``bands``, ``scores``,
``records`` (accounts from metadata and facts), ``statistics``, ``caveats``
and ``fit``. The public names are re-exported here.
"""

from __future__ import annotations

from assistant.icp_stats.bands import employee_band, revenue_band
from assistant.icp_stats.caveats import caveats, shared_by_best
from assistant.icp_stats.fit import icp_fit
from assistant.icp_stats.models import (
    ATTRIBUTES,
    SMALL_SAMPLE,
    THIN_ACCOUNTS,
    AccountRecord,
    Attribute,
    AttributeStat,
    Caveat,
    IcpFit,
    IcpStatistics,
)
from assistant.icp_stats.records import accounts_from_meta, load_accounts
from assistant.icp_stats.scores import mark_best, score_accounts
from assistant.icp_stats.statistics import (
    attribute_stats,
    compute_icp_statistics,
    statistics_from_accounts,
)

__all__ = [
    "ATTRIBUTES",
    "SMALL_SAMPLE",
    "THIN_ACCOUNTS",
    "AccountRecord",
    "Attribute",
    "AttributeStat",
    "Caveat",
    "IcpFit",
    "IcpStatistics",
    "accounts_from_meta",
    "attribute_stats",
    "caveats",
    "compute_icp_statistics",
    "employee_band",
    "icp_fit",
    "load_accounts",
    "mark_best",
    "revenue_band",
    "score_accounts",
    "shared_by_best",
    "statistics_from_accounts",
]
