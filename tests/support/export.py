"""Helpers of the tests/export/ tests (fixtures in tests/export/conftest.py)."""

from __future__ import annotations

from assistant.extract import list_insights
from assistant.extract.store import StoredInsight
from assistant.review import ClaimDraft, EvidenceLink, Provenance, set_status, upsert_generated
from assistant.workspace import Workspace

PROV = Provenance(model="authored-fixture", prompt_version="test-v1")


USER_CLAIM = "Reads LinkedIn every morning"


def link(ins: StoredInsight, *, quote: bool = True) -> EvidenceLink:
    """An evidence link to an insight's first verified quote (or to the insight alone)."""
    ev = next(e for e in ins.evidence if e["status"] == "verified")
    if not quote:
        return EvidenceLink(interview_id=ins.interview_id, insight_id=ins.id)
    return EvidenceLink.from_evidence(ins.interview_id, ins.id, ev)


def first_verified(ws: Workspace, interview_id: str) -> StoredInsight:
    return next(i for i in list_insights(ws, interview_id) if i.verified)


def add_items(ws: Workspace) -> None:
    """A persona of each status, an ICP, a messaging item and a theme."""
    nw = first_verified(ws, "northwind-cfo")
    cedar = first_verified(ws, "cedar-ridge-controller")
    upsert_generated(
        ws,
        "persona",
        "persona:champion",
        "Champion Chris",
        {
            "dmu_role": [ClaimDraft(text="champion", evidence=[link(cedar)])],
            "goals": [ClaimDraft(text=nw.statement, evidence=[link(nw), link(cedar)])],
            "challenges": [ClaimDraft(text=cedar.statement, evidence=[link(cedar, quote=False)])],
            "channels": [ClaimDraft(text="Listens to finance podcasts")],
        },
        PROV,
    )
    erin = upsert_generated(
        ws,
        "persona",
        "persona:economic_buyer:finance",
        "Economic Erin",
        {"goals": [ClaimDraft(text="Fewer audit findings", evidence=[link(nw)])]},
        PROV,
    )
    set_status(ws, erin.id, "approved")
    rita = upsert_generated(
        ws, "persona", "persona:end_user", "Rejected Rita", {"goals": ["Nothing"]}, PROV
    )
    set_status(ws, rita.id, "rejected")
    upsert_generated(
        ws,
        "icp",
        "icp",
        "Mid-market finance teams in the US Midwest",
        {
            "summary": [ClaimDraft(text="Finance teams that outgrew spreadsheets.")],
            "firmographics": [ClaimDraft(text="Companies in the US Midwest", evidence=[link(nw)])],
            "challenges_and_goals": [ClaimDraft(text=nw.statement, evidence=[link(nw)])],
            "tech_stack": [ClaimDraft(text="Runs NetSuite", evidence=[link(cedar)])],
            "behaviours": [ClaimDraft(text="Buys after an audit finding")],
            "disqualifiers": [ClaimDraft(text="No AP department")],
            "neighbourhoods": [ClaimDraft(text="Dental support organisations")],
        },
        PROV,
    )
    upsert_generated(
        ws,
        "messaging",
        "messaging:persona:champion:economic_buyer",
        "Champion Chris → economic buyer",
        {
            "value_proposition": [ClaimDraft(text="Close in days", evidence=[link(nw)])],
            "email": [ClaimDraft(text="Subject: your close\n\nHi Dana,\nthree days, not nine.")],
        },
        PROV,
    )
    upsert_generated(
        ws,
        "theme",
        "theme:pain:close",
        "Slow month-end close",
        {"members": [ClaimDraft(text=nw.statement, evidence=[link(nw)])]},
        PROV,
    )
