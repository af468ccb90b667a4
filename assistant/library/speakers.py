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

Names live in :mod:`.speaker_names`, the stored rows in :mod:`.speaker_rows`,
the report and review list in :mod:`.speaker_listing` and the evidence
re-check in :mod:`.speaker_evidence`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping

from assistant import db
from assistant.chunking import chunk_transcript
from assistant.embeddings import META_KEY, Embedder
from assistant.errors import UsageError
from assistant.ingest.roles import overall
from assistant.ingest.speaker_cues import NOTES_SPEAKER, match_label, same_label, speaker_labels
from assistant.library.handle import Library
from assistant.library.queries import get_interview, load_transcript, resolve_interview_id
from assistant.library.records import InterviewDetail
from assistant.library.rows import insert_chunks
from assistant.library.speaker_evidence import recheck_evidence
from assistant.library.speaker_listing import SpeakersReport, interviews_with_label, speakers_report
from assistant.library.speaker_rows import (
    apply_override,
    stored_override,
    write_speakers,
)
from assistant.locking import writes
from assistant.models import SpeakerRole, Transcript
from assistant.vectorstore import VectorStore
from assistant.workspace import Workspace

ROLE_CHOICES = ("interviewer", "participant", "observer", "unknown")


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
