"""Speakers of an interview: roles, confidence, names, and fixing them.

Each interview's speaker labels are stored in the ``speakers`` table with
their role, confidence, method (see :mod:`assistant.ingest.roles`), turn
count and, when known, the metadata participant the label is. The user's
choices (roles and names) are kept in ``interviews.speaker_override`` as JSON
and re-applied whenever the file is ingested again.

:func:`set_speakers` applies roles and names in one go: it checks every
label first (nothing is half-applied), refuses while another process is
analysing, re-chunks what changed and re-checks the interview's stored
evidence, reporting how many quotes changed status.

:func:`speaker_names` gives every place that shows a quote the person's
name and title when known, else the label.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant import db
from assistant.chunking import chunk_transcript
from assistant.embeddings import META_KEY, Embedder
from assistant.errors import UsageError
from assistant.ingest.roles import (
    NOTES_SPEAKER,
    REVIEW_CONFIDENCE,
    assign_roles,
    match_label,
    overall,
    same_label,
    speaker_labels,
)
from assistant.library.handle import Library
from assistant.library.queries import get_interview, load_transcript, resolve_interview_id
from assistant.library.records import InterviewDetail
from assistant.library.rows import insert_chunks
from assistant.locking import writes
from assistant.models import Participant, SpeakerAttribution, SpeakerRole, Transcript
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace

ROLE_CHOICES = ("interviewer", "participant", "observer", "unknown")


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


# --------------------------------------------------------------------------- stored rows


def stored_override(row: Mapping[str, Any] | sqlite3.Row | None) -> dict[str, dict[str, str]]:
    """The user's stored choices of an ``interviews`` row: ``{"roles": {}, "names": {}}``."""
    out: dict[str, dict[str, str]] = {"roles": {}, "names": {}}
    if row is None:
        return out
    keys = row.keys()
    if "speaker_override" in keys and row["speaker_override"]:
        data = json.loads(row["speaker_override"])
        out["roles"].update(data.get("roles", {}))
        out["names"].update(data.get("names", {}))
    elif "interviewer_override" in keys and row["interviewer_override"]:
        out["roles"][row["interviewer_override"]] = "interviewer"
        out["roles"]["*"] = "participant"
    return out


def apply_override(transcript: Transcript, override: dict[str, dict[str, str]]) -> Transcript:
    """Detect roles with the user's stored choices for the labels this transcript still has."""
    labels = speaker_labels(transcript.turns)
    roles = {
        match_label(labels, label): SpeakerRole(role)
        for label, role in override["roles"].items()
        if label != "*" and any(same_label(label, s) for s in labels)
    }
    if "*" in override["roles"]:  # an older single-interviewer choice: everyone else answers
        rest = SpeakerRole(override["roles"]["*"])
        roles = {s: roles.get(s, rest) for s in labels}
    return assign_roles(transcript, roles=roles)


def write_speakers(
    conn: sqlite3.Connection, iid: str, transcript: Transcript, names: Mapping[str, str]
) -> None:
    """Replace the ``speakers`` rows of interview ``iid`` (names: chosen label → participant)."""
    conn.execute("DELETE FROM speakers WHERE interview_id = ?", (iid,))
    participants = transcript.meta.participants
    rows = []
    for a in transcript.speaker_roles:
        chosen = next((n for lbl, n in names.items() if same_label(lbl, a.label)), None)
        person = chosen or (p.name if (p := participant_for(a.label, participants)) else None)
        rows.append((iid, a.label, str(a.role), a.confidence, a.method, a.turns, person))
    conn.executemany(
        "INSERT INTO speakers(interview_id, label, role, confidence, method, turns, participant)"
        " VALUES (?,?,?,?,?,?,?)",
        rows,
    )


def read_attributions(conn: sqlite3.Connection, iid: str) -> list[SpeakerAttribution]:
    """The stored attribution of each speaker of interview ``iid``, in speaking order."""
    rows = conn.execute(
        "SELECT s.*, (SELECT MIN(idx) FROM turns t WHERE t.interview_id = s.interview_id"
        " AND t.speaker = s.label) AS first FROM speakers s WHERE s.interview_id = ?"
        " ORDER BY first",
        (iid,),
    ).fetchall()
    return [
        SpeakerAttribution(
            label=r["label"],
            role=SpeakerRole(r["role"]),
            confidence=r["confidence"],
            method=r["method"],
            turns=r["turns"],
        )
        for r in rows
    ]


# --------------------------------------------------------------------------- listing


