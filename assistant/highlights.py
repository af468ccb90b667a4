"""Highlights: a passage the user marks in a transcript, made an insight "added by you".

A highlight is one span inside **one turn** (a quote is one person's words, so
a passage running into the next speaker's turn is refused). The span is given
as character offsets inside the turn's text, or as a quote the turn contains,
or it is the whole turn. The quote stored is the transcript's own text at the
span, checked by :func:`assistant.evidence.verify_quote` like every model
quote: a participant's words in a verbatim transcript are ``verified``
evidence; an interviewer's turn is refused (insights quote the people
interviewed); a turn of an unassigned speaker is kept as ``unattributed`` and
notes as ``note`` (shown, never counted), each with a warning.

The insight is stored with ``origin = 'user'`` (model ``user``): a
re-extraction keeps it, its evidence and its tags (:mod:`assistant.extract.store`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from assistant import db
from assistant.errors import UsageError
from assistant.evidence import verify_quote
from assistant.evidence.normalize import normalize_text
from assistant.extract.store import StoredInsight, list_insights
from assistant.locking import writes
from assistant.models import EvidenceStatus, SpeakerRole, Transcript, Turn
from assistant.review.models import EvidenceLink
from assistant.schemas import InsightKind
from assistant.tags import check_tags, write_tags
from assistant.workspace import Workspace

USER_MODEL = "user"
"""The ``model`` column of an insight the user added (its provenance: you)."""
_WORD = re.compile(r"\S+")


@dataclass
class Highlight:
    """What :func:`add_highlight` stored, and what the user should know about it."""

    insight: StoredInsight
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"insight": self.insight.to_json(), "warnings": self.warnings}


def _turn(iid: str, transcript: Transcript, index: int) -> Turn:
    turn = next((t for t in transcript.turns if t.index == index), None)
    if turn is None:
        last = transcript.turns[-1].index if transcript.turns else -1
        raise UsageError(f"{iid} has no turn {index} (turns 0–{last}; see `persona show {iid}`)")
    return turn


def _who(turn: Turn) -> str:
    return f"turn {turn.index} ({turn.speaker}, {turn.role})"


def _across(transcript: Transcript, turn: Turn, overflow: str) -> UsageError:
    nxt = next((t for t in transcript.turns if t.index > turn.index), None)
    into = f" into {_who(nxt)}" if nxt is not None else " past the end of the transcript"
    return UsageError(
        f"the passage runs from {_who(turn)}{into} {overflow}: one turn per quote — a quote is "
        "one person's words, so highlight each turn on its own"
    )


def _span_of_quote(transcript: Transcript, turn: Turn, quote: str) -> tuple[int, int]:
    """Offsets of ``quote`` inside ``turn.text`` (exact, else ignoring case and spacing)."""
    at = turn.text.find(quote.strip())
    if at >= 0:
        return at, at + len(quote.strip())
    wanted = normalize_text(quote)
    if not wanted:
        raise UsageError("the quote is empty: give the words to highlight")
    words = [(m.start(), m.end()) for m in _WORD.finditer(turn.text)]
    for i in range(len(words)):
        for j in range(i, len(words)):
            piece = turn.text[words[i][0] : words[j][1]]
            norm = normalize_text(piece)
            if norm == wanted:
                return words[i][0], words[j][1]
            if len(norm) > len(wanted):
                break
    for other in transcript.turns:
        if other.index == turn.index + 1 or other.index == turn.index - 1:
            pair = sorted((turn, other), key=lambda t: t.index)
            joined = normalize_text(pair[0].text + " " + pair[1].text)
            if wanted in joined:
                raise _across(transcript, pair[0], "(the quote spans both turns)")
    result = verify_quote(transcript, quote, expected_role=None)
    where = f"; it is in turn {result.turn}" if result.turn is not None else ""
    raise UsageError(
        f"{_who(turn)} does not contain {quote!r}{where}: give the turn the words are in, "
        "or --start/--end offsets inside the turn"
    )


def _span(
    transcript: Transcript,
    turn: Turn,
    start: int | None,
    end: int | None,
    quote: str | None,
) -> tuple[int, int]:
    """The span inside the turn's text that the user marked."""
    if quote is not None:
        if start is not None or end is not None:
            raise UsageError("give either --quote or --start/--end, not both")
        return _span_of_quote(transcript, turn, quote)
    a = 0 if start is None else start
    b = len(turn.text) if end is None else end
    if a < 0 or b < 0:
        raise UsageError("--start and --end count characters from the turn's start: use 0 or more")
    if b > len(turn.text):
        raise _across(
            transcript, turn, f"(--end {b} is past the turn's {len(turn.text)} characters)"
        )
    if b <= a:
        raise UsageError(f"the passage is empty: --end ({b}) must be after --start ({a})")
    while a < b and turn.text[a].isspace():
        a += 1
    while b > a and turn.text[b - 1].isspace():
        b -= 1
    if a == b:
        raise UsageError("the passage holds only spaces: mark some words")
    return a, b


