"""ICP statistics and caveats on the 12 sample interviews (5 accounts)."""

from __future__ import annotations

import pytest

from assistant import icp_stats as s
from assistant.facts import FactRow, verified_facts
from assistant.firmographics import QuantityError
from assistant.library import ingest_paths
from assistant.models import Account, AccountMetrics, InterviewMeta
from assistant.workspace import Workspace
from tests.support.paths import SAMPLE_TRANSCRIPTS
from tests.support.store import HashEmbedder

CEDAR, NORTHWIND = "Cedar Ridge Dental Partners", "Northwind Logistics"
NAMED = {"native NetSuite sync", "multi-entity approval routing", "month-end close pain"}


@pytest.fixture(scope="module")
def stats_ws(tmp_path_factory: pytest.TempPathFactory) -> s.IcpStatistics:
    from assistant.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("icp") / "ws")
    results = ingest_paths(ws, [SAMPLE_TRANSCRIPTS], embedder=HashEmbedder())
    assert all(res.status == "ingested" for res in results), results
    try:
        return s.compute_icp_statistics(ws, named_reasons=NAMED)
    finally:
        ws.close()


def test_accounts_scores_and_best(stats_ws: s.IcpStatistics) -> None:
    assert stats_ws.interviews == 12
    assert len(stats_ws.accounts) == 5
    assert sorted(stats_ws.best_accounts) == [CEDAR, NORTHWIND]
    scores = {a.company: a.score for a in stats_ws.accounts}
    assert scores[CEDAR] == 1.0
    assert scores["Brightline Analytics"] == min(v for v in scores.values() if v is not None)


def test_distribution_and_lift(stats_ws: s.IcpStatistics) -> None:
    okta = stats_ws.stat("tech_stack", "okta")
    assert okta is not None
    assert len(okta.accounts) == 3 and okta.share == pytest.approx(0.6)
    assert (okta.best_with, okta.best_known, okta.rest_with, okta.rest_known) == (2, 2, 1, 3)
    assert okta.lift == pytest.approx((2.5 / 3) / (1.5 / 4), rel=1e-3)
    netsuite = stats_ws.stat("tech_stack", "NetSuite")
    assert okta.lift is not None and netsuite is not None and netsuite.lift is not None
    assert netsuite.lift > okta.lift
    excel = stats_ws.stat("tech_stack", "Excel")
    assert excel is not None and excel.share == 1.0 and excel.lift is not None and excel.lift < 1
    midwest = stats_ws.stat("region", "US Midwest")
    assert midwest is not None and midwest.interviews == 5
    assert midwest.value_share is not None and midwest.value_share > 0.7
    bands = {x.value for x in stats_ws.attributes if x.attribute == "employee_band"}
    assert bands == {"50-199", "200-999", "1,000-4,999"}


def test_caveats(stats_ws: s.IcpStatistics) -> None:
    kinds = {c.kind for c in stats_ws.caveats}
    assert "sample_size" in kinds and "no_metrics" not in kinds
    sample = next(c for c in stats_ws.caveats if c.kind == "sample_size")
    assert "5 accounts and 12 interviews" in sample.message
    unnamed = {(c.attribute, c.value) for c in stats_ws.caveats if c.kind == "shared_not_named"}
    assert ("tech_stack", "Okta") in unnamed
    assert ("region", "US Midwest") in unnamed
    assert ("tech_stack", "NetSuite") not in unnamed  # named as a reason
    assert ("tech_stack", "Excel") not in unnamed  # everyone has it: no lift
    thin = {(c.attribute, c.value) for c in stats_ws.caveats if c.kind == "thin_evidence"}
    assert ("region", "US Midwest") in thin and ("tech_stack", "NetSuite") in thin
    assert ("tech_stack", "Okta") not in thin  # three accounts
    md = stats_ws.to_markdown()
    assert "## Caveats" in md and "correlation, not cause" in md and "| Okta | 3 |" in md


def test_named_reasons_unknown_says_check_not_made() -> None:
    metas = [
        (f"i{n}", InterviewMeta(account=Account(company=c, region=g, metrics=m)))
        for n, (c, g, m) in enumerate(
            [
                ("A", "Midwest", AccountMetrics(ltv=100, tenure_months=20, expanded=True)),
                ("B", "West", AccountMetrics(arr=10, tenure_months=2)),
                ("C", "Midwest", None),
            ]
        )
    ]
    stats = s.statistics_from_accounts(s.accounts_from_meta(metas), named_reasons=None)
    assert stats.best_accounts == ["A"]
    kinds = [c.kind for c in stats.caveats]
    assert "named_unchecked" in kinds and "shared_not_named" not in kinds
    assert "no_metrics" in kinds  # C has none: neither best nor rest
    region = stats.stat("region", "midwest")
    assert region is not None and (region.best_known, region.rest_known) == (1, 1)


def test_fit_counts(stats_ws: s.IcpStatistics) -> None:
    fit = stats_ws.fit({"region": ["US Midwest"], "tech_stack": ["NetSuite"]})
    assert sorted(fit.fitting) == [CEDAR, NORTHWIND] and fit.total == 5
    assert fit.caveat().severity == "warning"
    wide = stats_ws.fit({"tech_stack": ["okta", "Sage Intacct"]})
    assert len(wide.fitting) == 4
    assert "4 of 5" in wide.caveat().message
    assert stats_ws.fit({"revenue_band": ["$50M-$250M"]}).fitting == [
        CEDAR,
        "Keystone Community Credit Union",
        NORTHWIND,
    ]
    with pytest.raises(ValueError, match="unknown ICP attribute"):
        stats_ws.fit({"colour": ["red"]})


def test_bands() -> None:
    assert s.employee_band(60) == "50-199"
    assert s.employee_band(12000) == "5,000+"
    assert s.revenue_band("$9M") == "<$10M"
    assert s.revenue_band("$10-50M") == "$10M-$50M"
    assert s.revenue_band("10-50M") == "10M-50M (currency not stated)"
    assert s.revenue_band("€1,5M") == "<€10M"
    assert s.revenue_band("$1.2B") == "$1B+"
    assert s.revenue_band("$5M-$20M") is None  # spans two bands: no band is picked
    assert s.employee_band("50–100 employees") == "50-199"
    with pytest.raises(QuantityError):
        s.revenue_band("undisclosed")


def test_free_text_revenue_is_a_caveat_not_a_band() -> None:
    metas = [("i1", InterviewMeta(account=Account(company="A", revenue="growing fast")))]
    stats = s.statistics_from_accounts(s.accounts_from_meta(metas))
    assert stats.accounts[0].revenue is None and stats.accounts[0].values("revenue_band") == []
    (warning,) = [c for c in stats.caveats if c.kind == "firmographics"]
    assert "revenue 'growing fast' is not read as a number" in warning.message


def test_extracted_facts_are_used_when_tables_exist(workspace: Workspace) -> None:
    assert verified_facts(workspace.conn) == []  # no facts yet: metadata only
    accounts = s.accounts_from_meta(
        [("i1", InterviewMeta(account=Account(company="A")))],
        [
            FactRow(interview_id="i1", group="tech_stack", attribute="tool", value="Okta"),
            FactRow(interview_id="i1", group="firmographic", attribute="industry", value="Dental"),
        ],
    )
    assert accounts[0].tech_stack == ["Okta"] and accounts[0].industry == "Dental"
