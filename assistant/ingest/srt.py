"""SRT subtitles: numbered cues, ``00:00:01,000 --> 00:00:04,000`` timings.

Cues are read by ``cues.py`` (``.`` before the milliseconds is accepted too);
speakers come from ``Name: text`` payloads (or voice tags), cues without one
continue the previous speaker, and consecutive cues of one speaker are
merged, exactly as for WebVTT; subtitles that name nobody become
sentence-sized ``Unattributed`` turns (not diarized). A cue number with no
timing line under it is an error.
"""

from __future__ import annotations

import re

from assistant.ingest.base import CAPTION_FILES, Format, Input, ParsedText
from assistant.ingest.cues import read_cues
from assistant.ingest.vtt import captions_to_text


def parse_srt(text: str, source: str) -> ParsedText:
    """Parse SRT text into speaker turns (or unattributed ones)."""
    cues, warnings = read_cues(text.lstrip("\ufeff"), source, srt=True)
    return captions_to_text(cues, warnings, source, "SRT")


_FIRST_CUE = re.compile(
    r"^\ufeff?\s*\d+[ \t]*\r?\n[ \t]*(?:\d{1,10}:)?\d{1,2}:\d{2}(?P<sep>[,.])\d{3}[ \t]+-->"
)


def sniff_srt(inp: Input) -> float:
    """0.8 when the file opens with a numbered cue and an SRT timing line (``,`` before
    the milliseconds); 0.5 for any other .srt file, so that it gets SRT's own errors."""
    m = _FIRST_CUE.match(inp.head.lstrip("\n\r "))
    if m is not None and m["sep"] == ",":
        return 0.8
    return 0.5 if inp.ext == ".srt" or m is not None else 0.0


FORMAT = Format(
    name="srt",
    extensions=CAPTION_FILES,
    summary="SubRip subtitles: numbered cues, `00:00:01,000 --> ...` timings",
    example="00:00:01,000 --> 00:00:04,000\nDana: We moved off spreadsheets last year.",
    sniff=sniff_srt,
    parse=lambda inp: parse_srt(inp.text, inp.source),
)
