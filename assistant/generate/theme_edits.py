"""The user's theme edits: merge two themes, move insights, split a theme off.

Each edit changes the review items at once and is kept in ``theme_edits``
(migration 11), so every later run of the themes step applies it again
(:func:`apply_theme_edits`, after clustering and naming: the naming requests
never change because of an edit):

- **merge** ``A`` into ``B``: ``B`` gains ``A``'s insights and quotes and keeps
  its own name (or the user's, :func:`assistant.review.rename_item`); ``A`` is
  marked rejected with the history action ``merged_into`` and leaves the
  current themes. Merging a theme into itself, into a theme of another kind,
  or a theme already merged away is refused.
- **move** insights from ``A`` to ``B``: on re-runs the insight joins ``B``
  wherever clustering put it, as long as its statement is unchanged (a
  re-extraction that changed it is reported in the themes step's notes and
  the move is not applied).
- **split**: a move into a new theme the user names (key
  ``theme:<kind>:split:<first insight id>``); it stays a theme even when its
  insights come from one interview.

Renaming and approving are the review store's (``rename_item``, ``set_status``)
and are kept across re-runs like every other edit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from assistant import db
from assistant.errors import UsageError
from assistant.generate.common import EvidenceIndex
from assistant.generate.themes import KEYS_META, Cluster, representative_quotes, theme_fields
from assistant.review import USER, ClaimDraft, Origin, ReviewItem
from assistant.review.history import record
from assistant.review.regeneration import rewrite_item
from assistant.review.store import (
    check_version,
    load_item,
    new_item_id,
    resolve_row,
    touch_item,
)
from assistant.text_identity import normalise
from assistant.workspace import Workspace


@dataclass(frozen=True)
class ThemeEdit:
    """One stored edit: ``merge`` (source → target) or ``move`` (an insight → target)."""

    action: str
    target_key: str
    source_key: str | None = None
    insight_id: str | None = None
    statement: str | None = None


def load_theme_edits(conn: sqlite3.Connection) -> list[ThemeEdit]:
    """Every kept edit, oldest first (the order they are applied in)."""
    rows = conn.execute(
        "SELECT action, target_key, source_key, insight_id, statement FROM theme_edits ORDER BY id"
    ).fetchall()
    return [ThemeEdit(*r) for r in rows]


def theme_kind(item: ReviewItem) -> str:
    """The insight kind of a theme item (from its key ``theme:<kind>:…``)."""
    parts = item.key.split(":")
    return parts[1] if len(parts) > 2 else "other"


def members(item: ReviewItem) -> list[str]:
    """The insight ids of a theme item, in the order of its ``insights`` field."""
    ids = [e.insight_id for c in item.fields.get("insights", []) for e in c.evidence]
    return list(dict.fromkeys(i for i in ids if i))


def _central(item: ReviewItem) -> list[str]:
    quoted = [e.insight_id for c in item.fields.get("quotes", []) for e in c.evidence]
    return list(dict.fromkeys([i for i in quoted if i] + members(item)))


def _description(item: ReviewItem) -> str:
    claims = item.fields.get("description", [])
    return claims[0].text if claims else split_description(item.title)


def _theme(conn: sqlite3.Connection, id_or_key: str) -> ReviewItem:
    item = load_item(conn, resolve_row(conn, id_or_key))
    if item.kind != "theme":
        raise UsageError(f"{item.id} is a {item.kind}, not a theme (see `persona review list`)")
    return item


def _merged_into(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute(
        "SELECT target_key FROM theme_edits WHERE action = 'merge' AND source_key = ? "
        "ORDER BY id DESC LIMIT 1",
        (key,),
    ).fetchone()
    return None if row is None else str(row[0])


def _fields(
    description: str, kind: str, ids: Sequence[str], central: Sequence[str], index: EvidenceIndex
) -> dict[str, list[ClaimDraft]]:
    known = [i for i in ids if i in index.insights]
    cluster = Cluster(
        kind,
        [index.insights[i] for i in known],
        known[0] if known else "",
        [i for i in central if i in index.insights],
    )
    quotes = representative_quotes(cluster, index)
    return theme_fields(description, sorted(known), quotes, index)


def _drop_current_key(conn: sqlite3.Connection, key: str) -> None:
    raw = db.get_meta(conn, KEYS_META)
    if raw:
        db.set_meta(conn, KEYS_META, "\n".join(k for k in raw.split("\n") if k != key))


def _add_current_key(conn: sqlite3.Connection, key: str) -> None:
    raw = db.get_meta(conn, KEYS_META)
    keys = raw.split("\n") if raw else []
    if key not in keys:
        db.set_meta(conn, KEYS_META, "\n".join([*keys, key]))


def merge_themes(
    ws: Workspace, source: str, target: str, *, expected_version: int | None = None
) -> ReviewItem:
    """Merge theme ``source`` into ``target`` (ids or keys); returns the merged target.

    ``expected_version`` is the version of ``source`` the user saw."""
    conn = ws.conn
    index = EvidenceIndex.load(ws)
    with db.transaction(conn):
        a, b = _theme(conn, source), _theme(conn, target)
        if a.id == b.id:
            raise UsageError(
                f"cannot merge {a.id} ({a.title!r}) into itself: choose another theme to merge it "
                "into (`persona review list --kind theme`)"
            )
        check_version(conn, a.id, expected_version)
        if (into := _merged_into(conn, a.key)) is not None:
            raise UsageError(f"{a.id} was already merged into {into}")
        if theme_kind(a) != theme_kind(b):
            raise UsageError(
                f"{a.id} is a {theme_kind(a)} theme and {b.id} a {theme_kind(b)} theme: merge "
                "themes of one kind (or move single insights with `persona review move`)"
            )
        ids = members(b) + [i for i in members(a) if i not in members(b)]
        central = _central(b) + [i for i in _central(a) if i not in _central(b)]
        fields = _fields(_description(b), theme_kind(b), ids, central, index)
        rewrite_item(conn, b, fields, "merge_theme", {"merged": a.id})
        record(conn, a.id, "merged_into", USER, before={"status": a.status}, after={"into": b.id})
        touch_item(conn, a.id, status="rejected")
        conn.execute(
            "INSERT INTO theme_edits(action, source_key, target_key, created_at) "
            "VALUES ('merge', ?, ?, ?)",
            (a.key, b.key, db.now_iso()),
        )
        _drop_current_key(conn, a.key)
        return load_item(conn, resolve_row(conn, b.id))


def move_insights(
    ws: Workspace,
    source: str,
    insight_ids: Sequence[str],
    *,
    target: str | None = None,
    title: str | None = None,
    expected_version: int | None = None,
) -> tuple[ReviewItem, ReviewItem]:
    """Move insights of theme ``source`` into theme ``target``, or into a new theme ``title``
    (a split). Returns (source, target) as they are now."""
    if (target is None) == (title is None or not title.strip()):
        raise UsageError("say where the insights go: another theme (--to) or a new one (--title)")
    if not insight_ids:
        raise UsageError("name at least one insight to move (--insight; see `persona review show`)")
    conn = ws.conn
    index = EvidenceIndex.load(ws)
    with db.transaction(conn):
        a = _theme(conn, source)
        check_version(conn, a.id, expected_version)
        held = members(a)
        missing = [i for i in insight_ids if i not in held]
        if missing:
            raise UsageError(
                f"{a.id} does not hold {', '.join(missing)} (its insights: {', '.join(held)})"
            )
        moving = list(dict.fromkeys(insight_ids))
        left = [i for i in held if i not in moving]
        if not left:
            raise UsageError(
                f"that moves every insight of {a.id}: merge the theme instead (`persona review "
                "merge`)"
            )
        kind = theme_kind(a)
        if target is not None:
            b = _theme(conn, target)
            if b.id == a.id:
                raise UsageError(f"the insights are already in {a.id}: choose another theme")
            if theme_kind(b) != kind:
                raise UsageError(f"{b.id} is a {theme_kind(b)} theme, not a {kind} theme")
        else:
            assert title is not None
            b = _new_theme(conn, kind, moving[0], title)
        a_central = [i for i in _central(a) if i not in moving]
        rewrite_item(
            conn,
            a,
            _fields(_description(a), kind, left, a_central, index),
            "move_insights",
            {"moved": moving, "to": b.id},
        )
        b_ids = members(b) + [i for i in moving if i not in members(b)]
        b_central = _central(b) + [i for i in moving if i not in _central(b)]
        rewrite_item(
            conn,
            b,
            _fields(_description(b), kind, b_ids, b_central, index),
            "move_insights",
            {"moved": moving, "from": a.id},
        )
        for iid in moving:
            conn.execute(
                "INSERT INTO theme_edits(action, source_key, target_key, insight_id, statement, "
                "created_at) VALUES ('move', ?, ?, ?, ?, ?)",
                (a.key, b.key, iid, index.insights[iid].statement, db.now_iso()),
            )
        _add_current_key(conn, b.key)
        return load_item(conn, resolve_row(conn, a.id)), load_item(conn, resolve_row(conn, b.id))


def _new_theme(conn: sqlite3.Connection, kind: str, first: str, title: str) -> ReviewItem:
    title = " ".join(title.split())
    key = f"theme:{kind}:split:{first}"
    if conn.execute("SELECT 1 FROM review_items WHERE key = ?", (key,)).fetchone():
        raise UsageError(f"a theme split off at {first} exists already ({key}): move to it (--to)")
    now = db.now_iso()
    iid = new_item_id(conn, "theme", key)
    origin = Origin(source="user")
    conn.execute(
        "INSERT INTO review_items(id, kind, key, title, status, origin_json, created_at, "
        "updated_at, user_title) VALUES (?, 'theme', ?, ?, 'draft', ?, ?, ?, ?)",
        (iid, key, title, origin.model_dump_json(), now, now, title),
    )
    record(conn, iid, "create", USER, after={"title": title, "status": "draft", "fields": []})
    return load_item(conn, resolve_row(conn, iid))


def split_description(title: str) -> str:
    """The description of a theme the user split off (the same on every re-run)."""
    return f"{title}: insights you moved into their own theme."


@dataclass
class EditedClusters:
    """Clusters after the user's edits, with the names to use and what could not be applied."""

    themes: list[Cluster]
    names: dict[str, tuple[str, str]]
    notes: list[str]