@dataclass
class SpeakerView:
    """One speaker as `persona speakers ID` shows it."""

    label: str
    role: str
    confidence: float
    method: str
    turns: int
    sample: str
    participant: str | None = None
    shown_as: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class SpeakersReport:
    """The speakers of one interview, and what the last change did."""

    interview_id: str
    title: str
    confidence: float
    method: str
    speakers: list[SpeakerView]
    changed: list[str] = field(default_factory=list)
    evidence_changed: int = 0
    evidence_checked: int = 0
    participants: list[str] = field(default_factory=list)
    """Names of the metadata's participants (what a label can be mapped to)."""

    @property
    def needs_check(self) -> bool:
        return self.confidence < REVIEW_CONFIDENCE

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.interview_id,
            "title": self.title,
            "role_confidence": self.confidence,
            "role_method": self.method,
            "needs_check": self.needs_check,
            "speakers": [s.to_json() for s in self.speakers],
            "changed": self.changed,
            "evidence_checked": self.evidence_checked,
            "evidence_changed": self.evidence_changed,
            "participants": self.participants,
        }


def _sample(texts: list[str], width: int = 100) -> str:
    """A representative line: the longest of the first few turns, cut to ``width``."""
    best = max(texts[:6], key=len) if texts else ""
    return best if len(best) <= width else best[: width - 1].rstrip() + "…"


def speakers_report(ws: Workspace, id_or_prefix: str) -> SpeakersReport:
    """Every speaker of an interview with role, confidence, method, turns and a sample line."""
    iid = resolve_interview_id(ws, id_or_prefix)
    conn = ws.conn
    row = conn.execute(
        "SELECT title, role_confidence, role_method, meta_json FROM interviews WHERE id = ?",
        (iid,),
    ).fetchone()
    texts: dict[str, list[str]] = {}
    for t in conn.execute(
        "SELECT speaker, text FROM turns WHERE interview_id = ? ORDER BY idx", (iid,)
    ):
        texts.setdefault(t["speaker"], []).append(t["text"])
    names = speaker_names(conn, iid)
    views = [
        SpeakerView(
            label=a.label,
            role=a.role.value,
            confidence=a.confidence,
            method=a.method,
            turns=a.turns,
            sample=_sample(texts.get(a.label, [])),
            participant=_participant_of(conn, iid, a.label),
            shown_as=names.get((iid, a.label), a.label),
        )
        for a in read_attributions(conn, iid)
    ]
    people = [p.get("name", "") for p in json.loads(row["meta_json"]).get("participants", [])]
    return SpeakersReport(
        iid,
        row["title"],
        row["role_confidence"],
        row["role_method"],
        views,
        participants=[p for p in people if p],
    )


def _participant_of(conn: sqlite3.Connection, iid: str, label: str) -> str | None:
    r = conn.execute(
        "SELECT participant FROM speakers WHERE interview_id = ? AND label = ?", (iid, label)
    ).fetchone()
    return None if r is None else r["participant"]


@dataclass
class ReviewItem:
    """An interview whose speaker attribution needs a person's check."""

    interview_id: str
    title: str
    confidence: float
    method: str
    unsure: list[str]  # labels below the review confidence

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


def needing_review(ws: Workspace) -> list[ReviewItem]:
    """Verbatim interviews whose attribution confidence is below the review threshold."""
    conn = ws.conn
    rows = conn.execute(
        "SELECT id, title, role_confidence, role_method FROM interviews"
        " WHERE verbatim = 1 AND role_confidence < ? ORDER BY role_confidence, id",
        (REVIEW_CONFIDENCE,),
    ).fetchall()
    out = []
    for r in rows:
        unsure = [
            s["label"]
            for s in conn.execute(
                "SELECT label FROM speakers WHERE interview_id = ? AND confidence < ?"
                " ORDER BY label",
                (r["id"], REVIEW_CONFIDENCE),
            )
        ]
        out.append(ReviewItem(r["id"], r["title"], r["role_confidence"], r["role_method"], unsure))
    return out


def interviews_with_label(ws: Workspace, label: str) -> list[str]:
    """Ids of every interview that has a speaker with this label (case-insensitive)."""
    rows = ws.conn.execute("SELECT DISTINCT interview_id, label FROM speakers ORDER BY 1")
    return [r["interview_id"] for r in rows if same_label(r["label"], label)]


# --------------------------------------------------------------------------- changing


