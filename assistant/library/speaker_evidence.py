"""Re-checking an interview's stored evidence after its speaker roles change."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from assistant import db
from assistant.library.queries import load_transcript

# --------------------------------------------------------------------------- evidence


def recheck_evidence(
    conn: sqlite3.Connection, iid: str, fuzzy_threshold: float | None = None
) -> tuple[int, int]:
    """Verify interview ``iid``'s stored quotes again with its current roles.

    Returns ``(quotes checked, quotes whose status changed)``. Both the
    ``evidence`` rows and the evidence inside the stored buying process are
    updated, and review claims' links to this interview take the new status.
    """
    from assistant.evidence import TranscriptIndex
    from assistant.extract.checked import QuoteChecker

    index = TranscriptIndex(load_transcript(conn, iid))
    if fuzzy_threshold is None:
        from assistant.evidence import DEFAULT_FUZZY_THRESHOLD

        fuzzy_threshold = DEFAULT_FUZZY_THRESHOLD
    checker = QuoteChecker(index, fuzzy_threshold)
    checked = moved = 0
    updates: list[tuple[Any, ...]] = []
    rows = conn.execute(
        "SELECT * FROM evidence WHERE interview_id = ? ORDER BY id", (iid,)
    ).fetchall()
    for r in rows:
        claimed = r["claimed_quote"] or r["quote"]
        ev = checker.check(claimed, r["claimed_speaker"])
        j = ev.to_json()
        checked += 1
        moved += j["status"] != r["status"]
        updates.append(
            (
                j["quote"],
                j["status"],
                j["match"],
                j["score"],
                j["turn"],
                j["speaker"],
                j["role"],
                j["start"],
                j["end"],
                j["reason"],
                r["id"],
            )
        )
    bp_row = conn.execute(
        "SELECT buying_process_json FROM analyses WHERE interview_id = ?", (iid,)
    ).fetchone()
    bp_json = None
    if bp_row is not None and bp_row["buying_process_json"]:
        tree = json.loads(bp_row["buying_process_json"])
        n, m = _recheck_tree(tree, checker)
        checked, moved = checked + n, moved + m
        bp_json = json.dumps(tree, ensure_ascii=False)
    with db.transaction(conn):
        conn.executemany(
            "UPDATE evidence SET quote = ?, status = ?, match = ?, score = ?, turn = ?,"
            " speaker = ?, role = ?, start = ?, end = ?, reason = ? WHERE id = ?",
            updates,
        )
        if bp_json is not None:
            conn.execute(
                "UPDATE analyses SET buying_process_json = ? WHERE interview_id = ?",
                (bp_json, iid),
            )
        _relink_claims(conn, iid)
    return checked, moved


def _recheck_tree(node: Any, checker: Any) -> tuple[int, int]:
    checked = moved = 0
    if isinstance(node, list):
        for item in node:
            n, m = _recheck_tree(item, checker)
            checked, moved = checked + n, moved + m
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence" and isinstance(value, list):
                for k, ev in enumerate(value):
                    fresh = checker.check(
                        ev.get("claimed_quote") or ev["quote"], ev.get("claimed_speaker")
                    ).to_json()
                    checked += 1
                    moved += fresh["status"] != ev.get("status")
                    value[k] = fresh
            else:
                n, m = _recheck_tree(value, checker)
                checked, moved = checked + n, moved + m
    return checked, moved


def _relink_claims(conn: sqlite3.Connection, iid: str) -> None:
    """Give review claims' evidence links to interview ``iid`` the re-checked status and text."""
    fresh: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in conn.execute("SELECT * FROM evidence WHERE interview_id = ?", (iid,)):
        fresh.setdefault((r["owner_id"], r["claimed_quote"] or r["quote"]), []).append(r)
    by_owner: dict[str, list[sqlite3.Row]] = {}
    for (owner, _), rs in fresh.items():
        by_owner.setdefault(owner, []).extend(rs)
    claims = conn.execute(
        "SELECT id, evidence_json FROM review_claims WHERE evidence_json LIKE ?",
        (f'%"{iid}"%',),
    ).fetchall()
    for c in claims:
        links = json.loads(c["evidence_json"])
        touched = False
        for link in links:
            if link.get("interview_id") != iid or not link.get("insight_id"):
                continue
            match = _same_quote(by_owner.get(link["insight_id"], []), link)
            if match is None:
                continue
            new = {
                "quote": match["quote"],
                "status": match["status"],
                "speaker": match["speaker"],
                "turn": match["turn"],
                "start": match["start"],
                "end": match["end"],
            }
            if any(link.get(k) != v for k, v in new.items()):
                link.update(new)
                touched = True
        if touched:
            conn.execute(
                "UPDATE review_claims SET evidence_json = ? WHERE id = ?",
                (json.dumps(links, ensure_ascii=False), c["id"]),
            )


def _same_quote(rows: list[sqlite3.Row], link: dict[str, Any]) -> sqlite3.Row | None:
    quote = link.get("quote")
    for r in rows:
        if quote in (r["quote"], r["claimed_quote"]) or (
            link.get("start") is not None and (link["start"], link["end"]) == (r["start"], r["end"])
        ):
            return r
    return rows[0] if len(rows) == 1 else None