def apply_theme_edits(
    ws: Workspace,
    clusters: Sequence[Cluster],
    themes: Sequence[Cluster],
    names: dict[str, tuple[str, str]],
) -> EditedClusters:
    """Apply every kept edit to a fresh clustering (``themes``: the clusters that are themes).

    Merges fold the source cluster into the target (or give the source the
    target's key when clustering did not make the target again); moves take
    an insight from wherever it is into its target; split themes are made
    again from their moved insights. Edits that no longer apply are notes.
    """
    edits = load_theme_edits(ws.conn)
    names = dict(names)
    if not edits:
        return EditedClusters(list(themes), names, [])
    by_key = {c.key: Cluster(c.kind, list(c.members), c.anchor, list(c.central)) for c in clusters}
    theme_keys = [c.key for c in themes]
    notes: list[str] = []
    for edit in edits:
        if edit.action == "merge" and edit.source_key in by_key:
            src = by_key.pop(edit.source_key)
            if edit.target_key in by_key:
                dst = by_key[edit.target_key]
                dst.members += [m for m in src.members if m not in dst.members]
                dst.central += [i for i in src.central if i not in dst.central]
            else:
                src.fixed_key = edit.target_key
                by_key[edit.target_key] = src
                names.setdefault(edit.target_key, names.get(edit.source_key, ("", "")))
                theme_keys.append(edit.target_key)
        elif edit.action == "move":
            _apply_move(ws, by_key, edit, names, theme_keys, notes)
    kept = [k for k in dict.fromkeys(theme_keys) if k in by_key and by_key[k].members]
    return EditedClusters([by_key[k] for k in kept], names, notes)