def check_not_analysing(conn: sqlite3.Connection) -> None:
    """Refuse when another live process has a run open (analysis or generation)."""
    cols = {r["name"] for r in conn.execute("PRAGMA table_info(runs)")}
    if "pid" not in cols:
        return
    for r in conn.execute("SELECT id, label, pid FROM runs WHERE status = 'running'"):
        pid = r["pid"]
        if pid and int(pid) != os.getpid() and _alive(int(pid)):
            raise UsageError(
                f"another process (pid {pid}) is running {r['label']!r} (run {r['id']}) in this "
                "workspace: change speakers when it has finished"
            )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def parse_role_flags(
    interviewers: list[str] | None,
    participants: list[str] | None,
    roles: list[str] | None,
) -> dict[str, SpeakerRole]:
    """Collect ``--interviewer``, ``--participant`` and ``--role LABEL=ROLE`` into one map.

    Every value is kept; a label given two different roles raises
    :class:`~assistant.errors.UsageError`.
    """
    pairs: list[tuple[str, str]] = [(x, "interviewer") for x in interviewers or []]
    pairs += [(x, "participant") for x in participants or []]
    for item in roles or []:
        label, sep, role = item.rpartition("=")
        role = role.strip().lower()
        if not sep or not label.strip():
            raise UsageError(f"--role {item!r}: write it as LABEL=ROLE")
        if role not in ROLE_CHOICES:
            raise UsageError(f"--role {item!r}: the role must be one of {', '.join(ROLE_CHOICES)}")
        pairs.append((label.strip(), role))
    out: dict[str, SpeakerRole] = {}
    keys: dict[str, str] = {}
    for label, role in pairs:
        key = " ".join(label.casefold().split())
        if key in keys and out[keys[key]] != SpeakerRole(role):
            raise UsageError(
                f"speaker {keys[key]!r} is given two roles: {out[keys[key]].value} and {role}"
            )
        keys.setdefault(key, label)
        out[keys[key]] = SpeakerRole(role)
    return out


def parse_name_flags(names: list[str] | None) -> dict[str, str]:
    """``--name "Speaker 1=Dana Ortiz"`` (repeatable) into ``{label: participant name}``."""
    out: dict[str, str] = {}
    for item in names or []:
        label, sep, name = item.partition("=")
        if not sep or not label.strip() or not name.strip():
            raise UsageError(f"--name {item!r}: write it as LABEL=PARTICIPANT NAME")
        key = label.strip()
        if key in out and out[key] != name.strip():
            raise UsageError(f"speaker {key!r} is given two names: {out[key]} and {name.strip()}")
        out[key] = name.strip()
    return out


