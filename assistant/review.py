"""The review store: drafts a person edits and approves, and a re-run never overwrites.

Every theme, persona, ICP and messaging *item* has a status (draft | approved
| rejected) and fields, each a list of *claims*. A claim is ``supported`` when
it links to at least one verified piece of evidence, else an ``assumption``.
Every change is appended to ``review_revisions`` (append-only: triggers
refuse updates and deletes) with its author (``user`` or
``model:<model>@<prompt version>``), time and before/after JSON.

Regeneration (:func:`upsert_generated`) follows one rule: an *untouched* item
(a draft with no user edits or user claims) is updated in place; anything
else (approved, rejected, or with any user-edited or user-added claim) keeps
its content, and the new version is stored as a *pending* revision the user
accepts (:func:`accept_pending`) or discards (:func:`keep_current`).

Claim identity across regenerations (:func:`match_claims`), within a field:
1. same normalised text (case, spacing and punctuation ignored) as the
   claim's current text or the model's last text for it (so a claim the user
   reworded still matches what the model says again);
2. otherwise, evidence overlap: Jaccard similarity of the evidence keys of at
   least 0.5, best pair first.
Matched claims keep their ids; unmatched new claims get new ids; unmatched
old claims are removed. Accepting a pending version never changes the text
or evidence of a user-edited or user-added claim: those stay as they are.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from assistant import db
from assistant.errors import UsageError
from assistant.workspace import Workspace

ItemKind = Literal["theme", "persona", "icp", "messaging"]
ItemStatus = Literal["draft", "approved", "rejected"]
KINDS: tuple[str, ...] = ("theme", "persona", "icp", "messaging")
USER = "user"
MATCH_OVERLAP = 0.5
"""Least Jaccard overlap of evidence for two claims to be the same claim."""

# ---------------------------------------------------------------- models


class EvidenceLink(BaseModel):
    """One piece of evidence behind a claim: an insight and/or a located quote."""

    model_config = ConfigDict(extra="forbid")

    interview_id: str
    insight_id: str | None = None
    quote: str | None = None
    speaker: str | None = None
    turn: int | None = None
    start: int | None = None
    end: int | None = None
    status: Literal["verified", "unverified", "note"] = Field(
        "verified", description="Only verified evidence makes a claim supported."
    )

    @classmethod
    def from_evidence(cls, interview_id: str, owner_id: str, ev: Mapping[str, Any]) -> EvidenceLink:
        """The link to one stored evidence row (a dict or sqlite Row of the ``evidence`` table,
        or an item of ``StoredInsight.evidence``) of insight ``owner_id``."""
        keys = ev.keys()
        speaker = ev["speaker"] if "speaker" in keys else None
        if not speaker and "claimed_speaker" in keys:
            speaker = ev["claimed_speaker"]
        return cls(
            interview_id=interview_id,
            insight_id=owner_id,
            quote=ev["quote"],
            speaker=speaker,
            turn=ev["turn"],
            start=ev["start"],
            end=ev["end"],
            status=ev["status"],
        )

    def key(self) -> str:
        """Identity used to compare evidence across regenerations."""
        if self.insight_id:
            return f"insight:{self.insight_id}"
        if self.start is not None:
            return f"span:{self.interview_id}:{self.start}:{self.end}"
        return f"quote:{self.interview_id}:{normalise(self.quote or '')}"


class Support(BaseModel):
    """Distinct interviews and accounts behind a claim's verified evidence."""

    interviews: int = 0
    accounts: int = 0


class Origin(BaseModel):
    """Who produced an item or claim."""

    source: Literal["model", "user"]
    model: str | None = None
    prompt_version: str | None = None

    @property
    def author(self) -> str:
        if self.source == "user":
            return USER
        return f"model:{self.model}@{self.prompt_version}"


class Provenance(BaseModel):
    """The model and prompt version that generated a version of an item."""

    model: str
    prompt_version: str

    @property
    def origin(self) -> Origin:
        return Origin(source="model", model=self.model, prompt_version=self.prompt_version)


class ClaimDraft(BaseModel):
    """A claim as a generator proposes it: text and evidence (support is computed)."""

    text: str
    evidence: list[EvidenceLink] = Field(default_factory=list)


