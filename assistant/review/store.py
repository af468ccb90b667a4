"""The review tables: reading items and claims, and the row writes every change uses."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant import db
from assistant.errors import UsageError
from assistant.models import EvidenceStatus
from assistant.review.matching import Proposal, diff_proposal
from assistant.review.models import (
    KINDS,
    Claim,
    EvidenceLink,
    Origin,
    PendingChanges,
    ReviewItem,
    Support,
)
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.accounts import AccountIdentity


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")


def new_item_id(conn: sqlite3.Connection, kind: str, key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    for size in range(6, len(digest) + 1):
        candidate = f"{kind}-{digest[:size]}"
        if conn.execute("SELECT 1 FROM review_items WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate
    raise AssertionError("sha256 exhausted")  # pragma: no cover


def compute_support(
    conn: sqlite3.Connection,
    evidence: Sequence[EvidenceLink],
    identity: AccountIdentity | None = None,
) -> Support:
    """Distinct interviews and accounts of the *verified*, first-hand evidence (second-hand
    descriptions of a stakeholder never count as that role's support).

    ``identity`` (default: loaded now) lets a caller storing many claims load the
    workspace's accounts once: loading reads every interview's metadata.
    """
    from assistant.accounts import load_identity

    interviews = {
        e.interview_id
        for e in evidence
        if e.status == EvidenceStatus.verified and e.described_by is None
    }
    if not interviews:
        return Support(interviews=0, accounts=0)
    accounts = (identity or load_identity(conn)).keys_of(interviews)
    return Support(interviews=len(interviews), accounts=len(accounts))


def claim_json(claim: Claim) -> dict[str, Any]:
    return claim.model_dump(mode="json", exclude={"status"})


def item_state(item: ReviewItem) -> dict[str, Any]:
    return {"title": item.title, "status": item.status}


def _load_claims(conn: sqlite3.Connection, item_id: str) -> dict[str, list[Claim]]:
    fields: dict[str, list[Claim]] = {}
    rows = conn.execute(
        "SELECT * FROM review_claims WHERE item_id = ? ORDER BY rowid", (item_id,)
    ).fetchall()
    for r in sorted(rows, key=lambda r: r["position"]):
        fields.setdefault(r["field"], []).append(
            Claim(
                id=r["id"],
                field=r["field"],
                text=r["text"],
                model_text=r["model_text"],
                evidence=[EvidenceLink.model_validate(e) for e in json.loads(r["evidence_json"])],
                support=Support(interviews=r["support_interviews"], accounts=r["support_accounts"]),
                origin=Origin.model_validate_json(r["origin_json"]),
                edited_by_user=bool(r["edited_by_user"]),
            )
        )
    return fields


def _field_order(conn: sqlite3.Connection, item_id: str) -> list[str]:
    row = conn.execute(
        "SELECT after_json FROM review_revisions WHERE item_id = ? AND action IN "
        "('create', 'regenerate', 'accept_pending') AND claim_id IS NULL ORDER BY id DESC LIMIT 1",
        (item_id,),
    ).fetchone()
    if row is None or row[0] is None:
        return []
    return list(json.loads(row[0]).get("fields", []))


def item_version(conn: sqlite3.Connection, item_id: str) -> int:
    """The id of the item's last revision (every change records one)."""
    row = conn.execute(
        "SELECT COALESCE(MAX(id), 0) FROM review_revisions WHERE item_id = ?", (item_id,)
    ).fetchone()
    return int(row[0])


def check_version(conn: sqlite3.Connection, item_id: str, expected: int | None) -> None:
    """Refuse an edit made against an older version of the item (None: no check)."""
    if expected is None:
        return
    current = item_version(conn, item_id)
    if current == expected:
        return
    last = conn.execute(
        "SELECT action, author, created_at, claim_id FROM review_revisions WHERE id = ?",
        (current,),
    ).fetchone()
    what = f"{last['action'].replace('_', ' ')}"
    if last["claim_id"]:
        what += f" of {last['claim_id']}"
    raise ConflictError(
        f"{item_id} was changed after you opened it ({what} by {last['author']} at "
        f"{last['created_at']}): nothing was changed here, and nothing is lost — reload the "
        "item and try again"
    )


class ConflictError(UsageError):
    """An edit was made against an older version of a review item."""


def resolve_row(conn: sqlite3.Connection, id_or_key: str) -> sqlite3.Row:
    row = conn.execute(
        "SELECT * FROM review_items WHERE id = ? OR key = ?", (id_or_key, id_or_key)
    ).fetchone()
    if row is None:
        raise UsageError(
            f"no review item {id_or_key!r}: run `persona review list` "
            "(or `persona review list --kind persona --json`) to see the ids"
        )
    return row


def load_item(conn: sqlite3.Connection, row: sqlite3.Row, *, annotate: bool = True) -> ReviewItem:
    """The item of ``row``; ``annotate`` adds what is shown but never stored (quoted-phrase
    flags, speakers' names)."""
    claims = _load_claims(conn, row["id"])
    order = _field_order(conn, row["id"])
    fields = {f: claims.pop(f, []) for f in order}
    fields.update(claims)
    item = ReviewItem(
        id=row["id"],
        kind=row["kind"],
        key=row["key"],
        title=row["title"],
        status=row["status"],
        origin=Origin.model_validate_json(row["origin_json"]),
        fields=fields,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=item_version(conn, row["id"]),
    )
    if row["pending_revision"] is not None:
        item.pending = load_pending(conn, item, int(row["pending_revision"]))
    if annotate:
        flag_quoted_phrases(conn, item)
        name_speakers(conn, item)
    return item


def name_speakers(conn: sqlite3.Connection, item: ReviewItem) -> None:
    """Set ``speaker_name`` on evidence links whose label is a known participant."""
    from assistant.library.speaker_names import speaker_names

    links = [link for claims in item.fields.values() for c in claims for link in c.evidence]
    if not any(link.speaker for link in links):
        return
    names = speaker_names(conn)
    for link in links:
        if link.speaker:
            link.speaker_name = names.get((link.interview_id, link.speaker))


def flag_quoted_phrases(conn: sqlite3.Connection, item: ReviewItem) -> None:
    """Set ``quote_flags`` on claims whose quoted phrases no cited participant said verbatim."""
    from assistant.evidence import TranscriptIndex
    from assistant.evidence.quoted import check_quoted, quoted_phrases
    from assistant.library import load_transcript

    indexes: dict[str, TranscriptIndex] = {}
    for claims in item.fields.values():
        for claim in claims:
            if not quoted_phrases(claim.text):
                continue
            cited: dict[str, TranscriptIndex] = {}
            for iid in dict.fromkeys(link.interview_id for link in claim.evidence):
                if iid not in indexes:
                    try:
                        indexes[iid] = TranscriptIndex(load_transcript(conn, iid))
                    except UsageError:  # the interview was removed: nothing to check against
                        continue
                cited[iid] = indexes[iid]
            claim.quote_flags = check_quoted(claim.text, cited)


def user_title(conn: sqlite3.Connection, item_id: str) -> str | None:
    """The title the user gave the item (kept over every generated title), if any."""
    row = conn.execute("SELECT user_title FROM review_items WHERE id = ?", (item_id,)).fetchone()
    return None if row is None else row[0]


def load_pending(conn: sqlite3.Connection, item: ReviewItem, rev_id: int) -> PendingChanges:
    r = conn.execute("SELECT * FROM review_revisions WHERE id = ?", (rev_id,)).fetchone()
    proposal = Proposal.from_json(json.loads(r["after_json"]))
    proposal.title = user_title(conn, item.id) or proposal.title
    return PendingChanges(
        revision_id=rev_id,
        author=r["author"],
        created_at=r["created_at"],
        title_before=item.title,
        title_after=proposal.title,
        changes=diff_proposal(item, proposal),
    )


def get_item(ws: Workspace, item_id: str) -> ReviewItem:
    """One item by id (or key); unknown ids raise a usage error saying how to list them."""
    return load_item(ws.conn, resolve_row(ws.conn, item_id))


def list_items(
    ws: Workspace, kind: str | None = None, *, annotate: bool = True
) -> list[ReviewItem]:
    """Every item, optionally of one kind, ordered by kind and key (``annotate``: see
    :func:`load_item`)."""
    if kind is not None:
        check_kind(kind)
    rows = ws.conn.execute(
        "SELECT * FROM review_items WHERE ? IS NULL OR kind = ? ORDER BY kind, key",
        (kind, kind),
    ).fetchall()
    return [load_item(ws.conn, r, annotate=annotate) for r in rows]


def pending_changes(ws: Workspace, item_id: str) -> PendingChanges | None:
    """What a pending regeneration would change (None when nothing is pending)."""
    return get_item(ws, item_id).pending


def new_claim_id(conn: sqlite3.Connection, item_id: str) -> str:
    n = conn.execute("SELECT next_claim FROM review_items WHERE id = ?", (item_id,)).fetchone()[0]
    conn.execute("UPDATE review_items SET next_claim = ? WHERE id = ?", (n + 1, item_id))
    return f"{item_id}.{n}"


def write_claim(conn: sqlite3.Connection, item_id: str, claim: Claim, position: int) -> None:
    now = db.now_iso()
    conn.execute(
        "INSERT INTO review_claims(id, item_id, field, position, text, model_text, evidence_json, "
        "support_interviews, support_accounts, origin_json, edited_by_user, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET field = excluded.field, position = excluded.position, "
        "text = excluded.text, model_text = excluded.model_text, "
        "evidence_json = excluded.evidence_json, support_interviews = excluded.support_interviews, "
        "support_accounts = excluded.support_accounts, origin_json = excluded.origin_json, "
        "edited_by_user = excluded.edited_by_user, updated_at = excluded.updated_at",
        (
            claim.id,
            item_id,
            claim.field,
            position,
            claim.text,
            claim.model_text,
            json.dumps([e.model_dump(exclude_none=True) for e in claim.evidence]),
            claim.support.interviews,
            claim.support.accounts,
            claim.origin.model_dump_json(),
            int(claim.edited_by_user),
            now,
            now,
        ),
    )


def touch_item(conn: sqlite3.Connection, item_id: str, **columns: Any) -> None:
    columns["updated_at"] = db.now_iso()
    sets = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE review_items SET {sets} WHERE id = ?", (*columns.values(), item_id))
