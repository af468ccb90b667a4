"""Verbatim text whose speakers nobody named (captions, Whisper): sentence-sized turns.

Caption cues and ASR segments are cut for the screen, not by speaker or
sentence. :func:`sentence_turns` joins them back into turns of about a
sentence, all spoken by ``Unattributed`` (role unknown; the transcript is
``diarized: false``): a turn ends after a sentence once it holds at least
:data:`MIN_CHARS`, at a pause of :data:`PAUSE_SECONDS` or more, at a
speaker-change mark (a cue line starting ``- `` or ``>>``), or once it passes
:data:`MAX_CHARS` without punctuation (auto-captions have none). A turn's
start is its first piece's start and its end the last piece's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.ingest.base import UNATTRIBUTED, ParsedText, merge_consecutive
from assistant.models import RawTurn

MIN_CHARS = 40
MAX_CHARS = 400
PAUSE_SECONDS = 2.0
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_TURN_MARK = re.compile(r"^\s*(?:-|–|—|>>)\s+")


@dataclass
class Piece:
    """A cue line or segment: its text, times in seconds and whether it opens a new turn."""

    text: str
    start: float | None = None
    end: float | None = None
    new_turn: bool = False


def split_turn_mark(line: str) -> tuple[bool, str]:
    """``- Hello`` / ``>> Hello`` → (True, ``Hello``); other lines → (False, line)."""
    m = _TURN_MARK.match(line)
    return (True, line[m.end() :]) if m else (False, line)


def sentence_turns(pieces: Iterable[Piece]) -> list[RawTurn]:
    """Join pieces into sentence-sized ``Unattributed`` turns."""
    turns: list[RawTurn] = []
    words: list[str] = []
    start: float | None = None
    end: float | None = None
    size = 0

    def flush() -> None:
        nonlocal words, start, end, size
        if words:
            turns.append(RawTurn(speaker=UNATTRIBUTED, text=" ".join(words), start=start, end=end))
        words, start, end, size = [], None, None, 0

    for piece in pieces:
        text = " ".join(piece.text.split())
        if not text:
            continue
        paused = end is not None and piece.start is not None and piece.start - end >= PAUSE_SECONDS
        if piece.new_turn or paused:
            flush()
        if not words:
            start = piece.start
        words.append(text)
        size += len(text) + 1
        end = piece.end if piece.end is not None else end
        if size >= MAX_CHARS or (size >= MIN_CHARS and _SENTENCE_END.search(text)):
            flush()
    flush()
    return turns


SpeakerRow = tuple[str | None, str, float | None, float | None]
"""(speaker or None, text, start, end) of one word, segment or passage of a vendor's JSON."""


def speaker_turns(rows: Sequence[SpeakerRow], unnamed: Callable[[int], str]) -> ParsedText:
    """Vendor rows → turns: rows of one speaker merge; nobody named → sentence-sized turns.

    When no row names a speaker the transcript is verbatim but not diarized
    (:func:`sentence_turns`). Otherwise rows without a speaker become
    ``Unattributed``, counted in the warning ``"{unnamed(n)}: shown as Unattributed"``
    (``unnamed`` words the count: ``lambda n: f"{n} words have no speaker label"``).
    """
    if all(who is None for who, _t, _a, _b in rows):
        pieces = [Piece(text, a, b) for _w, text, a, b in rows]
        return ParsedText(turns=sentence_turns(pieces), diarized=False)
    missing = sum(who is None for who, _t, _a, _b in rows)
    turns = [
        RawTurn(speaker=who or UNATTRIBUTED, text=text, start=a, end=b) for who, text, a, b in rows
    ]
    warnings = [f"{unnamed(missing)}: shown as {UNATTRIBUTED}"] if missing else []
    return ParsedText(turns=merge_consecutive(turns), warnings=warnings)
