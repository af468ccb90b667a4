"""The library overview: every interview with its analysis status and quote counts.

What the app's Library table shows, read in three queries (fast on thousands
of interviews).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from assistant.models import EvidenceStatus


@dataclass(frozen=True)
class LibraryRow:
    """One interview as the Library shows it."""

    id: str
    title: str
    company: str
    participant: str
    dmu_role: str
    date: str
    status: str
    verified: int
    unverified: int
    format: str = ""
    """Layout it was read as, marked ``· not diarized`` or ``· notes`` (never evidence)."""
    metadata: str = ""
    """Metadata not shown in a column (industry, tech stack, tags, segment, titles) and the
    codebook tags of its insights: the filter matches it too."""

    @property
    def haystack(self) -> str:
        """Lower-case text the filter matches against."""
        return " ".join(
            (
                self.id,
                self.title,
                self.company,
                self.participant,
                self.dmu_role,
                self.date,
                self.status,
                self.format,
                self.metadata,
            )
        ).lower()


def _meta_fields(meta_json: str) -> tuple[str, str, str, str, str]:
    try:
        meta = json.loads(meta_json or "{}")
    except ValueError:
        meta = {}
    people = meta.get("participants") or [{}]
    first = people[0] if isinstance(people[0], dict) else {}
    account = meta.get("account") or {}
    company = account.get("company") or first.get("company") or ""
    extra = [
        account.get("industry"),
        account.get("region"),
        meta.get("segment"),
        *(account.get("tech_stack") or []),
        *(meta.get("tags") or []),
        *(p.get("title") for p in people if isinstance(p, dict)),
        *(p.get("company") for p in people if isinstance(p, dict)),
    ]
    return (
        str(company),
        str(first.get("name") or ""),
        str(first.get("dmu_role") or ""),
        str(meta.get("date") or ""),
        " ".join(str(x) for x in extra if x),
    )


def load_rows(conn: sqlite3.Connection) -> list[LibraryRow]:
    """Every interview with its analysis status and quote counts, by id."""
    status = {
        r[0]: ("extracted" if r[1] == "ok" else "failed")
        for r in conn.execute("SELECT interview_id, status FROM analyses")
    }
    counts: dict[str, dict[str, int]] = {}
    for iid, st, n in conn.execute(
        "SELECT interview_id, status, COUNT(*) FROM evidence GROUP BY interview_id, status"
    ):
        counts.setdefault(iid, {})[st] = int(n)
    from assistant.accounts import load_identity

    identity = load_identity(conn)
    codebook: dict[str, set[str]] = {}  # codebook tags of each interview's insights
    for iid, tag in conn.execute(
        "SELECT i.interview_id, t.tag FROM insight_tags t JOIN insights i ON i.id = t.insight_id"
    ):
        codebook.setdefault(iid, set()).add(tag)
    rows = []
    for iid, title, meta_json, fmt, verbatim, diarized in conn.execute(
        "SELECT id, title, meta_json, format, verbatim, diarized FROM interviews ORDER BY id"
    ):
        company, participant, role, date, metadata = _meta_fields(meta_json)
        account = identity.of(iid)
        if account.known:  # the one account identity: a stated or merged name counts too
            metadata += f" {company}"
            company = account.name
        if iid in codebook:
            metadata += " " + " ".join(sorted(codebook[iid]))
        c = counts.get(iid, {})
        rows.append(
            LibraryRow(
                id=iid,
                title=title,
                company=company,
                participant=participant,
                dmu_role=role,
                date=date,
                status=status.get(iid, "ingested"),
                verified=c.get(EvidenceStatus.verified, 0),
                unverified=c.get(EvidenceStatus.unverified, 0),
                format=format_label(fmt, bool(verbatim), bool(diarized)),
                metadata=metadata,
            )
        )
    return rows


def format_label(fmt: str, verbatim: bool, diarized: bool) -> str:
    """What the Format column shows: ``otter``, ``srt · not diarized``, ``notes``."""
    if not verbatim:
        return fmt if fmt == "notes" else f"{fmt} · notes"
    return fmt if diarized else f"{fmt} · not diarized"


def filter_rows(rows: list[LibraryRow], text: str) -> list[LibraryRow]:
    """Rows whose fields contain every word of ``text`` (case-insensitive)."""
    words = text.lower().split()
    if not words:
        return rows
    return [r for r in rows if all(w in r.haystack for w in words)]
