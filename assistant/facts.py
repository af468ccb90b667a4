"""Extracted company facts that count: those with at least one verified quote.

Read by the account identity (stated company names) and the ICP statistics
(firmographics, tech stack); written by :mod:`assistant.extract.store`.
"""

from __future__ import annotations

import sqlite3

from pydantic import BaseModel

from assistant.models import EvidenceStatus


class FactRow(BaseModel):
    """One extracted company fact (see ``assistant.schemas.CompanyFact``)."""

    interview_id: str
    group: str
    attribute: str
    value: str


def verified_facts(conn: sqlite3.Connection) -> list[FactRow]:
    """Company facts with at least one verified quote, by interview and position."""
    rows = conn.execute(
        "SELECT f.interview_id, f.fact_group, f.attribute, f.value FROM company_facts f "
        "WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.owner_id = f.id "
        "AND e.interview_id = f.interview_id AND e.status = ?) "
        "ORDER BY f.interview_id, f.position",
        (EvidenceStatus.verified.value,),
    ).fetchall()
    return [FactRow(interview_id=r[0], group=r[1], attribute=r[2], value=r[3]) for r in rows]
