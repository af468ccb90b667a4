"""The user's codebook: tags on insights, with counts, renames and merges.

A tag is a short label the user owns (``pricing``, ``onboarding pain``). Tags
are given when a passage is highlighted (:mod:`assistant.highlights`) and
live in ``insight_tags``; a re-extraction never touches them, because only
the user's own insights (highlights) carry them. Names are compared without
case; a tag may not be named like an insight kind (``pain``, ``goal``, …), so
a filter never has to guess which of the two is meant.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from assistant import db
from assistant.errors import UsageError
from assistant.extract.store import StoredInsight, list_insights
from assistant.schemas import InsightKind
from assistant.workspace import Workspace

MAX_TAG_LENGTH = 40


@dataclass(frozen=True)
class TagCount:
    """One tag of the codebook with how much it marks."""

    tag: str
    insights: int
    quotes: int
    interviews: int

    def to_json(self) -> dict[str, object]:
        return {
            "tag": self.tag,
            "insights": self.insights,
            "quotes": self.quotes,
            "interviews": self.interviews,
        }


def check_tag(name: str) -> str:
    """The tag as stored (trimmed, inner spaces collapsed); refuses empty, long or kind names."""
    tag = " ".join(name.split())
    if not tag:
        raise UsageError("a tag needs a name (letters, digits, spaces)")
    if len(tag) > MAX_TAG_LENGTH:
        raise UsageError(f"tag {tag!r} is longer than {MAX_TAG_LENGTH} characters")
    if "," in tag:
        raise UsageError(
            f"tag {tag!r} contains a comma: give each tag on its own (--tag a --tag b)"
        )
    kinds = {k.value for k in InsightKind}
    if tag.casefold().replace(" ", "_") in kinds:
        raise UsageError(
            f"tag {tag!r} is the name of an insight kind ({', '.join(sorted(kinds))}): kinds are "
            f"already a filter (--kind), so name the tag differently (e.g. '{tag} topic')"
        )
    return tag


def check_tags(names: list[str] | tuple[str, ...]) -> list[str]:
    """Checked tags without duplicates (compared without case), in the given order."""
    out: dict[str, str] = {}
    for name in names:
        tag = check_tag(name)
        out.setdefault(tag.casefold(), tag)
    return list(out.values())


def _existing(conn: sqlite3.Connection, tag: str) -> str | None:
    """The stored spelling of ``tag`` (compared without case), or None."""
    row = conn.execute(
        "SELECT tag FROM insight_tags WHERE tag = ? COLLATE NOCASE LIMIT 1", (tag,)
    ).fetchone()
    return None if row is None else str(row[0])


def canonical_tags(conn: sqlite3.Connection, tags: list[str]) -> list[str]:
    """``tags`` spelled as the codebook already spells them (``Pricing`` → ``pricing``)."""
    return [_existing(conn, t) or t for t in tags]


def write_tags(conn: sqlite3.Connection, insight_id: str, tags: list[str]) -> None:
    """Add ``tags`` to one insight (inside the caller's transaction)."""
    conn.executemany(
        "INSERT OR IGNORE INTO insight_tags(insight_id, tag) VALUES (?, ?)",
        [(insight_id, t) for t in canonical_tags(conn, tags)],
    )


def list_tags(ws: Workspace) -> list[TagCount]:
    """Every tag with its insights, verified quotes and interviews, most used first."""
    rows = ws.conn.execute(
        "SELECT t.tag, COUNT(DISTINCT t.insight_id) AS insights, "
        "COUNT(DISTINCT i.interview_id) AS interviews, "
        "(SELECT COUNT(*) FROM evidence e JOIN insight_tags t2 ON t2.insight_id = e.owner_id "
        " WHERE e.owner_type = 'insight' AND e.status = 'verified' AND t2.tag = t.tag) AS quotes "
        "FROM insight_tags t JOIN insights i ON i.id = t.insight_id GROUP BY t.tag"
    ).fetchall()
    counts = [TagCount(r["tag"], r["insights"], r["quotes"], r["interviews"]) for r in rows]
    return sorted(counts, key=lambda c: (-c.insights, c.tag.casefold()))


def _require(conn: sqlite3.Connection, tag: str) -> str:
    found = _existing(conn, tag)
    if found is None:
        names = ", ".join(r[0] for r in conn.execute("SELECT DISTINCT tag FROM insight_tags"))
        raise UsageError(f"no tag {tag!r} (tags: {names or 'none yet'}; see `persona tags`)")
    return found


def rename_tag(ws: Workspace, old: str, new: str) -> TagCount:
    """Rename a tag everywhere; renaming onto another existing tag is a merge (refused here)."""
    conn = ws.conn
    with db.transaction(conn):
        source = _require(conn, old)
        target = check_tag(new)
        other = _existing(conn, target)
        if other is not None and other.casefold() != source.casefold():
            raise UsageError(
                f"tag {other!r} already exists: merge the two with "
                f"`persona tags merge {source!r} --into {other!r}`"
            )
        conn.execute("UPDATE insight_tags SET tag = ? WHERE tag = ?", (target, source))
    return _count(ws, target)


def merge_tags(ws: Workspace, sources: list[str], into: str) -> TagCount:
    """Fold ``sources`` into the tag ``into`` (created when new); the sources disappear."""
    conn = ws.conn
    with db.transaction(conn):
        target = _existing(conn, into) or check_tag(into)
        names = [_require(conn, s) for s in sources]
        if any(n.casefold() == target.casefold() for n in names):
            raise UsageError(f"cannot merge tag {target!r} into itself: name another tag")
        for name in names:
            conn.execute(
                "INSERT OR IGNORE INTO insight_tags(insight_id, tag) "
                "SELECT insight_id, ? FROM insight_tags WHERE tag = ?",
                (target, name),
            )
            conn.execute("DELETE FROM insight_tags WHERE tag = ?", (name,))
    return _count(ws, target)


def _count(ws: Workspace, tag: str) -> TagCount:
    found = next((c for c in list_tags(ws) if c.tag == tag), None)
    return found or TagCount(tag, 0, 0, 0)


def tagged_insights(ws: Workspace, tag: str) -> list[StoredInsight]:
    """The insights carrying ``tag`` (any case), with their quotes."""
    name = _require(ws.conn, tag)
    return [i for i in list_insights(ws.conn) if name in i.tags]
