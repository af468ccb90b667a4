"""CSV export for spreadsheets: ``insights.csv`` (one row per insight),
``claims.csv`` (one row per claim of every review item), ``interviews.csv``
(one row per interview, with its summary) and ``buying_process.csv`` (company
facts and buying-process items, one row per quote with status and reason).

Written with the :mod:`csv` module (RFC 4180 quoting, CRLF line ends), UTF-8;
with ``bom=True`` a byte-order mark is added so Excel detects the encoding.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

from assistant.export.data import ExportData
from assistant.models import EvidenceStatus

INSIGHT_COLUMNS = (
    "id",
    "interview_id",
    "company",
    "kind",
    "statement",
    "intensity",
    "metric",
    "speaker",
    "dmu_role",
    "verified_quotes",
    "unverified_quotes",
    "first_verified_quote",
    "first_verified_turn",
    "first_verified_start",
    "first_verified_end",
    "model",
    "prompt_version",
    "fixture",
    "origin",
    "tags",
)
CLAIM_COLUMNS = (
    "item_id",
    "item_kind",
    "item_title",
    "item_status",
    "field",
    "claim_id",
    "claim",
    "status",
    "interviews",
    "accounts",
    "evidence_links",
    "verified_links",
    "origin",
    "edited_by_user",
)


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def insights_csv(data: ExportData) -> str:
    """One row per insight, in the order of ``persona insights``."""
    rows = []
    for ins in data.bundle.insights:
        verified = [e for e in ins.evidence if e.get("status") == EvidenceStatus.verified]
        first = verified[0] if verified else {}
        rows.append(
            (
                ins.id,
                ins.interview_id,
                data.company(ins.interview_id),
                ins.kind,
                ins.statement,
                ins.intensity,
                json.dumps(ins.metric, ensure_ascii=False, sort_keys=True) if ins.metric else None,
                data.speaker(ins.interview_id, ins.speaker),
                ins.dmu_role,
                len(verified),
                len(ins.evidence) - len(verified),
                first.get("quote"),
                first.get("turn"),
                first.get("start"),
                first.get("end"),
                ins.model,
                ins.prompt_version,
                "yes" if ins.fixture else "no",
                "added by you" if ins.added_by_user else "model",
                "; ".join(ins.tags),
            )
        )
    return _table(INSIGHT_COLUMNS, rows)


def claims_csv(data: ExportData) -> str:
    """One row per claim of every review item (rejected items included, by status)."""
    rows = []
    for item in data.bundle.review_items:
        for field, claims in item.fields.items():
            for c in claims:
                rows.append(
                    (
                        item.id,
                        item.kind,
                        item.title,
                        item.status,
                        field,
                        c.id,
                        c.text,
                        c.status,
                        c.support.interviews,
                        c.support.accounts,
                        len(c.evidence),
                        sum(e.status == EvidenceStatus.verified for e in c.evidence),
                        c.origin.author,
                        "yes" if c.edited_by_user else "no",
                    )
                )
    return _table(CLAIM_COLUMNS, rows)


INTERVIEW_COLUMNS = (
    "id",
    "title",
    "company",
    "date",
    "format",
    "verbatim",
    "tags",
    "extraction_status",
    "summary",
    "insights",
    "model",
    "prompt_version",
)
EVIDENCE_ITEM_COLUMNS = (
    "interview_id",
    "company",
    "part",
    "field",
    "text",
    "dmu_role",
    "quote",
    "status",
    "turn",
    "start",
    "end",
    "reason",
)


def interviews_csv(data: ExportData) -> str:
    """One row per interview: account, metadata, extraction status and summary."""
    analyses = {a.interview_id: a for a in data.bundle.analyses}
    counts: dict[str, int] = {}
    for ins in data.bundle.insights:
        counts[ins.interview_id] = counts.get(ins.interview_id, 0) + 1
    rows = []
    for rec in data.bundle.interviews:
        a = analyses.get(rec.id)
        rows.append(
            (
                rec.id,
                rec.title,
                rec.company,
                rec.meta.date,
                rec.format,
                "yes" if rec.verbatim else "no",
                "; ".join(rec.meta.tags),
                a.status if a else "not extracted",
                a.summary if a else None,
                counts.get(rec.id, 0),
                a.model if a else None,
                a.prompt_version if a else None,
            )
        )
    return _table(INTERVIEW_COLUMNS, rows)


def _evidence_rows(
    iid: str, company: str | None, part: str, field: str, text: str, role: str | None, evs: list
) -> list[tuple[object, ...]]:
    base = (iid, company, part, field, text, role)
    if not evs:
        return [(*base, None, None, None, None, None, None)]
    return [
        (
            *base,
            e.get("quote"),
            e.get("status"),
            e.get("turn"),
            e.get("start"),
            e.get("end"),
            e.get("reason"),
        )
        for e in evs
    ]


def buying_process_csv(data: ExportData) -> str:
    """Company facts and every buying-process item: one row per quote (or per item without)."""
    from assistant.extract.store import buying_process_items, item_text

    rows: list[tuple[object, ...]] = []
    for a in data.bundle.analyses:
        company = data.company(a.interview_id)
        for f in a.facts:
            rows += _evidence_rows(
                a.interview_id,
                company,
                "company_fact",
                f"{f.group}:{f.attribute}",
                f.value,
                None,
                f.evidence,
            )
        for name, item in buying_process_items(a.buying_process or {}):
            rows += _evidence_rows(
                a.interview_id,
                company,
                "buying_process",
                name,
                item_text(item),
                item.get("dmu_role"),
                list(item.get("evidence") or []),
            )
    return _table(EVIDENCE_ITEM_COLUMNS, rows)


def render_csv(data: ExportData) -> dict[str, str]:
    """``insights.csv``, ``claims.csv``, ``interviews.csv`` and ``buying_process.csv``."""
    return {
        "insights.csv": insights_csv(data),
        "claims.csv": claims_csv(data),
        "interviews.csv": interviews_csv(data),
        "buying_process.csv": buying_process_csv(data),
    }
