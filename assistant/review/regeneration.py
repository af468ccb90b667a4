"""Regeneration: store a generated version without overwriting the user's work.

An *untouched* item (a draft with no user edits or user claims) is updated in
place; anything else (approved, rejected, or with any user-edited or
user-added claim) keeps its content, and the new version is stored as a
*pending* revision the user accepts (:func:`accept_pending`) or discards
(:func:`keep_current`). Accepting never changes the text or evidence of a
user-edited or user-added claim: those stay as they are. A title the user
gave (:func:`~assistant.review.edits.rename_item`) replaces every generated
title.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from assistant import db
from assistant.errors import UsageError
from assistant.provenance import Provenance
from assistant.review.history import record
from assistant.review.matching import Proposal, diff_proposal, propose
from assistant.review.models import USER, Claim, ClaimDraft, Origin, ReviewItem
from assistant.review.store import (
    check_kind,
    claim_json,
    compute_support,
    item_state,
    load_item,
    new_claim_id,
    new_item_id,
    resolve_row,
    touch_item,
    user_title,
    write_claim,
)
from assistant.workspace import Workspace


def _apply(
    conn: sqlite3.Connection, item: ReviewItem, proposal: Proposal, action: str, author: str
) -> None:
    """Make ``proposal`` the item's content; user-owned claims stay as they are."""
    proposal.title = user_title(conn, item.id) or proposal.title
    order = list(proposal.fields) + [f for f in item.fields if f not in proposal.fields]
    record(
        conn,
        item.id,
        action,
        author,
        before=None if action == "create" else item_state(item),
        after={"title": proposal.title, "status": item.status, "fields": order},
    )
    matched: set[str] = set()
    from assistant.accounts import load_identity

    identity = load_identity(conn)  # once per item, not per claim (it reads every interview)
    for name in order:
        position = 0
        for cid, draft in proposal.fields.get(name, []):
            current = None if cid is None else item.claim(cid)
            if current is not None:
                matched.add(current.id)
                if current.user_owned:
                    write_claim(conn, item.id, current, position)
                    position += 1
                    continue
            claim = Claim(
                id=current.id if current else new_claim_id(conn, item.id),
                field=name,
                text=draft.text,
                model_text=draft.text,
                evidence=draft.evidence,
                support=compute_support(conn, draft.evidence, identity),
                origin=proposal.origin,
            )
            before = None if current is None else claim_json(current)
            if before != claim_json(claim):
                record(
                    conn,
                    item.id,
                    action,
                    author,
                    claim_id=claim.id,
                    before=before,
                    after=claim_json(claim),
                )
            write_claim(conn, item.id, claim, position)
            position += 1
        for old in item.fields.get(name, []):
            if old.id in matched:
                continue
            if old.user_owned:  # never dropped by a regeneration: kept at the field's end
                write_claim(conn, item.id, old, position)
                position += 1
                continue
            conn.execute("DELETE FROM review_claims WHERE id = ?", (old.id,))
            record(conn, item.id, action, author, claim_id=old.id, before=claim_json(old))
    touch_item(
        conn,
        item.id,
        title=proposal.title,
        origin_json=proposal.origin.model_dump_json(),
        pending_revision=None,
    )


def rewrite_item(
    conn: sqlite3.Connection,
    item: ReviewItem,
    fields: Mapping[str, Sequence[ClaimDraft | str]],
    action: str,
    note: Any,
) -> None:
    """Give ``item`` content the user asked for (a theme merge or move), inside the caller's
    transaction: claims are matched and kept as a regeneration keeps them, user-owned claims
    stay, and the history records ``action`` with ``note``."""
    record(conn, item.id, action, USER, after=note)
    _apply(conn, item, propose(item, item.title, item.origin, fields), action, USER)


def upsert_generated(
    ws: Workspace,
    kind: str,
    key: str,
    title: str,
    fields: Mapping[str, Sequence[ClaimDraft | str]],
    provenance: Provenance,
) -> ReviewItem:
    """Store a generated version of the item ``key`` (the regeneration path).

    New key: a draft. Untouched draft: updated in place (only what changed is
    recorded). Approved, rejected or user-edited item: content kept, the new
    version stored as pending (see :func:`pending_changes`). A version equal
    to the current content changes nothing.
    """
    check_kind(kind)
    conn = ws.conn
    origin = Origin.of(provenance)
    author = origin.author
    with db.transaction(conn):
        row = conn.execute("SELECT * FROM review_items WHERE key = ?", (key,)).fetchone()
        if row is None:
            now = db.now_iso()
            iid = new_item_id(conn, kind, key)
            conn.execute(
                "INSERT INTO review_items(id, kind, key, title, status, origin_json, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)",
                (iid, kind, key, title, origin.model_dump_json(), now, now),
            )
            empty = load_item(conn, resolve_row(conn, iid))
            _apply(conn, empty, propose(empty, title, origin, fields), "create", author)
            return load_item(conn, resolve_row(conn, iid))
        if row["kind"] != kind:
            raise UsageError(f"review key {key!r} belongs to a {row['kind']}, not a {kind}")
        title = row["user_title"] or title
        item = load_item(conn, row)
        proposal = propose(item, title, origin, fields)
        if not diff_proposal(item, proposal) and title == item.title:
            if item.pending is not None:  # the model is back to the current content
                record(conn, item.id, "drop_pending", author, before=_pending_ref(item))
                touch_item(conn, item.id, pending_revision=None)
        elif not item.touched:
            _apply(conn, item, proposal, "regenerate", author)
        elif item.pending is None or _pending_json(conn, item) != proposal.to_json():
            rev = record(
                conn,
                item.id,
                "regenerate_pending",
                author,
                before=item_state(item),
                after=proposal.to_json(),
            )
            touch_item(conn, item.id, pending_revision=rev)
        return load_item(conn, resolve_row(conn, item.id))


def _pending_ref(item: ReviewItem) -> dict[str, Any]:
    return {"pending_revision": None if item.pending is None else item.pending.revision_id}


def _pending_json(conn: sqlite3.Connection, item: ReviewItem) -> Any:
    assert item.pending is not None
    row = conn.execute(
        "SELECT after_json FROM review_revisions WHERE id = ?", (item.pending.revision_id,)
    ).fetchone()
    return json.loads(row[0])


def _pending_row(conn: sqlite3.Connection, item_id: str) -> tuple[ReviewItem, sqlite3.Row]:
    item = load_item(conn, resolve_row(conn, item_id))
    if item.pending is None:
        raise UsageError(
            f"{item.id} has no pending regeneration (see `persona review show {item.id}`)"
        )
    rev = conn.execute(
        "SELECT * FROM review_revisions WHERE id = ?", (item.pending.revision_id,)
    ).fetchone()
    return item, rev


def accept_pending(ws: Workspace, item_id: str) -> ReviewItem:
    """Take the pending regenerated version; user-written and user-edited claims stay."""
    conn = ws.conn
    with db.transaction(conn):
        item, rev = _pending_row(conn, item_id)
        proposal = Proposal.from_json(json.loads(rev["after_json"]))
        _apply(conn, item, proposal, "accept_pending", USER)
        return load_item(conn, resolve_row(conn, item.id))


def keep_current(ws: Workspace, item_id: str) -> ReviewItem:
    """Discard the pending regenerated version and keep the current content."""
    conn = ws.conn
    with db.transaction(conn):
        item, _ = _pending_row(conn, item_id)
        record(
            conn, item.id, "keep_current", USER, before=_pending_ref(item), after=item_state(item)
        )
        touch_item(conn, item.id, pending_revision=None)
        return load_item(conn, resolve_row(conn, item.id))
