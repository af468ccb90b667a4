"""Each quote of the evidence appendix in its place: the turn that holds it, with the
turns around it, so a reader sees what was asked and what followed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.library.speaker_names import shown_speaker

if TYPE_CHECKING:  # data.py imports this module
    from assistant.export.data import QuoteRef

AROUND = 1
"""Turns shown before and after the quote's turn."""


@dataclass(frozen=True)
class ContextTurn:
    """One transcript turn near a quote; ``mark`` is the quote's span inside ``text``."""

    index: int
    speaker: str
    role: str
    text: str
    mark: tuple[int, int] | None = None


def _turn_of(ref: QuoteRef, rows: list[sqlite3.Row]) -> int | None:
    """Position in ``rows`` of the turn holding the quote: by location, else by turn number."""
    if ref.start is not None:
        for pos, r in enumerate(rows):
            if r["char_start"] <= ref.start < r["char_end"]:
                return pos
    if ref.turn is not None:
        for pos, r in enumerate(rows):
            if r["idx"] == ref.turn:
                return pos
    return None


def load_quote_context(
    conn: sqlite3.Connection,
    quotes: Iterable[QuoteRef],
    names: Mapping[tuple[str, str], str] | None = None,
    around: int = AROUND,
) -> dict[int, list[ContextTurn]]:
    """Quote number -> its turn and ``around`` turns either side (absent when not located)."""
    by_interview: dict[str, list[QuoteRef]] = {}
    for ref in quotes:
        by_interview.setdefault(ref.interview_id, []).append(ref)
    out: dict[int, list[ContextTurn]] = {}
    for iid, refs in by_interview.items():
        rows = conn.execute(
            "SELECT idx, speaker, role, text, char_start, char_end FROM turns "
            "WHERE interview_id = ? ORDER BY idx",
            (iid,),
        ).fetchall()
        for ref in refs:
            pos = _turn_of(ref, rows)
            if pos is None:
                continue
            turns = []
            for r in rows[max(0, pos - around) : pos + around + 1]:
                mark = None
                if r is rows[pos] and ref.start is not None and ref.end is not None:
                    lo, hi = ref.start - r["char_start"], ref.end - r["char_start"]
                    mark = (lo, min(hi, len(r["text"])))
                speaker = shown_speaker(names or {}, iid, r["speaker"]) or r["speaker"]
                turns.append(ContextTurn(r["idx"], speaker, r["role"], r["text"], mark))
            out[ref.number] = turns
    return out
