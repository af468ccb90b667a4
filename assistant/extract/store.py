"""Store and read interview analyses (tables of migration 3 in :mod:`assistant.db`).

An interview's analysis is replaced in one transaction: its ``analyses`` row,
the model's insights, company facts and their evidence. Insights the user
added (highlights, ``origin = 'user'``, :mod:`assistant.highlights`) and their
evidence and tags are never touched by a re-extraction. A failed extraction
only marks the ``analyses`` row failed and keeps the previous insights.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from assistant import db
from assistant.extract.checked import CheckedAnalysis, Evidence, count_statuses, evidence_json
from assistant.models import EvidenceStatus
from assistant.provenance import Provenance


@dataclass
class StoredInsight:
    """One insight as stored, with its evidence (`persona insights`)."""

    id: str
    interview_id: str
    kind: str
    statement: str
    intensity: str | None
    metric: dict[str, Any] | None
    speaker: str
    dmu_role: str | None
    model: str
    prompt_version: str
    fixture: bool
    evidence: list[dict[str, Any]]
    origin: str = "model"
    """``model`` (extracted) or ``user`` (a highlight: added by you)."""
    tags: list[str] = field(default_factory=list)
    """The user's codebook tags on this insight (:mod:`assistant.tags`)."""

    @property
    def added_by_user(self) -> bool:
        return self.origin == "user"

    @property
    def verified(self) -> bool:
        """True when at least one quote is verified (the insight has evidence)."""
        return any(e["status"] == EvidenceStatus.verified for e in self.evidence)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "interview_id": self.interview_id,
            "kind": self.kind,
            "statement": self.statement,
            "intensity": self.intensity,
            "metric": self.metric,
            "speaker": self.speaker,
            "dmu_role": self.dmu_role,
            "provenance": {
                "origin": self.origin,
                "model": self.model,
                "prompt_version": self.prompt_version,
                "fixture": self.fixture,
            },
            "tags": self.tags,
            "evidence": self.evidence,
        }


def _evidence_rows(
    iid: str, owner_type: str, owner_id: str, evs: list[Evidence]
) -> list[tuple[Any, ...]]:
    rows = []
    for pos, ev in enumerate(evs):
        r = ev.result
        rows.append(
            (
                iid,
                owner_type,
                owner_id,
                pos,
                ev.shown,
                ev.quote,
                ev.claimed_speaker,
                r.status.value,
                r.match.value if r.match is not None else None,
                r.score,
                r.turn,
                r.speaker,
                r.role.value if r.role is not None else None,
                r.start,
                r.end,
                r.reason,
            )
        )
    return rows


def save_analysis(
    conn: sqlite3.Connection,
    iid: str,
    content_hash: str,
    analysis: CheckedAnalysis,
    prov: Provenance,
) -> None:
    """Replace interview ``iid``'s analysis, insights, facts and evidence (one transaction)."""
    now = db.now_iso()
    ev_rows: list[tuple[Any, ...]] = []
    with db.transaction(conn):
        conn.execute(
            "DELETE FROM evidence WHERE interview_id = ? AND NOT (owner_type = 'insight' AND "
            "owner_id IN (SELECT id FROM insights WHERE interview_id = ? AND origin = 'user'))",
            (iid, iid),
        )
        conn.execute("DELETE FROM insights WHERE interview_id = ? AND origin = 'model'", (iid,))
        conn.execute("DELETE FROM company_facts WHERE interview_id = ?", (iid,))
        conn.execute("DELETE FROM analyses WHERE interview_id = ?", (iid,))
        conn.execute(
            "INSERT INTO analyses(interview_id, content_hash, prompt_version, model,"
            " response_model, fixture, run_id, windows, summary, buying_process_json, status,"
            " error, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,'ok',NULL,?)",
            (
                iid,
                content_hash,
                prov.prompt_version,
                prov.model,
                prov.answered_by,
                int(prov.fixture),
                prov.run_id,
                analysis.windows,
                analysis.summary,
                json.dumps(analysis.buying_process, ensure_ascii=False),
                now,
            ),
        )
        provenance = (prov.answered_by, prov.prompt_version, int(prov.fixture), now)
        for pos, ins in enumerate(analysis.insights, 1):
            oid = f"{iid}:i{pos}"
            conn.execute(
                "INSERT INTO insights(id, interview_id, position, kind, statement, intensity,"
                " metric_json, speaker, dmu_role, model, prompt_version, fixture, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    oid,
                    iid,
                    pos,
                    ins.kind,
                    ins.statement,
                    ins.intensity,
                    json.dumps(ins.metric, ensure_ascii=False) if ins.metric else None,
                    ins.speaker,
                    ins.dmu_role,
                    *provenance,
                ),
            )
            ev_rows += _evidence_rows(iid, "insight", oid, ins.evidence)
        for pos, fact in enumerate(analysis.facts, 1):
            oid = f"{iid}:f{pos}"
            conn.execute(
                "INSERT INTO company_facts(id, interview_id, position, fact_group, attribute,"
                " value, model, prompt_version, fixture, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (oid, iid, pos, fact.group, fact.attribute, fact.value, *provenance),
            )
            ev_rows += _evidence_rows(iid, "fact", oid, fact.evidence)
        conn.executemany(
            "INSERT INTO evidence(interview_id, owner_type, owner_id, position, quote,"
            " claimed_quote, claimed_speaker, status, match, score, turn, speaker, role, start,"
            " end, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ev_rows,
        )


