"""SRT subtitles: numbered cues, ``00:00:01,000 --> 00:00:04,000`` timings.

Parsed with webvtt-py; speakers come from ``Name: text`` payloads (or voice
tags), cues without one continue the previous speaker, and consecutive cues
of one speaker are merged, exactly as for WebVTT. Timing lines are checked
first (webvtt-py drops broken cues silently), and a numbered block without a
timing line (a cue index with no timing) is an error too.
"""

from __future__ import annotations

import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from assistant.errors import ParseError
from assistant.ingest.base import CAPTION_FILES, Format, Input, ParsedText
from assistant.ingest.vtt import captions_to_text, check_timings


def _check_blocks(lines: list[str], source: str) -> None:
    block_start: int | None = None
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            if block_start is None:
                block_start = i
            continue
        if block_start is not None:
            head = lines[block_start : min(block_start + 2, i)]
            if lines[block_start].strip().isdigit() and not any("-->" in h for h in head):
                raise ParseError(
                    source,
                    f"line {block_start + 1}: cue has no timing line "
                    "(expected 00:00:01,000 --> 00:00:04,000)",
                )
            block_start = None


def parse_srt(text: str, source: str) -> ParsedText:
    """Parse SRT text into speaker turns."""
    lines = [line.rstrip() for line in text.split("\n")]
    check_timings(lines, source, srt=True)
    _check_blocks(lines, source)
    # webvtt-py's SRT reader wants ',' milliseconds; accept '.' too.
    fixed = [line.replace(".", ",") if "-->" in line else line for line in lines]
    try:
        captions = webvtt.from_buffer(fixed, format="srt").captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise ParseError(source, f"invalid SRT: {exc}") from None
    return captions_to_text(captions, source, "SRT")


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
