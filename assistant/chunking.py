"""Chunk a transcript by speaker turn, for embedding and keyword search.

Rules:

- A turn longer than ``max_chars`` is split at sentence boundaries (a single
  sentence longer than the limit is split at word boundaries).
- Short adjacent turns of the *same speaker* are merged while the result stays
  within ``max_chars``. A merged chunk is the contiguous slice of the
  normalised text from the first turn's text to the last turn's text, so it
  includes the ``"\\n\\nLabel: "`` separators between them. That keeps the
  invariant ``transcript.text[c.char_start:c.char_end] == c.text`` for every
  chunk, merged or not.
- ``context`` of a participant (or unknown-role) chunk is the text of the
  nearest preceding interviewer turn: the question it answers. It is stored as
  metadata and never embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import SpeakerRole, Transcript, Turn

# A sentence ends at . ! ? or … (optionally followed by closing quotes or
# brackets) and is followed by whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_CONTEXT_MAX_CHARS = 1000
EMBEDDED_ROLES = frozenset({SpeakerRole.participant, SpeakerRole.unknown})


@dataclass(frozen=True)
class Chunk:
    """A piece of one interview: what is embedded and keyword-indexed."""

    id: str
    interview_id: str
    turn_start: int
    turn_end: int
    speaker: str
    role: SpeakerRole
    char_start: int
    char_end: int
    text: str
    context: str | None = None

    @property
    def embeddable(self) -> bool:
        """Participant and unknown-role chunks are embedded; interviewer ones are not."""
        return self.role in EMBEDDED_ROLES


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, without the whitespace between them."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + len(m.group().rstrip())
        if end > pos:
            spans.append((pos, end))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]


def _hard_split(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into pieces of at most ``max_chars`` at spaces."""
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars + 1)
        if cut <= start:
            cut = start + max_chars
        pieces.append((start, cut))
        start = cut
        while start < end and text[start] == " ":
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def split_text(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Pack sentences of ``text`` into spans of at most ``max_chars`` characters."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    units: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        units.extend(_hard_split(text, s, e, max_chars) if e - s > max_chars else [(s, e)])
    spans: list[tuple[int, int]] = []
    cur_start, cur_end = units[0]
    for s, e in units[1:]:
        if e - cur_start <= max_chars:
            cur_end = e
        else:
            spans.append((cur_start, cur_end))
            cur_start, cur_end = s, e
    spans.append((cur_start, cur_end))
    return spans


def _context(turns: list[Turn], before: int) -> str | None:
    """Text of the nearest interviewer turn before turn index ``before``."""
    for turn in reversed(turns[:before]):
        if turn.role == SpeakerRole.interviewer:
            return turn.text[:_CONTEXT_MAX_CHARS]
    return None


def chunk_transcript(transcript: Transcript, interview_id: str, max_chars: int) -> list[Chunk]:
    """Chunk ``transcript`` by speaker turn (see the module docstring for the rules)."""
    text = transcript.text
    turns = transcript.turns
    # (turn_start, turn_end, char_start, char_end) groups before becoming chunks.
    groups: list[tuple[int, int, int, int]] = []
    i = 0
    while i < len(turns):
        turn = turns[i]
        if len(turn.text) > max_chars:
            for s, e in split_text(turn.text, max_chars):
                groups.append((i, i, turn.char_start + s, turn.char_start + e))
            i += 1
            continue
        j = i
        while (
            j + 1 < len(turns)
            and turns[j + 1].speaker == turn.speaker
            and turns[j + 1].char_end - turn.char_start <= max_chars
        ):
            j += 1
        groups.append((i, j, turn.char_start, turns[j].char_end))
        i = j + 1

    chunks: list[Chunk] = []
    for n, (ts, te, cs, ce) in enumerate(groups):
        first = turns[ts]
        role = first.role
        chunks.append(
            Chunk(
                id=f"{interview_id}:{n:05d}",
                interview_id=interview_id,
                turn_start=first.index,
                turn_end=turns[te].index,
                speaker=first.speaker,
                role=role,
                char_start=cs,
                char_end=ce,
                text=text[cs:ce],
                context=None if role == SpeakerRole.interviewer else _context(turns, ts),
            )
        )
    return chunks