def save_failure(
    conn: sqlite3.Connection, iid: str, content_hash: str, prov: Provenance, error: str
) -> None:
    """Mark interview ``iid``'s extraction failed; earlier insights are kept."""
    with db.transaction(conn):
        updated = conn.execute(
            "UPDATE analyses SET status = 'failed', error = ?, run_id = ?, created_at = ?"
            " WHERE interview_id = ?",
            (error, prov.run_id, db.now_iso(), iid),
        ).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO analyses(interview_id, content_hash, prompt_version, model, run_id,"
                " status, error, created_at) VALUES (?,?,?,?,?,'failed',?,?)",
                (
                    iid,
                    content_hash,
                    prov.prompt_version,
                    prov.model,
                    prov.run_id,
                    error,
                    db.now_iso(),
                ),
            )


def analysis_row(conn: sqlite3.Connection, iid: str) -> sqlite3.Row | None:
    """The ``analyses`` row of an interview, or None."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM analyses WHERE interview_id = ?", (iid,)
    ).fetchone()
    return row


def stored_counts(conn: sqlite3.Connection, iid: str) -> tuple[int, dict[str, int]]:
    """(number of insights, quotes per status) of an interview's stored analysis."""
    n = conn.execute("SELECT COUNT(*) FROM insights WHERE interview_id = ?", (iid,)).fetchone()[0]
    statuses = [
        r[0] for r in conn.execute("SELECT status FROM evidence WHERE interview_id = ?", (iid,))
    ]
    row = analysis_row(conn, iid)
    if row is not None and row["buying_process_json"]:
        bp = json.loads(row["buying_process_json"])
        statuses += [e["status"] for e in evidence_json(bp)]
    return int(n), count_statuses(statuses)


def _evidence_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "quote": row["quote"],
        "claimed_quote": row["claimed_quote"],
        "status": row["status"],
        "match": row["match"],
        "score": row["score"],
        "turn": row["turn"],
        "speaker": row["speaker"],
        "start": row["start"],
        "end": row["end"],
        "role": row["role"],
        "claimed_speaker": row["claimed_speaker"],
        "reason": row["reason"],
    }


def list_insights(
    conn: sqlite3.Connection, interview_id: str | None = None, kind: str | None = None
) -> list[StoredInsight]:
    """Stored insights (optionally of one interview and/or kind) with their evidence.

    Evidence whose speaker label is mapped to a metadata participant carries
    ``speaker_name`` ("Dana Ortiz (VP Finance)") for display.
    """
    where, args = [], []
    if interview_id is not None:
        where.append("interview_id = ?")
        args.append(interview_id)
    if kind is not None:
        where.append("kind = ?")
        args.append(kind)
    sql = "SELECT * FROM insights" + (" WHERE " + " AND ".join(where) if where else "")
    rows = conn.execute(sql + " ORDER BY interview_id, origin = 'user', position", args).fetchall()
    tags: dict[str, list[str]] = {}
    for insight_id, tag in conn.execute(
        "SELECT insight_id, tag FROM insight_tags ORDER BY insight_id, tag"
    ):
        tags.setdefault(insight_id, []).append(tag)
    evidence: dict[str, list[dict[str, Any]]] = {}
    ev_sql = "SELECT * FROM evidence WHERE owner_type = 'insight'"
    ev_args: list[str] = []
    if interview_id is not None:
        ev_sql += " AND interview_id = ?"
        ev_args.append(interview_id)
    from assistant.library.speaker_names import speaker_names

    names = speaker_names(conn, interview_id)
    for r in conn.execute(ev_sql + " ORDER BY owner_id, position", ev_args):
        ev = _evidence_json(r)
        name = names.get((r["interview_id"], r["speaker"] or ""))
        if name is not None:
            ev["speaker_name"] = name  # the participant the label is, for display
        evidence.setdefault(r["owner_id"], []).append(ev)
    return [
        StoredInsight(
            id=r["id"],
            interview_id=r["interview_id"],
            kind=r["kind"],
            statement=r["statement"],
            intensity=r["intensity"],
            metric=json.loads(r["metric_json"]) if r["metric_json"] else None,
            speaker=r["speaker"],
            dmu_role=r["dmu_role"],
            model=r["model"],
            prompt_version=r["prompt_version"],
            fixture=bool(r["fixture"]),
            evidence=evidence.get(r["id"], []),
            origin=r["origin"],
            tags=tags.get(r["id"], []),
        )
        for r in rows
    ]