def _check_speaker(turn: Turn) -> None:
    if turn.role is SpeakerRole.interviewer:
        raise UsageError(
            f"{_who(turn)} is the interviewer's: an insight quotes what a participant said "
            "(if the roles are wrong, fix them with `persona speakers`)"
        )


def _next_id(conn: sqlite3.Connection, iid: str) -> tuple[str, int]:
    n = 1
    for (oid,) in conn.execute(
        "SELECT id FROM insights WHERE interview_id = ? AND origin = 'user'", (iid,)
    ):
        tail = str(oid).rsplit(":u", 1)[-1]
        if tail.isdigit():
            n = max(n, int(tail) + 1)
    pos = conn.execute(
        "SELECT COALESCE(MAX(position), 0) FROM insights WHERE interview_id = ?", (iid,)
    ).fetchone()[0]
    return f"{iid}:u{n}", int(pos) + 1


def check_kind(kind: str) -> str:
    """The insight kind, or a usage error listing the kinds."""
    value = kind.strip().casefold().replace(" ", "_").replace("-", "_")
    kinds = [k.value for k in InsightKind]
    if value not in kinds:
        raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(kinds)}")
    return value


@dataclass
class Passage:
    """A located span of one turn: the transcript's own words and what they count as."""

    interview_id: str
    turn: Turn
    start: int
    """Offset in the transcript's text (the evidence ``start``)."""
    end: int
    words: str
    status: EvidenceStatus
    warnings: list[str] = field(default_factory=list)

    def evidence_link(self, insight_id: str | None = None) -> EvidenceLink:
        """The passage as a review claim's evidence link."""
        return EvidenceLink(
            interview_id=self.interview_id,
            insight_id=insight_id,
            quote=self.words,
            speaker=self.turn.speaker,
            turn=self.turn.index,
            start=self.start,
            end=self.end,
            status=self.status,
        )


def locate_passage(
    ws: Workspace,
    interview_id: str,
    turn: int,
    *,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
) -> Passage:
    """The passage of turn ``turn`` the user marked (see :func:`add_highlight` for the rules)."""
    from assistant.library import get_interview

    detail = get_interview(ws, interview_id)
    iid, transcript = detail.summary.id, detail.transcript
    marked = _turn(iid, transcript, turn)
    a, b = _span(transcript, marked, start, end, quote)
    _check_speaker(marked)
    words = marked.text[a:b]
    checked = verify_quote(transcript, words, expected_role=None)
    if checked.turn is None:
        raise UsageError(
            f"the passage could not be located in the transcript ({checked.reason}): "
            "nothing was saved"
        )
    status = _status(transcript, marked)
    warnings = []
    if status is EvidenceStatus.unattributed:
        warnings.append(
            f"{_who(marked)}: nobody said who this speaker is, so the quote is kept as "
            "unattributed and does not count as evidence until `persona speakers` assigns them"
        )
    elif status is EvidenceStatus.note:
        warnings.append(
            f"{iid} is interviewer notes, not verbatim: the quote is kept as a note and never "
            "counts as evidence"
        )
    at = marked.char_start
    return Passage(iid, marked, at + a, at + b, words, status, warnings)


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def find_passages(ws: Workspace, words: str, limit: int = 30) -> list[Passage]:
    """Transcript passages holding every word of ``words`` (without case), to link to a claim.

    Each is the sentence of a non-interviewer turn holding the words (the whole turn when no
    one sentence holds them all); its status says whether it counts as evidence.
    """
    from assistant.library import get_interview, list_interviews

    terms = [w for w in words.casefold().split() if w]
    found: list[Passage] = []
    if not terms:
        return found
    for summary in list_interviews(ws):
        transcript = get_interview(ws, summary.id).transcript
        for turn in transcript.turns:
            text = turn.text.casefold()
            if turn.role is SpeakerRole.interviewer or not all(t in text for t in terms):
                continue
            spans = [m.span() for m in _SENTENCE.finditer(turn.text)]
            a, b = next(
                ((x, y) for x, y in spans if all(t in text[x:y] for t in terms)),
                (0, len(turn.text)),
            )
            found.append(locate_passage(ws, summary.id, turn.index, start=a, end=b))
            if len(found) >= limit:
                return found
    return found


