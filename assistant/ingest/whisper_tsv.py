"""OpenAI Whisper TSV output (``whisper audio.mp3 --output_format tsv``).

A header line ``start<TAB>end<TAB>text``, then one segment per line with
times in whole milliseconds::

    start	end	text
    0	4200	Thanks for joining today.

Whisper names no speakers: segments are joined into sentence-sized
``Unattributed`` turns (not diarized), times kept.
"""

from __future__ import annotations

from assistant.errors import ParseError
from assistant.ingest.base import CAPTION_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import Piece, sentence_turns

HEADER = "start\tend\ttext"


def sniff(inp: Input) -> float:
    """0.95 when the first line is the ``start<TAB>end<TAB>text`` header."""
    first = inp.head.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    return 0.95 if first == HEADER else 0.0


def _ms(value: str, line_no: int, source: str) -> float:
    if not value.strip().isdigit():
        raise ParseError(
            source, f"line {line_no}: expected whole milliseconds, got {value.strip()[:20]!r}"
        )
    return int(value) / 1000


def parse(inp: Input) -> ParsedText:
    """Rows → pieces → sentence-sized unattributed turns."""
    source = inp.source
    lines = inp.lines
    if lines[0].lstrip("\ufeff").strip().lower() != HEADER:
        raise ParseError(source, "line 1: expected the header start<TAB>end<TAB>text")
    pieces: list[Piece] = []
    for i, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.rstrip("\r").split("\t", 2)
        if len(cells) != 3:
            raise ParseError(source, f"line {i}: expected start<TAB>end<TAB>text")
        start, end = _ms(cells[0], i, source), _ms(cells[1], i, source)
        if end < start:
            raise ParseError(source, f"line {i}: segment ends before it starts")
        pieces.append(Piece(cells[2], start, end))
    turns = sentence_turns(pieces)
    if not turns:
        raise ParseError(source, "no segment has text (only the header or timings)")
    return ParsedText(turns=turns, diarized=False)


FORMAT = Format(
    name="whisper-tsv",
    extensions=CAPTION_FILES,
    summary="OpenAI Whisper TSV: `start end text` in milliseconds, no speakers",
    example="start\tend\ttext\n0\t4200\tThanks for joining today.",
    sniff=sniff,
    parse=parse,
)