def set_speakers(
    ws: Workspace,
    id_or_prefix: str,
    roles: Mapping[str, SpeakerRole] | None = None,
    names: Mapping[str, str] | None = None,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> SpeakersReport:
    """Set roles and/or participant names of an interview's speakers, all or nothing.

    Every label and name is checked before anything is written. The choices
    are kept and re-applied on re-ingest. Chunks are rebuilt (re-embedding
    only what changed) and the interview's stored evidence is re-checked.
    While another process analyses, it refuses at once (a one-line error)
    instead of waiting for the workspace's write lock.
    """
    ws.check_writable()
    check_not_analysing(ws.conn)
    return _set_speakers(ws, id_or_prefix, roles, names, embedder=embedder, store=store)


@writes("changing speaker roles")
def _set_speakers(
    ws: Workspace,
    id_or_prefix: str,
    roles: Mapping[str, SpeakerRole] | None,
    names: Mapping[str, str] | None,
    *,
    embedder: Embedder | None,
    store: VectorStore | None,
) -> SpeakersReport:
    iid = resolve_interview_id(ws, id_or_prefix)
    conn = ws.conn
    row = conn.execute("SELECT * FROM interviews WHERE id = ?", (iid,)).fetchone()
    transcript = load_transcript(conn, iid)
    labels = speaker_labels(transcript.turns)
    if NOTES_SPEAKER in {t.speaker for t in transcript.turns}:
        labels = [s for s in labels if s != NOTES_SPEAKER]
    fixed = {match_label(labels, label): role for label, role in (roles or {}).items()}
    chosen_names: dict[str, str] = {}
    known = transcript.meta.participants
    for label, name in (names or {}).items():
        target = match_label(labels, label)
        person = next((p for p in known if same_label(p.name, name)), None)
        if person is None:
            listed = ", ".join(p.name for p in known) or "none in this interview's metadata"
            raise UsageError(f"no participant named {name!r} (participants: {listed})")
        chosen_names[target] = person.name
    override = stored_override(row)
    if "*" in override["roles"]:  # make an older single choice explicit per label
        override = {"roles": _explicit(transcript, override), "names": override["names"]}
    override["roles"].update({label: role.value for label, role in fixed.items()})
    override["names"].update(chosen_names)
    updated = apply_override(transcript, override)
    before = {a.label: a.role for a in transcript.speaker_roles}
    changed = [a.label for a in updated.speaker_roles if before.get(a.label) is not a.role]
    _store_roles(ws, iid, updated, override, embedder, store)
    checked, moved = recheck_evidence(conn, iid, _threshold(ws))
    report = speakers_report(ws, iid)
    report.changed = changed + [lbl for lbl in chosen_names if lbl not in changed]
    report.evidence_checked, report.evidence_changed = checked, moved
    return report


def _threshold(ws: Workspace) -> float:
    from assistant.settings import load_settings

    return load_settings(ws.config_data()).extract.fuzzy_threshold


def _explicit(transcript: Transcript, override: dict[str, dict[str, str]]) -> dict[str, str]:
    applied = apply_override(transcript, override)
    return {a.label: a.role.value for a in applied.speaker_roles}


def _store_roles(
    ws: Workspace,
    iid: str,
    transcript: Transcript,
    override: dict[str, dict[str, str]],
    embedder: Embedder | None,
    store: VectorStore | None,
) -> None:
    """Write roles to turns, speakers and chunks; re-embed only chunks that changed."""
    conn = ws.conn
    lib = Library.open(ws, embedder=embedder, store=store)
    new_chunks = chunk_transcript(transcript, iid, lib.settings.ingest.chunk_chars)
    old = {
        r["id"]: bool(r["embedded"])
        for r in conn.execute("SELECT id, embedded FROM chunks WHERE interview_id = ?", (iid,))
    }
    new_ids = {c.id for c in new_chunks}
    to_embed = [c for c in new_chunks if c.embeddable and not old.get(c.id, False)]
    to_update = [c for c in new_chunks if c.embeddable and old.get(c.id, False)]
    to_delete = [i for i, emb in old.items() if emb and (i not in new_ids)]
    to_delete += [c.id for c in new_chunks if not c.embeddable and old.get(c.id, False)]
    if to_embed:
        lib.check_model()
    vectors = lib.embedder.embed([c.text for c in to_embed]) if to_embed else []
    confidence, method = overall(transcript.speaker_roles, transcript.turns)
    with db.transaction(conn):
        conn.execute(
            "UPDATE interviews SET role_confidence = ?, role_method = ?, speaker_override = ?,"
            " interviewer_override = NULL, updated_at = ? WHERE id = ?",
            (confidence, method, json.dumps(override, sort_keys=True), db.now_iso(), iid),
        )
        conn.executemany(
            "UPDATE turns SET role = ? WHERE interview_id = ? AND idx = ?",
            [(str(t.role), iid, t.index) for t in transcript.turns],
        )
        write_speakers(conn, iid, transcript, override["names"])
        conn.execute("DELETE FROM chunks WHERE interview_id = ?", (iid,))
        insert_chunks(conn, new_chunks)
        if to_embed:
            db.set_meta(conn, META_KEY, lib.embedder.name)
        if to_embed or to_update or to_delete:
            lib.store.delete_ids(to_delete)
            lib.store.update_metadata(to_update)
            lib.store.upsert(to_embed, vectors)


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


def set_interviewer(
    ws: Workspace,
    id_or_prefix: str,
    label: str,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> InterviewDetail:
    """Make ``label`` the only interviewer of an interview and every other speaker a
    participant (:func:`set_speakers` is the general form).

    The choice is remembered and applied again when the file is re-ingested.
    """
    ws.check_writable()
    iid = resolve_interview_id(ws, id_or_prefix)
    labels = speaker_labels(load_transcript(ws.conn, iid).turns)
    chosen = match_label(labels, label)
    roles = {s: SpeakerRole.interviewer if s == chosen else SpeakerRole.participant for s in labels}
    set_speakers(ws, iid, roles, embedder=embedder, store=store)
    return get_interview(ws, iid)


def set_role_everywhere(
    ws: Workspace,
    label: str,
    role: SpeakerRole,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> list[SpeakersReport]:
    """Give ``label`` the same role in every interview that has it (one report each).

    Interviews are changed one by one, each all or nothing; the busy check runs
    first so that none is changed while another process analyses.
    """
    ws.check_writable()
    check_not_analysing(ws.conn)
    ids = interviews_with_label(ws, label)
    if not ids:
        raise UsageError(f"no interview has a speaker labelled {label!r}")
    return [set_speakers(ws, iid, {label: role}, embedder=embedder, store=store) for iid in ids]