def _apply_move(
    ws: Workspace,
    by_key: dict[str, Cluster],
    edit: ThemeEdit,
    names: dict[str, tuple[str, str]],
    theme_keys: list[str],
    notes: list[str],
) -> None:
    holder = next(
        (c for c in by_key.values() if any(m.id == edit.insight_id for m in c.members)), None
    )
    insight = None if holder is None else next(m for m in holder.members if m.id == edit.insight_id)
    if (
        insight is None
        or holder is None
        or normalise(insight.statement) != normalise(edit.statement or "")
    ):
        notes.append(
            f"your move of insight {edit.insight_id} to {edit.target_key} was not applied: the "
            "insight changed or is gone after re-extraction (move it again in the app or with "
            "`persona review move`)"
        )
        return
    if holder.key == edit.target_key:
        return
    dst = by_key.get(edit.target_key)
    if dst is None:
        if ":split:" not in edit.target_key:
            notes.append(
                f"your move of insight {edit.insight_id} was not applied: its theme "
                f"{edit.target_key} is not among this run's themes"
            )
            return
        row = ws.conn.execute(
            "SELECT title FROM review_items WHERE key = ?", (edit.target_key,)
        ).fetchone()
        title = row[0] if row else "Split theme"
        dst = Cluster(holder.kind, [], insight.id, [], fixed_key=edit.target_key)
        by_key[edit.target_key] = dst
        names[edit.target_key] = (title, split_description(title))
        theme_keys.append(edit.target_key)
    holder.members = [m for m in holder.members if m.id != insight.id]
    holder.central = [i for i in holder.central if i != insight.id]
    dst.members.append(insight)
    dst.central.append(insight.id)
