"""Who a speaker label is: the metadata participant's name and title, else the label.

Every place that shows a quote asks :func:`speaker_names` / :func:`shown_speaker`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from assistant.ingest.speaker_cues import same_label
from assistant.models import Participant

# --------------------------------------------------------------------------- names


def participant_for(label: str, participants: list[Participant]) -> Participant | None:
    """The metadata participant a label names: same full name, or the only one with that
    first name."""
    for p in participants:
        if same_label(label, p.name):
            return p
    firsts = [p for p in participants if p.name.split() and same_label(label, p.name.split()[0])]
    return firsts[0] if len(firsts) == 1 else None


def display_name(label: str, participant: Participant | None) -> str:
    """``Dana Ortiz (VP Finance)`` when the label is a known participant, else the label."""
    if participant is None:
        return label
    return f"{participant.name} ({participant.title})" if participant.title else participant.name


def speaker_names(conn: sqlite3.Connection, iid: str | None = None) -> dict[tuple[str, str], str]:
    """``(interview id, label) → name shown`` for every label mapped to a participant."""
    sql = (
        "SELECT s.interview_id, s.label, s.participant, i.meta_json FROM speakers s"
        " JOIN interviews i ON i.id = s.interview_id WHERE s.participant IS NOT NULL"
    )
    args: tuple[str, ...] = ()
    if iid is not None:
        sql += " AND s.interview_id = ?"
        args = (iid,)
    out: dict[tuple[str, str], str] = {}
    metas: dict[str, list[Participant]] = {}
    for r in conn.execute(sql, args):
        if r["interview_id"] not in metas:
            meta = json.loads(r["meta_json"])
            metas[r["interview_id"]] = [Participant(**p) for p in meta.get("participants", [])]
        person = next((p for p in metas[r["interview_id"]] if p.name == r["participant"]), None)
        out[(r["interview_id"], r["label"])] = display_name(r["label"], person)
    return out


def shown_speaker(names: Mapping[tuple[str, str], str], iid: str, label: str | None) -> str | None:
    """The name to show for ``label`` of interview ``iid`` (the label when unmapped)."""
    if label is None:
        return None
    return names.get((iid, label), label)
