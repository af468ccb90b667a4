"""YouTube automatic captions (WebVTT downloaded with the word-timing tags).

Each cue repeats the previous cue's last line and adds a line of new words
with inline word times and ``<c>`` tags; tiny 10 ms cues repeat text again::

    00:00:02.800 --> 00:00:05.190 align:start position:0%
    so today we're
    going<00:00:03.280><c> to</c><00:00:03.520><c> talk</c>

Tags are stripped, a line equal to the last one kept is a rolling duplicate
and skipped, and the remaining lines are joined into sentence-sized
``Unattributed`` turns (auto-captions name nobody: not diarized). Cue times
are kept: a turn starts at the cue that brought its first new line.
"""

from __future__ import annotations

import re

from assistant.errors import ParseError
from assistant.ingest.base import CAPTION_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import Piece, sentence_turns, split_turn_mark
from assistant.ingest.vtt import clean_caption, read_vtt

_WORD_TIME = re.compile(r"<\d{2}:\d{2}:\d{2}\.\d{3}><c[.>]")


def sniff(inp: Input) -> float:
    """0.95 for a WebVTT file with inline word times (``<00:00:00.210><c>``)."""
    head = inp.head.lstrip("\ufeff")
    return 0.95 if head.startswith("WEBVTT") and _WORD_TIME.search(head) else 0.0


def parse(inp: Input) -> ParsedText:
    """Cues → new lines only → sentence-sized unattributed turns."""
    cues, warnings = read_vtt(inp.text, inp.source)
    pieces: list[Piece] = []
    last = ""
    for cue in cues:
        for raw in cue.payload.split("\n"):
            line = clean_caption(raw)
            if not line or line == last:
                continue
            last = line
            new_turn, text = split_turn_mark(line)
            pieces.append(Piece(text, cue.start, cue.end, new_turn))
    turns = sentence_turns(pieces)
    if not turns:
        raise ParseError(inp.source, "no captions with text found in this WebVTT file")
    return ParsedText(turns=turns, diarized=False, warnings=warnings)


FORMAT = Format(
    name="youtube-vtt",
    extensions=CAPTION_FILES,
    summary="YouTube auto-captions: inline `<00:00:01.120><c>` word times, rolling lines",
    example="00:00:02.800 --> 00:00:05.190 align:start position:0%\n"
    "going<00:00:03.280><c> to</c><00:00:03.520><c> talk</c>",
    sniff=sniff,
    parse=parse,
)
