"""CSV export for spreadsheets: ``insights.csv`` (one row per insight) and
``claims.csv`` (one row per claim of every review item).

Written with the :mod:`csv` module (RFC 4180 quoting, CRLF line ends), UTF-8;
with ``bom=True`` a byte-order mark is added so Excel detects the encoding.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

from assistant.export.data import ExportData

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
        verified = [e for e in ins.evidence if e.get("status") == "verified"]
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
                ins.speaker,
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
                        sum(e.status == "verified" for e in c.evidence),
                        c.origin.author,
                        "yes" if c.edited_by_user else "no",
                    )
                )
    return _table(CLAIM_COLUMNS, rows)


def render_csv(data: ExportData) -> dict[str, str]:
    """``{"insights.csv": text, "claims.csv": text}``."""
    return {"insights.csv": insights_csv(data), "claims.csv": claims_csv(data)}