BUYING_PROCESS_FIELDS: tuple[tuple[str, str], ...] = (
    ("trigger", "Trigger"),
    ("alternatives_considered", "Alternatives considered"),
    ("evaluation_criteria", "Evaluation criteria"),
    ("stakeholders", "Stakeholders"),
    ("timeline", "Timeline"),
    ("budget_signals", "Budget signals"),
)
"""Every field of a buying process, in reading order, with its heading."""


def buying_process_items(bp: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(field, item) for every item of a stored buying process; single fields count as one."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name, _ in BUYING_PROCESS_FIELDS:
        value = bp.get(name)
        items = value if isinstance(value, list) else [value] if value else []
        out += [(name, item) for item in items if isinstance(item, dict)]
    return out


def item_text(item: dict[str, Any]) -> str:
    """The words of one buying-process item (a stakeholder: name, role and notes)."""
    if "name_or_title" in item:
        role = f" ({item['dmu_role']})" if item.get("dmu_role") else ""
        notes = f": {item['notes']}" if item.get("notes") else ""
        return f"{item['name_or_title']}{role}{notes}"
    return str(item.get("text") or "")


@dataclass
class StoredFact:
    """One company fact as stored, with its evidence."""

    id: str
    group: str
    attribute: str
    value: str
    evidence: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class StoredAnalysis:
    """Everything stored about one interview's extraction except its insights."""

    interview_id: str
    status: str
    error: str | None
    summary: str | None
    buying_process: dict[str, Any] | None
    facts: list[StoredFact]
    model: str
    prompt_version: str
    fixture: bool
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "interview_id": self.interview_id,
            "status": self.status,
            "error": self.error,
            "summary": self.summary,
            "company_facts": [f.to_json() for f in self.facts],
            "buying_process": self.buying_process,
            "provenance": {
                "model": self.model,
                "prompt_version": self.prompt_version,
                "fixture": self.fixture,
                "created_at": self.created_at,
            },
        }


def list_analyses(
    conn: sqlite3.Connection, interview_id: str | None = None
) -> list[StoredAnalysis]:
    """Stored analyses (summary, company facts, buying process), by interview id."""
    where = " WHERE interview_id = ?" if interview_id is not None else ""
    args = (interview_id,) if interview_id is not None else ()
    facts: dict[str, list[StoredFact]] = {}
    evidence: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(
        "SELECT * FROM evidence WHERE owner_type = 'fact'"
        + (" AND interview_id = ?" if interview_id else "")
        + " ORDER BY owner_id, position",
        args,
    ):
        evidence.setdefault(r["owner_id"], []).append(_evidence_json(r))
    for r in conn.execute(
        "SELECT * FROM company_facts" + where + " ORDER BY interview_id, position", args
    ):
        facts.setdefault(r["interview_id"], []).append(
            StoredFact(
                r["id"], r["fact_group"], r["attribute"], r["value"], evidence.get(r["id"], [])
            )
        )
    rows = conn.execute("SELECT * FROM analyses" + where + " ORDER BY interview_id", args)
    return [
        StoredAnalysis(
            interview_id=r["interview_id"],
            status=r["status"],
            error=r["error"],
            summary=r["summary"],
            buying_process=json.loads(r["buying_process_json"])
            if r["buying_process_json"]
            else None,
            facts=facts.get(r["interview_id"], []),
            model=r["response_model"] or r["model"],
            prompt_version=r["prompt_version"],
            fixture=bool(r["fixture"]),
            created_at=r["created_at"],
        )
        for r in rows.fetchall()
    ]
