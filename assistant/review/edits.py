"""The user's edits: reword, add, link and remove claims; approve, reject or reopen an item.

Every edit takes ``expected_version`` (the :attr:`ReviewItem.version` the user
saw): when another process changed the item since, the edit is refused with a
:class:`~assistant.review.store.ConflictError` and nothing is written.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant import db
from assistant.errors import UsageError
from assistant.review.history import record
from assistant.review.models import USER, Claim, EvidenceLink, ItemStatus, Origin, ReviewItem
from assistant.review.store import (
    check_version,
    claim_json,
    compute_support,
    item_state,
    load_item,
    new_claim_id,
    resolve_row,
    touch_item,
    write_claim,
)
from assistant.workspace import Workspace


class AssumptionsRemainError(UsageError):
    """Approving an item whose claims include assumptions, without saying yes to it."""


def _claim_or_error(item: ReviewItem, claim_id: str) -> Claim:
    claim = item.claim(claim_id) or item.claim(f"{item.id}.{claim_id}")
    if claim is None:
        raise UsageError(
            f"{item.id} has no claim {claim_id!r}: run `persona review show {item.id}` "
            "to see the claim ids"
        )
    return claim


def edit_claim(
    ws: Workspace, item_id: str, claim_id: str, text: str, *, expected_version: int | None = None
) -> Claim:
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
        check_version(conn, item.id, expected_version)
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


def check_field(item: ReviewItem, field: str) -> str:
    """``field`` when the item has it; else a usage error with a did-you-mean."""
    known = list(item.fields)
    if field in known:
        return field
    spelled = {f.casefold().replace(" ", "_").replace("-", "_"): f for f in known}
    same = spelled.get(field.strip().casefold().replace(" ", "_").replace("-", "_"))
    if same is not None:
        return same
    close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UsageError(
        f"{item.id} has no field {field!r}: {hint}its fields are {', '.join(known) or 'none'} "
        "(to start a new field, pass --new-field)"
    )


def add_claim(
    ws: Workspace,
    item_id: str,
    field: str,
    text: str,
    *,
    new_field: bool = False,
    expected_version: int | None = None,
) -> Claim:
    """Add a user claim at the end of ``field``: without evidence it is an assumption.

    ``field`` must be one of the item's fields (a near miss gets a
    did-you-mean); ``new_field`` starts a field the item does not have yet.
    """
    if not text.strip() or not field.strip():
        raise UsageError("the field and the claim text must not be empty")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        check_version(conn, item.id, expected_version)
        if not new_field:
            field = check_field(item, field)
        elif field in item.fields:
            raise UsageError(f"{item.id} already has a field {field!r}: drop --new-field")
        claim = Claim(
            id=new_claim_id(conn, item.id), field=field, text=text, origin=Origin(source="user")
        )
        record(conn, item.id, "add_claim", USER, claim_id=claim.id, after=claim_json(claim))
        write_claim(conn, item.id, claim, len(item.fields.get(field, [])))
        touch_item(conn, item.id)
        return claim


@dataclass
class Linked:
    """A claim after :func:`link_evidence`, with what the user should know."""

    claim: Claim
    added: int
    warnings: list[str] = field(default_factory=list)


def link_evidence(
    ws: Workspace,
    item_id: str,
    claim_id: str,
    links: Sequence[EvidenceLink],
    *,
    expected_version: int | None = None,
) -> Linked:
    """Link quotes to a claim; it is ``supported`` once one is verified participant evidence.

    ``links`` come from :func:`insight_links` (an insight's quotes) or
    :meth:`assistant.highlights.Passage.evidence_link` (a passage of a turn).
    The claim becomes the user's (a regeneration keeps it and its links).
    """
    if not links:
        raise UsageError("give at least one quote to link (--insight or --interview/--turn)")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        check_version(conn, item.id, expected_version)
        claim = _claim_or_error(item, claim_id)
        have = {e.key() for e in claim.evidence}
        new = [link for link in links if link.key() not in have]
        if not new:
            raise UsageError(f"{claim.id} already links every quote given: nothing to add")
        evidence = claim.evidence + list(dict((e.key(), e) for e in new).values())
        linked = claim.model_copy(
            update={
                "evidence": evidence,
                "support": compute_support(conn, evidence),
                "edited_by_user": True,
            }
        )
        record(
            conn,
            item.id,
            "link_evidence",
            USER,
            claim_id=claim.id,
            before=claim_json(claim),
            after=claim_json(linked),
        )
        write_claim(conn, item.id, linked, item.fields[claim.field].index(claim))
        touch_item(conn, item.id)
    warnings = [
        f"{e.interview_id} turn {e.turn}: the quote is {e.status}, so it does not count as evidence"
        for e in new
        if e.status != "verified"
    ]
    if linked.status == "assumption":
        warnings.append(f"{linked.id} is still an assumption: no linked quote is verified")
    return Linked(linked, len(new), warnings)


def find_quotes(ws: Workspace, words: str, limit: int = 30) -> list[EvidenceLink]:
    """Verified participant quotes (of any insight) holding every word of ``words`` (without
    case), as links to pick for :func:`link_evidence`; each quote once."""
    terms = [w for w in words.casefold().split() if w]
    if not terms:
        return []
    sql = (
        "SELECT * FROM evidence WHERE owner_type = 'insight' AND status = 'verified'"
        + "".join(" AND instr(lower(quote), ?) > 0" for _ in terms)
        + " ORDER BY interview_id, start LIMIT ?"
    )
    out: dict[str, EvidenceLink] = {}
    for r in ws.conn.execute(sql, (*terms, limit * 3)):
        link = EvidenceLink.from_evidence(r["interview_id"], r["owner_id"], r)
        out.setdefault(f"{r['interview_id']}:{r['start']}:{r['end']}", link)
    return list(out.values())[:limit]


def insight_links(ws: Workspace, insight_id: str) -> list[EvidenceLink]:
    """The quotes of one stored insight as evidence links (an unknown id is a usage error)."""
    row = ws.conn.execute(
        "SELECT interview_id FROM insights WHERE id = ?", (insight_id,)
    ).fetchone()
    if row is None:
        raise UsageError(f"no insight {insight_id!r} (see `persona insights`)")
    rows = ws.conn.execute(
        "SELECT * FROM evidence WHERE owner_type = 'insight' AND owner_id = ? ORDER BY position",
        (insight_id,),
    ).fetchall()
    if not rows:
        raise UsageError(f"insight {insight_id} has no quotes to link")
    return [EvidenceLink.from_evidence(row["interview_id"], insight_id, r) for r in rows]


def remove_claim(
    ws: Workspace, item_id: str, claim_id: str, *, expected_version: int | None = None
) -> Claim:
    """Delete a claim (the user's decision; the history keeps what it was)."""
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        check_version(conn, item.id, expected_version)
        claim = _claim_or_error(item, claim_id)
        conn.execute("DELETE FROM review_claims WHERE id = ?", (claim.id,))
        record(conn, item.id, "remove_claim", USER, claim_id=claim.id, before=claim_json(claim))
        touch_item(conn, item.id)
        return claim


def set_status(
    ws: Workspace,
    item_id: str,
    status: ItemStatus,
    *,
    allow_assumptions: bool = True,
    expected_version: int | None = None,
) -> ReviewItem:
    """Approve, reject or reopen (``draft``) an item.

    With ``allow_assumptions=False``, approving an item that still has
    assumptions raises :class:`AssumptionsRemainError` (the faces ask first).
    """
    if status not in ("draft", "approved", "rejected"):
        raise UsageError(f"unknown status {status!r}: use draft, approved or rejected")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        check_version(conn, item.id, expected_version)
        if status == "approved" and not allow_assumptions and item.status != "approved":
            left = item.assumptions()
            if left:
                n = len(left)
                raise AssumptionsRemainError(
                    f"{item.id} has {n} claim{'s' * (n != 1)} that "
                    f"{'are assumptions' if n != 1 else 'is an assumption'} (no verified "
                    f"quote): {', '.join(c.id for c in left[:5])}{'…' if n > 5 else ''}; "
                    "link quotes first (`persona review link`) or approve anyway (--yes)"
                )
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


def rename_item(
    ws: Workspace, item_id: str, title: str, *, expected_version: int | None = None
) -> ReviewItem:
    """Give an item the user's title; regenerations keep it (the model's title is ignored)."""
    title = " ".join(title.split())
    if not title:
        raise UsageError("the new title must not be empty")
    conn = ws.conn
    with db.transaction(conn):
        item = load_item(conn, resolve_row(conn, item_id))
        check_version(conn, item.id, expected_version)
        if title != item.title:
            record(
                conn,
                item.id,
                "rename",
                USER,
                before=item_state(item),
                after={"title": title, "status": item.status},
            )
        touch_item(conn, item.id, title=title, user_title=title)
        return load_item(conn, resolve_row(conn, item.id))
