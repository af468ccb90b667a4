"""The user's edits: reword, add and remove claims; approve, reject or reopen an item."""

from __future__ import annotations

from assistant import db
from assistant.errors import UsageError
from assistant.review.history import record
from assistant.review.models import USER, Claim, ItemStatus, Origin, ReviewItem
from assistant.review.store import (
    claim_json,
    item_state,
    load_item,
    new_claim_id,
    resolve_row,
    touch_item,
    write_claim,
)
from assistant.workspace import Workspace


def _claim_or_error(item: ReviewItem, claim_id: str) -> Claim:
    claim = item.claim(claim_id) or item.claim(f"{item.id}.{claim_id}")
    if claim is None:
        raise UsageError(
            f"{item.id} has no claim {claim_id!r}: run `persona review show {item.id}` "
            "to see the claim ids"
        )
    return claim


def edit_claim(ws: Workspace, item_id: str, claim_id: str, text: str) -> Claim:
    """Replace a claim's text (evidence stays linked); the claim becomes user-edited.

    Saving the same text still marks the claim as the user's (they confirmed
    it), so a later regeneration cannot reword it. ``claim_id`` may be the
    full id or the number after the item id.
    """
    if not text.strip():
        raise UsageError("the claim text must not be empty")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        claim = _claim_or_error(item, claim_id)
        if claim.text == text and claim.user_owned:
            return claim
        edited = claim.model_copy(update={"text": text, "edited_by_user": True})
        position = item.fields[claim.field].index(claim)
        record(
            conn,
            item.id,
            "edit_claim",
            USER,
            claim_id=claim.id,
            before=claim_json(claim),
            after=claim_json(edited),
        )
        write_claim(conn, item.id, edited, position)
        touch_item(conn, item.id)
        return edited


def add_claim(ws: Workspace, item_id: str, field: str, text: str) -> Claim:
    """Add a user claim at the end of ``field``: without evidence it is an assumption."""
    if not text.strip() or not field.strip():
        raise UsageError("the field and the claim text must not be empty")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        claim = Claim(
            id=new_claim_id(conn, item.id), field=field, text=text, origin=Origin(source="user")
        )
        record(conn, item.id, "add_claim", USER, claim_id=claim.id, after=claim_json(claim))
        write_claim(conn, item.id, claim, len(item.fields.get(field, [])))
        touch_item(conn, item.id)
        return claim


def remove_claim(ws: Workspace, item_id: str, claim_id: str) -> None:
    """Delete a claim (the user's decision; recorded in the history)."""
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        claim = _claim_or_error(item, claim_id)
        conn.execute("DELETE FROM review_claims WHERE id = ?", (claim.id,))
        record(conn, item.id, "remove_claim", USER, claim_id=claim.id, before=claim_json(claim))
        touch_item(conn, item.id)


def set_status(ws: Workspace, item_id: str, status: ItemStatus) -> ReviewItem:
    """Approve, reject or reopen (``draft``) an item."""
    if status not in ("draft", "approved", "rejected"):
        raise UsageError(f"unknown status {status!r}: use draft, approved or rejected")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        if item.status != status:
            record(
                conn,
                item.id,
                "set_status",
                USER,
                before=item_state(item),
                after={"title": item.title, "status": status},
            )
            touch_item(conn, item.id, status=status)
        return load_item(conn, resolve_row(conn, item.id))