@writes("highlighting")
def add_highlight(
    ws: Workspace,
    interview_id: str,
    *,
    turn: int,
    kind: str,
    statement: str,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
) -> Highlight:
    """Make the marked passage of turn ``turn`` an insight added by the user.

    ``start``/``end`` are character offsets inside the turn's text (end
    exclusive; default: the whole turn); ``quote`` finds the words in the
    turn instead. Refused (``UsageError``, nothing stored): a passage crossing
    into another turn, an interviewer's turn, an unknown kind, an empty
    statement, a tag named like a kind.
    """
    kind = check_kind(kind)
    if not statement.strip():
        raise UsageError("the insight needs a statement: say what the passage shows")
    wanted_tags = check_tags(list(tags))
    passage = locate_passage(ws, interview_id, turn, start=start, end=end, quote=quote)
    iid, marked = passage.interview_id, passage.turn
    from assistant.library import get_interview

    transcript = get_interview(ws, iid).transcript
    conn = ws.conn
    with db.transaction(conn):
        oid, position = _next_id(conn, iid)
        conn.execute(
            "INSERT INTO insights(id, interview_id, position, kind, statement, intensity,"
            " metric_json, speaker, dmu_role, model, prompt_version, fixture, created_at, origin)"
            " VALUES (?,?,?,?,?,NULL,NULL,?,?,?,'',0,?,'user')",
            (
                oid,
                iid,
                position,
                kind,
                statement.strip(),
                marked.speaker,
                _dmu_role(conn, iid, transcript, marked),
                USER_MODEL,
                db.now_iso(),
            ),
        )
        conn.execute(
            "INSERT INTO evidence(interview_id, owner_type, owner_id, position, quote,"
            " claimed_quote, claimed_speaker, status, match, score, turn, speaker, role, start,"
            " end, reason) VALUES (?,'insight',?,0,?,?,?,?,'exact',100,?,?,?,?,?,?)",
            (
                iid,
                oid,
                passage.words,
                passage.words,
                marked.speaker,
                passage.status.value,
                marked.index,
                marked.speaker,
                marked.role.value,
                passage.start,
                passage.end,
                passage.warnings[0] if passage.warnings else None,
            ),
        )
        write_tags(conn, oid, wanted_tags)
    stored = next(i for i in list_insights(conn, iid) if i.id == oid)
    return Highlight(stored, passage.warnings)


def _status(transcript: Transcript, turn: Turn) -> EvidenceStatus:
    if not transcript.verbatim:
        return EvidenceStatus.note
    if turn.role is SpeakerRole.unknown:
        return EvidenceStatus.unattributed
    return EvidenceStatus.verified


def _dmu_role(conn: sqlite3.Connection, iid: str, transcript: Transcript, turn: Turn) -> str | None:
    """The DMU role the metadata gives the speaker of ``turn``: the participant the speaker
    label is mapped to, else the one of that name, else the only participant."""
    row = conn.execute(
        "SELECT participant FROM speakers WHERE interview_id = ? AND label = ?",
        (iid, turn.speaker),
    ).fetchone()
    names = {turn.speaker.casefold()} | ({row[0].casefold()} if row and row[0] else set())
    people = transcript.meta.participants
    match = [p for p in people if p.name.casefold() in names] or (
        people if len(people) == 1 else []
    )
    role = match[0].dmu_role if match else None
    return None if role is None else role.value


@writes("removing a highlight")
def remove_highlight(ws: Workspace, insight_id: str) -> StoredInsight:
    """Delete an insight the user added (model insights are replaced by re-extraction only)."""
    conn = ws.conn
    row = conn.execute("SELECT origin, interview_id FROM insights WHERE id = ?", (insight_id,))
    found = row.fetchone()
    if found is None:
        raise UsageError(f"no insight {insight_id!r} (see `persona insights`)")
    if found["origin"] != "user":
        raise UsageError(
            f"{insight_id} was extracted by the model, not added by you: only highlights can be "
            "removed (re-run `persona extract` to replace the model's insights)"
        )
    insight = next(i for i in list_insights(conn, found["interview_id"]) if i.id == insight_id)
    with db.transaction(conn):
        conn.execute(
            "DELETE FROM evidence WHERE owner_type = 'insight' AND owner_id = ?", (insight_id,)
        )
        conn.execute("DELETE FROM insights WHERE id = ?", (insight_id,))
    return insight
