"""Otter.ai text exports.

Each turn starts with a header line holding the speaker and a timestamp,
separated by two or more spaces (or a tab), and the text follows on the next
lines until the next header::

    Speaker 1  0:03
    Thanks for joining.

    Jane Doe  1:02:03
    Happy to.

The timestamp becomes the turn's start. A trailing ``Transcribed by
https://otter.ai`` line is dropped; a single short line before the first
header is the title, other text there is kept as a ``Notes`` turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import TEXT_FILES, Format, Input, ParsedText, timestamp_seconds
from assistant.ingest.roles import NOTES_SPEAKER
from assistant.models import RawTurn

_HEADER = re.compile(
    r"^(?P<name>\S[^\t]{0,59}?)(?: {2,}|\t+)(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2})[ \t]*$"
)
_TRAILER = re.compile(r"^transcribed by\s+https?://(?:www\.)?otter\.ai\S*$", re.IGNORECASE)


def _header(line: str) -> tuple[str, float] | None:
    if len(line) > 90:
        return None
    m = _HEADER.match(line.strip())
    if m is None:
        return None
    seconds = timestamp_seconds(m["ts"])
    if seconds is None:
        return None
    return m["name"].strip(), seconds


def looks_like_otter(lines: Sequence[str]) -> bool:
    """At least two header lines, and more than one turn's worth of them is headers."""
    headers = 0
    for line in lines:
        if _header(line) is not None:
            headers += 1
            if headers >= 2:
                return True
    return False


def parse_otter(lines: Sequence[str]) -> ParsedText:
    """Parse Otter export lines into raw turns."""
    preamble: list[str] = []
    turns: list[RawTurn] = []
    speaker: str | None = None
    start: float | None = None
    body: list[str] = []
    for raw in lines:
        line = raw.strip()
        if _TRAILER.match(line):
            continue
        head = _header(line)
        if head is not None:
            if speaker is not None:
                turns.append(RawTurn(speaker=speaker, text="\n".join(body), start=start))
            speaker, start = head
            body = []
        elif speaker is None:
            if line:
                preamble.append(line)
        else:
            body.append(line)
    if speaker is not None:
        turns.append(RawTurn(speaker=speaker, text="\n".join(body), start=start))
    title: str | None = None
    if len(preamble) == 1 and len(preamble[0]) <= 100:
        title = preamble[0]
    elif preamble:
        turns.insert(0, RawTurn(speaker=NOTES_SPEAKER, text="\n".join(preamble)))
    return ParsedText(turns=turns, title=title)


def sniff_otter(inp: Input) -> float:
    """0.9 when two ``Name  0:03`` header lines appear in the first few KB."""
    return 0.9 if looks_like_otter(inp.head_lines) else 0.0


FORMAT = Format(
    name="otter",
    extensions=TEXT_FILES,
    summary="Otter.ai export: `Name  0:03` header line, the words below",
    example="Speaker 1  0:03\nThanks for joining today.",
    sniff=sniff_otter,
    parse=lambda inp: parse_otter(inp.lines),
)
