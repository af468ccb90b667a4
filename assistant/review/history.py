"""The append-only history: every change recorded with its author, time, before and after.

Triggers on ``review_revisions`` refuse updates and deletes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from assistant import db
from assistant.review.models import Revision
from assistant.review.store import resolve_row
from assistant.workspace import Workspace


def _dumps(data: Any) -> str | None:
    return None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def record(
    conn: sqlite3.Connection,
    item_id: str,
    action: str,
    author: str,
    *,
    claim_id: str | None = None,
    before: Any = None,
    after: Any = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO review_revisions(item_id, claim_id, action, author, created_at, "
        "before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (item_id, claim_id, action, author, db.now_iso(), _dumps(before), _dumps(after)),
    )
    return int(cur.lastrowid or 0)


def history(ws: Workspace, item_id: str) -> list[Revision]:
    """The item's revisions, oldest first (append-only)."""
    iid = resolve_row(ws.conn, item_id)["id"]
    rows = ws.conn.execute(
        "SELECT * FROM review_revisions WHERE item_id = ? ORDER BY id", (iid,)
    ).fetchall()
    return [
        Revision(
            id=r["id"],
            item_id=r["item_id"],
            claim_id=r["claim_id"],
            action=r["action"],
            author=r["author"],
            created_at=r["created_at"],
            before=None if r["before_json"] is None else json.loads(r["before_json"]),
            after=None if r["after_json"] is None else json.loads(r["after_json"]),
        )
        for r in rows
    ]
