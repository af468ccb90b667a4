"""Accounts and their buying committees (DMU), from metadata and extracted buying processes.

Each interview's extraction names stakeholders (``buying_process.stakeholders``:
name or title, DMU role, notes, quotes). Gathered per account
(:mod:`assistant.accounts` decides the account), they form the account's
buying committee next to the people actually interviewed. A stakeholder is
*second-hand*: what an interviewee said about someone else, attributed to the
interviewee's own DMU role ("as described by a champion"), never counted as
that stakeholder's own words. Stakeholder ids are ``<interview>:s<n>`` (their
order in the stored buying process), so generators can cite them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from assistant.accounts import load_identity, load_metas
from assistant.icp_stats import AccountRecord, load_accounts
from assistant.models import EvidenceStatus
from assistant.text_identity import normalise
from assistant.workspace import Workspace

ROLE_ORDER = ("economic_buyer", "champion", "technical_buyer", "end_user", "other", "unknown")


@dataclass
class StakeholderMention:
    """One stakeholder as an interviewee described them."""

    id: str
    interview_id: str
    account: str
    name_or_title: str
    dmu_role: str | None
    notes: str | None
    evidence: list[dict[str, Any]]
    described_by: str | None
    """The describing interviewee's DMU role (``champion``...), None when unknown."""
    described_by_name: str | None

    @property
    def verified(self) -> bool:
        return any(e.get("status") == EvidenceStatus.verified for e in self.evidence)

    @property
    def attribution(self) -> str:
        """``as described by a champion`` (or by the interviewee when their role is unknown)."""
        who = (self.described_by or "").replace("_", " ")
        if not who:
            return "as described by the interviewee"
        article = "an" if who[0] in "aeiou" else "a"
        return f"as described by {article} {who}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "interview_id": self.interview_id,
            "account": self.account,
            "name_or_title": self.name_or_title,
            "dmu_role": self.dmu_role,
            "notes": self.notes,
            "described_by": self.described_by,
            "described_by_name": self.described_by_name,
            "attribution": self.attribution,
            "verified": self.verified,
            "evidence": self.evidence,
        }


@dataclass
class CommitteeMember:
    """One person or role on an account's buying committee."""

    dmu_role: str
    name: str
    interviewed: bool
    interviews: list[str] = field(default_factory=list)
    mentions: list[StakeholderMention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "dmu_role": self.dmu_role,
            "name": self.name,
            "interviewed": self.interviewed,
            "interviews": self.interviews,
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass
class AccountOverview:
    """An account: its interviews, firmographics, buying committee and warnings."""

    record: AccountRecord
    committee: list[CommitteeMember]

    @property
    def name(self) -> str:
        return self.record.company

    def roles_interviewed(self) -> list[str]:
        return sorted({m.dmu_role for m in self.committee if m.interviewed})

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "account": r.company,
            "key": r.key,
            "interviews": r.interviews,
            "segment": r.segment,
            "industry": r.industry,
            "employees": None if r.employees is None else r.employees.model_dump(),
            "revenue": None if r.revenue is None else r.revenue.model_dump(),
            "region": r.region,
            "tech_stack": r.tech_stack,
            "metrics": None if r.metrics is None else r.metrics.model_dump(),
            "committee": [m.to_json() for m in self.committee],
            "warnings": r.warnings,
        }


def _participant_roles(ws: Workspace) -> dict[str, list[tuple[str, str | None]]]:
    """Interview id -> (participant name, DMU role) from metadata."""
    return {
        iid: [(p.name, p.dmu_role.value if p.dmu_role else None) for p in meta.participants]
        for iid, meta in load_metas(ws.conn)
    }


def load_stakeholders(ws: Workspace) -> list[StakeholderMention]:
    """Every stakeholder named in a stored buying process, with who described them."""
    identity = load_identity(ws.conn)
    people = _participant_roles(ws)
    out: list[StakeholderMention] = []
    rows = ws.conn.execute(
        "SELECT interview_id, buying_process_json FROM analyses "
        "WHERE status = 'ok' AND buying_process_json IS NOT NULL ORDER BY interview_id"
    ).fetchall()
    for iid, raw in rows:
        bp = json.loads(raw) or {}
        teller = next(iter(people.get(iid, [])), (None, None))
        for n, s in enumerate(bp.get("stakeholders") or [], 1):
            out.append(
                StakeholderMention(
                    id=f"{iid}:s{n}",
                    interview_id=iid,
                    account=identity.of(iid).name,
                    name_or_title=str(s.get("name_or_title") or ""),
                    dmu_role=s.get("dmu_role"),
                    notes=s.get("notes"),
                    evidence=list(s.get("evidence") or []),
                    described_by=teller[1],
                    described_by_name=teller[0],
                )
            )
    return out


def _same_person(mention: StakeholderMention, name: str) -> bool:
    """True when a mention names the interviewee (``Dana (CFO)`` for Dana Whitfield)."""
    first = normalise(name).split()[:1]
    return bool(first) and first[0] in normalise(mention.name_or_title).split()


def account_overviews(ws: Workspace) -> list[AccountOverview]:
    """Every account with its buying committee: interviewees first, then people named."""
    records = load_accounts(ws)
    people = _participant_roles(ws)
    mentions = load_stakeholders(ws)
    by_account: dict[str, list[StakeholderMention]] = defaultdict(list)
    for m in mentions:
        by_account[m.account].append(m)
    out = []
    for rec in records:
        members: dict[tuple[str, str], CommitteeMember] = {}
        for iid in rec.interviews:
            for name, role in people.get(iid, []):
                key = (role or "unknown", normalise(name))
                member = members.setdefault(key, CommitteeMember(role or "unknown", name, True))
                member.interviews.append(iid)
        for m in by_account.get(rec.company, []):
            role = m.dmu_role or "unknown"
            same = next(
                (mem for (r, _), mem in members.items() if r == role and _same_person(m, mem.name)),
                None,
            )
            if same is None:
                same = members.setdefault(
                    (role, normalise(m.name_or_title)),
                    CommitteeMember(role, m.name_or_title, False),
                )
            same.mentions.append(m)
        ordered = sorted(
            members.values(),
            key=lambda mem: (
                ROLE_ORDER.index(mem.dmu_role) if mem.dmu_role in ROLE_ORDER else 99,
                not mem.interviewed,
                mem.name.casefold(),
            ),
        )
        out.append(AccountOverview(rec, ordered))
    return out