class Claim(BaseModel):
    """One claim of an item, with its evidence and support."""

    id: str
    field: str
    text: str
    evidence: list[EvidenceLink] = Field(default_factory=list)
    support: Support = Field(default_factory=Support)
    origin: Origin
    edited_by_user: bool = False
    model_text: str | None = Field(None, description="The model's last text for this claim.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> Literal["supported", "assumption"]:
        verified = any(e.status == "verified" for e in self.evidence)
        return "supported" if verified else "assumption"

    @property
    def user_owned(self) -> bool:
        """True for claims the user wrote or edited: a regeneration never changes them."""
        return self.edited_by_user or self.origin.source == "user"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "evidence": [e.model_dump(exclude_none=True) for e in self.evidence],
            "support": self.support.model_dump(),
            "origin": self.origin.model_dump(),
            "edited_by_user": self.edited_by_user,
        }


class ClaimChange(BaseModel):
    """One difference between the current item and a pending regeneration."""

    change: Literal["added", "removed", "changed"]
    field: str
    claim_id: str | None = Field(None, description="Current claim id (None for added).")
    before: str | None = None
    after: str | None = None
    user_owned: bool = Field(False, description="User-written/edited: kept as is on accept.")


class PendingChanges(BaseModel):
    """A regenerated version waiting for the user's decision."""

    revision_id: int
    author: str
    created_at: str
    title_before: str
    title_after: str
    changes: list[ClaimChange]

    def by_change(self, change: str) -> list[ClaimChange]:
        return [c for c in self.changes if c.change == change]


class ReviewItem(BaseModel):
    """A theme, persona, ICP or messaging draft under review."""

    id: str
    kind: str
    key: str
    title: str
    status: ItemStatus
    origin: Origin
    fields: dict[str, list[Claim]]
    pending: PendingChanges | None = None
    created_at: str
    updated_at: str

    def claims(self) -> list[Claim]:
        return [c for claims in self.fields.values() for c in claims]

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims() if c.id == claim_id), None)

    @property
    def touched(self) -> bool:
        """True when a regeneration must not overwrite it (see the module rule)."""
        return self.status != "draft" or any(c.user_owned for c in self.claims())

    def summary_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "status": self.status}

    def to_json(self) -> dict[str, Any]:
        data = self.summary_json()
        data.update(
            {
                "key": self.key,
                "origin": self.origin.model_dump(),
                "fields": {f: [c.to_json() for c in cs] for f, cs in self.fields.items()},
                "pending": None if self.pending is None else self.pending.model_dump(),
                "created_at": self.created_at,
                "updated_at": self.updated_at,
            }
        )
        return data


class Revision(BaseModel):
    """One entry of an item's history."""

    id: int
    item_id: str
    claim_id: str | None
    action: str
    author: str
    created_at: str
    before: Any = None
    after: Any = None


# ---------------------------------------------------------------- helpers

_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Text for identity checks: NFKC, case-folded, punctuation dropped, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


