"""Helpers of the tests/tui_review/ tests (fixtures in tests/tui_review/conftest.py)."""

from __future__ import annotations

from assistant.review import ClaimDraft, EvidenceLink, Provenance, upsert_generated
from assistant.workspace import Workspace

PROVENANCE = Provenance(model="test-model", prompt_version="v1")


PERSONA_KEY = "persona:champion"


ICP_KEY = "icp"


def quotes(ws: Workspace, interview_id: str, n: int = 1) -> list[EvidenceLink]:
    """The first ``n`` verified quotes of an interview, as evidence links."""
    rows = ws.conn.execute(
        "SELECT interview_id, owner_id, quote, speaker, turn, start, end, status FROM evidence "
        "WHERE interview_id = ? AND status = 'verified' AND owner_type = 'insight' "
        "ORDER BY start, id LIMIT ?",
        (interview_id, n),
    ).fetchall()
    assert rows, f"no verified quotes in {interview_id}"
    return [EvidenceLink.from_evidence(r["interview_id"], r["owner_id"], r) for r in rows]


def persona_fields(ws: Workspace) -> dict[str, list[ClaimDraft]]:
    """One supported and one assumption claim (the version a first run generates)."""
    return {
        "goals": [
            ClaimDraft(
                text="Wants a clean approval trail for the board and the auditors.",
                evidence=quotes(ws, "brightline-ceo", 2) + quotes(ws, "cedar-ridge-controller"),
            )
        ],
        "pains": [ClaimDraft(text="Spends month-end chasing approvers by email.")],
    }


def seed_review_items(ws: Workspace) -> None:
    """Create the test review items."""
    upsert_generated(
        ws, "persona", PERSONA_KEY, "Controller champion", persona_fields(ws), PROVENANCE
    )
    upsert_generated(
        ws,
        "icp",
        ICP_KEY,
        "Ideal customer profile",
        {
            "firmographics": [
                ClaimDraft(
                    text="Multi-entity companies with 200-2,000 employees.",
                    evidence=quotes(ws, "cedar-ridge-controller"),
                )
            ],
            "challenges_and_goals": [
                ClaimDraft(
                    text="Approvals scattered across chat and email.",
                    evidence=quotes(ws, "brightline-ceo"),
                )
            ],
            "tech_stack": [
                ClaimDraft(text="NetSuite as the ERP.", evidence=quotes(ws, "northwind-cfo"))
            ],
            "behaviours": [ClaimDraft(text="Buys after an audit finding or a board push.")],
            "disqualifiers": [
                ClaimDraft(
                    text="No AP department at all.", evidence=quotes(ws, "brightline-controller")
                )
            ],
            "neighbourhoods": [ClaimDraft(text="Dental support organisations.")],
        },
        PROVENANCE,
    )
    for role, text in (
        ("economic_buyer", "Close the audit gap before the next board meeting."),
        ("champion", "Stop chasing approvers: every invoice routed, every approval logged."),
    ):
        upsert_generated(
            ws,
            "messaging",
            f"messaging:{PERSONA_KEY}:{role}",
            f"Controller champion — {role.replace('_', ' ')}",
            {
                "value_proposition": [
                    ClaimDraft(text=text, evidence=quotes(ws, "cedar-ridge-controller"))
                ],
                "proof_points": [ClaimDraft(text="Audit trail in one place.")],
            },
            PROVENANCE,
        )
    for kind, slug, title, interviews in (
        (
            "pain",
            "manual-approvals",
            "Manual approvals",
            ["brightline-ceo", "cedar-ridge-controller", "northwind-cfo"],
        ),
        ("trigger", "audit-finding", "Audit or board push", ["brightline-ceo", "keystone-cfo"]),
    ):
        evidence = [link for iid in interviews for link in quotes(ws, iid)]
        upsert_generated(
            ws,
            "theme",
            f"theme:{kind}:{slug}",
            title,
            {
                "description": [
                    ClaimDraft(text=f"{title} come up across accounts.", evidence=evidence)
                ],
                "quotes": [
                    ClaimDraft(text=f'"{link.quote}" ({link.speaker})', evidence=[link])
                    for link in evidence
                ],
                "insights": [
                    ClaimDraft(text=f"insight {link.insight_id}", evidence=[link])
                    for link in evidence
                ],
            },
            PROVENANCE,
        )