def _item_id(conn: sqlite3.Connection, kind: str, key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    for size in range(6, len(digest) + 1):
        candidate = f"{kind}-{digest[:size]}"
        if conn.execute("SELECT 1 FROM review_items WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate
    raise AssertionError("sha256 exhausted")  # pragma: no cover


def compute_support(conn: sqlite3.Connection, evidence: Sequence[EvidenceLink]) -> Support:
    """Distinct interviews and accounts of the *verified* evidence."""
    from assistant.accounts import load_identity

    interviews = {e.interview_id for e in evidence if e.status == "verified"}
    accounts = load_identity(conn).keys_of(interviews) if interviews else set()
    return Support(interviews=len(interviews), accounts=len(accounts))


def _claim_json(claim: Claim) -> dict[str, Any]:
    return claim.model_dump(mode="json", exclude={"status"})


def _dumps(data: Any) -> str | None:
    return None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def _record(
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


def _state(item: ReviewItem) -> dict[str, Any]:
    return {"title": item.title, "status": item.status}


# ---------------------------------------------------------------- reading


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


def _resolve(conn: sqlite3.Connection, id_or_key: str) -> sqlite3.Row:
    row = conn.execute(
        "SELECT * FROM review_items WHERE id = ? OR key = ?", (id_or_key, id_or_key)
    ).fetchone()
    if row is None:
        raise UsageError(
            f"no review item {id_or_key!r}: run `persona review list` "
            "(or `persona review list --kind persona --json`) to see the ids"
        )
    return row


def _load(conn: sqlite3.Connection, row: sqlite3.Row) -> ReviewItem:
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
    )
    if row["pending_revision"] is not None:
        item.pending = _pending(conn, item, int(row["pending_revision"]))
    return item


def get_item(ws: Workspace, item_id: str) -> ReviewItem:
    """One item by id (or key); unknown ids raise a usage error saying how to list them."""
    return _load(ws.conn, _resolve(ws.conn, item_id))


def list_items(ws: Workspace, kind: str | None = None) -> list[ReviewItem]:
    """Every item, optionally of one kind, ordered by kind and key."""
    if kind is not None:
        _check_kind(kind)
    rows = ws.conn.execute(
        "SELECT * FROM review_items WHERE ? IS NULL OR kind = ? ORDER BY kind, key",
        (kind, kind),
    ).fetchall()
    return [_load(ws.conn, r) for r in rows]


def history(ws: Workspace, item_id: str) -> list[Revision]:
    """The item's revisions, oldest first (append-only)."""
    iid = _resolve(ws.conn, item_id)["id"]
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


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")


# ---------------------------------------------------------------- matching


@dataclass
class _Proposal:
    """A generated version: claims with the ids they would keep (None = new)."""

    title: str
    origin: Origin
    fields: dict[str, list[tuple[str | None, ClaimDraft]]]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "origin": self.origin.model_dump(),
            "fields": {
                f: [
                    {"id": cid, **d.model_dump(mode="json", exclude_none=True)} for cid, d in claims
                ]
                for f, claims in self.fields.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _Proposal:
        fields = {
            f: [(c.pop("id"), ClaimDraft.model_validate(c)) for c in (dict(x) for x in claims)]
            for f, claims in data["fields"].items()
        }
        return cls(data["title"], Origin.model_validate(data["origin"]), fields)


def _overlap(a: Sequence[EvidenceLink], b: Sequence[EvidenceLink]) -> float:
    ka, kb = {e.key() for e in a}, {e.key() for e in b}
    if not ka or not kb:
        return 0.0
    return len(ka & kb) / len(ka | kb)


def match_claims(old: Sequence[Claim], new: Sequence[ClaimDraft]) -> list[str | None]:
    """For each new claim, the id of the old claim it continues (None: a new claim).

    One-to-one, within one field: normalised text first (current or model
    text), then the best evidence overlap of at least :data:`MATCH_OVERLAP`.
    """
    result: list[str | None] = [None] * len(new)
    free = {c.id: c for c in old}
    for i, draft in enumerate(new):
        norm = normalise(draft.text)
        for claim in free.values():
            if norm in (normalise(claim.text), normalise(claim.model_text or "")):
                result[i] = claim.id
                del free[claim.id]
                break
    pairs = sorted(
        (
            (_overlap(draft.evidence, claim.evidence), i, claim.id)
            for i, draft in enumerate(new)
            if result[i] is None
            for claim in free.values()
        ),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    for score, i, cid in pairs:
        if score >= MATCH_OVERLAP and result[i] is None and cid in free:
            result[i] = cid
            del free[cid]
    return result


def _propose(
    item: ReviewItem, title: str, origin: Origin, fields: Mapping[str, Sequence[Any]]
) -> _Proposal:
    out: dict[str, list[tuple[str | None, ClaimDraft]]] = {}
    for name, raw in fields.items():
        drafts = [d if isinstance(d, ClaimDraft) else ClaimDraft(text=str(d)) for d in raw]
        out[name] = list(zip(match_claims(item.fields.get(name, []), drafts), drafts, strict=True))
    return _Proposal(title, origin, out)


def _diff(item: ReviewItem, proposal: _Proposal) -> list[ClaimChange]:
    """Added, changed and removed claims of ``proposal`` against the current item.

    A user-owned claim is compared with the model's last text for it (so an
    unchanged model text is no change); user-owned claims the proposal lacks
    are not "removed": they stay.
    """
    changes: list[ClaimChange] = []
    matched: set[str] = set()
    for name, claims in proposal.fields.items():
        for cid, draft in claims:
            current = None if cid is None else item.claim(cid)
            if current is None:
                changes.append(ClaimChange(change="added", field=name, after=draft.text))
                continue
            matched.add(current.id)
            reference = (current.model_text if current.user_owned else None) or current.text
            same_evidence = {e.key() for e in current.evidence} == {e.key() for e in draft.evidence}
            if draft.text != reference or not same_evidence:
                changes.append(
                    ClaimChange(
                        change="changed",
                        field=name,
                        claim_id=current.id,
                        before=current.text,
                        after=draft.text,
                        user_owned=current.user_owned,
                    )
                )
    changes.extend(
        ClaimChange(change="removed", field=c.field, claim_id=c.id, before=c.text)
        for c in item.claims()
        if c.id not in matched and not c.user_owned
    )
    return changes


# ---------------------------------------------------------------- writing


def _new_claim_id(conn: sqlite3.Connection, item_id: str) -> str:
    n = conn.execute("SELECT next_claim FROM review_items WHERE id = ?", (item_id,)).fetchone()[0]
    conn.execute("UPDATE review_items SET next_claim = ? WHERE id = ?", (n + 1, item_id))
    return f"{item_id}.{n}"


def _write_claim(conn: sqlite3.Connection, item_id: str, claim: Claim, position: int) -> None:
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


def _touch(conn: sqlite3.Connection, item_id: str, **columns: Any) -> None:
    columns["updated_at"] = db.now_iso()
    sets = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE review_items SET {sets} WHERE id = ?", (*columns.values(), item_id))


def _apply(
    conn: sqlite3.Connection, item: ReviewItem, proposal: _Proposal, action: str, author: str
) -> None:
    """Make ``proposal`` the item's content; user-owned claims stay as they are."""
    order = list(proposal.fields) + [f for f in item.fields if f not in proposal.fields]
    _record(
        conn,
        item.id,
        action,
        author,
        before=None if action == "create" else _state(item),
        after={"title": proposal.title, "status": item.status, "fields": order},
    )
    matched: set[str] = set()
    for name in order:
        position = 0
        for cid, draft in proposal.fields.get(name, []):
            current = None if cid is None else item.claim(cid)
            if current is not None:
                matched.add(current.id)
                if current.user_owned:
                    _write_claim(conn, item.id, current, position)
                    position += 1
                    continue
            claim = Claim(
                id=current.id if current else _new_claim_id(conn, item.id),
                field=name,
                text=draft.text,
                model_text=draft.text,
                evidence=draft.evidence,
                support=compute_support(conn, draft.evidence),
                origin=proposal.origin,
            )
            before = None if current is None else _claim_json(current)
            if before != _claim_json(claim):
                _record(
                    conn,
                    item.id,
                    action,
                    author,
                    claim_id=claim.id,
                    before=before,
                    after=_claim_json(claim),
                )
            _write_claim(conn, item.id, claim, position)
            position += 1
        for old in item.fields.get(name, []):
            if old.id in matched:
                continue
            if old.user_owned:  # never dropped by a regeneration: kept at the field's end
                _write_claim(conn, item.id, old, position)
                position += 1
                continue
            conn.execute("DELETE FROM review_claims WHERE id = ?", (old.id,))
            _record(conn, item.id, action, author, claim_id=old.id, before=_claim_json(old))
    _touch(
        conn,
        item.id,
        title=proposal.title,
        origin_json=proposal.origin.model_dump_json(),
        pending_revision=None,
    )


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
    _check_kind(kind)
    conn = ws.conn
    origin = provenance.origin
    author = origin.author
    with db.transaction(conn):
        row = conn.execute("SELECT * FROM review_items WHERE key = ?", (key,)).fetchone()
        if row is None:
            now = db.now_iso()
            iid = _item_id(conn, kind, key)
            conn.execute(
                "INSERT INTO review_items(id, kind, key, title, status, origin_json, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)",
                (iid, kind, key, title, origin.model_dump_json(), now, now),
            )
            empty = _load(conn, _resolve(conn, iid))
            _apply(conn, empty, _propose(empty, title, origin, fields), "create", author)
            return _load(conn, _resolve(conn, iid))
        if row["kind"] != kind:
            raise UsageError(f"review key {key!r} belongs to a {row['kind']}, not a {kind}")
        item = _load(conn, row)
        proposal = _propose(item, title, origin, fields)
        if not _diff(item, proposal) and title == item.title:
            if item.pending is not None:  # the model is back to the current content
                _record(conn, item.id, "drop_pending", author, before=_pending_ref(item))
                _touch(conn, item.id, pending_revision=None)
        elif not item.touched:
            _apply(conn, item, proposal, "regenerate", author)
        elif item.pending is None or _pending_json(conn, item) != proposal.to_json():
            rev = _record(
                conn,
                item.id,
                "regenerate_pending",
                author,
                before=_state(item),
                after=proposal.to_json(),
            )
            _touch(conn, item.id, pending_revision=rev)
        return _load(conn, _resolve(conn, item.id))


def _pending_ref(item: ReviewItem) -> dict[str, Any]:
    return {"pending_revision": None if item.pending is None else item.pending.revision_id}


def _pending_json(conn: sqlite3.Connection, item: ReviewItem) -> Any:
    assert item.pending is not None
    row = conn.execute(
        "SELECT after_json FROM review_revisions WHERE id = ?", (item.pending.revision_id,)
    ).fetchone()
    return json.loads(row[0])


def _pending(conn: sqlite3.Connection, item: ReviewItem, rev_id: int) -> PendingChanges:
    r = conn.execute("SELECT * FROM review_revisions WHERE id = ?", (rev_id,)).fetchone()
    proposal = _Proposal.from_json(json.loads(r["after_json"]))
    return PendingChanges(
        revision_id=rev_id,
        author=r["author"],
        created_at=r["created_at"],
        title_before=item.title,
        title_after=proposal.title,
        changes=_diff(item, proposal),
    )


def pending_changes(ws: Workspace, item_id: str) -> PendingChanges | None:
    """What a pending regeneration would change (None when nothing is pending)."""
    return get_item(ws, item_id).pending


def _pending_row(conn: sqlite3.Connection, item_id: str) -> tuple[ReviewItem, sqlite3.Row]:
    item = _load(conn, _resolve(conn, item_id))
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
        proposal = _Proposal.from_json(json.loads(rev["after_json"]))
        _apply(conn, item, proposal, "accept_pending", USER)
        return _load(conn, _resolve(conn, item.id))


def keep_current(ws: Workspace, item_id: str) -> ReviewItem:
    """Discard the pending regenerated version and keep the current content."""
    conn = ws.conn
    with db.transaction(conn):
        item, _ = _pending_row(conn, item_id)
        _record(conn, item.id, "keep_current", USER, before=_pending_ref(item), after=_state(item))
        _touch(conn, item.id, pending_revision=None)
        return _load(conn, _resolve(conn, item.id))


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
        item = _load(conn, _resolve(conn, item_id))
        claim = _claim_or_error(item, claim_id)
        if claim.text == text and claim.user_owned:
            return claim
        edited = claim.model_copy(update={"text": text, "edited_by_user": True})
        position = item.fields[claim.field].index(claim)
        _record(
            conn,
            item.id,
            "edit_claim",
            USER,
            claim_id=claim.id,
            before=_claim_json(claim),
            after=_claim_json(edited),
        )
        _write_claim(conn, item.id, edited, position)
        _touch(conn, item.id)
        return edited


def add_claim(ws: Workspace, item_id: str, field: str, text: str) -> Claim:
    """Add a user claim at the end of ``field``: without evidence it is an assumption."""
    if not text.strip() or not field.strip():
        raise UsageError("the field and the claim text must not be empty")
    conn = ws.conn
    with db.transaction(conn):
        item = _load(conn, _resolve(conn, item_id))
        claim = Claim(
            id=_new_claim_id(conn, item.id), field=field, text=text, origin=Origin(source="user")
        )
        _record(conn, item.id, "add_claim", USER, claim_id=claim.id, after=_claim_json(claim))
        _write_claim(conn, item.id, claim, len(item.fields.get(field, [])))
        _touch(conn, item.id)
        return claim


def remove_claim(ws: Workspace, item_id: str, claim_id: str) -> None:
    """Delete a claim (the user's decision; recorded in the history)."""
    conn = ws.conn
    with db.transaction(conn):
        item = _load(conn, _resolve(conn, item_id))
        claim = _claim_or_error(item, claim_id)
        conn.execute("DELETE FROM review_claims WHERE id = ?", (claim.id,))
        _record(conn, item.id, "remove_claim", USER, claim_id=claim.id, before=_claim_json(claim))
        _touch(conn, item.id)


def set_status(ws: Workspace, item_id: str, status: ItemStatus) -> ReviewItem:
    """Approve, reject or reopen (``draft``) an item."""
    if status not in ("draft", "approved", "rejected"):
        raise UsageError(f"unknown status {status!r}: use draft, approved or rejected")
    conn = ws.conn
    with db.transaction(conn):
        item = _load(conn, _resolve(conn, item_id))
        if item.status != status:
            _record(
                conn,
                item.id,
                "set_status",
                USER,
                before=_state(item),
                after={"title": item.title, "status": status},
            )
            _touch(conn, item.id, status=status)
        return _load(conn, _resolve(conn, item.id))
