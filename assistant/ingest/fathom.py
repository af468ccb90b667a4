"""Fathom transcripts: ``@0:00 - Name (email)`` markers.

The copied or downloaded text starts with the meeting title and a ``VIEW
RECORDING - 32 mins`` line, then one marker per turn with the text indented
below it; the Markdown export links the marker and bolds the name::

    0:00 - Dana Whitfield (dana@acme.example)
      Thanks for joining.
    [@0:09](https://fathom.video/calls/1?timestamp=9.3) - **Jane Doe (Acme)**

The parenthesised email or company after the name is not part of the
speaker label. Highlight lines Fathom inserts (``ACTION ITEM: …``,
``👍 REACTION: …``, ``- WATCH: https://…``) are not speech and are dropped,
as are the ``VIEW RECORDING`` line and ``---`` rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import (
    SNIFF_LINES,
    Header,
    header_score,
    name_like,
    parse_headed,
    text_format,
)
from assistant.ingest.textclean import clean_line, clean_text, clock_seconds

_TS = r"\d{1,2}:\d{2}(?::\d{2})?"
_HEADER = re.compile(
    rf"^(?:\[@?(?P<lts>{_TS})\]\([^)]*\)|@?(?P<ts>{_TS}))\s*[-–—]\s+(?P<name>\S.{{0,100}}?)\s*$"
)
_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_VIEW = re.compile(r"^(?:\W*)VIEW RECORDING\b", re.IGNORECASE)
_HIGHLIGHT = re.compile(r"^\W*(?:ACTION ITEMS?|[A-Z]*\s*REACTION|HIGHLIGHT|WATCH)\s*:")


def header(line: str) -> Header | None:
    """``0:00 - Jane Doe (jane@x.io)`` or its Markdown link form → a header, else None.

    The name starts with a capital (or is an email): ``12:30 - that was when…``
    inside someone's words is not a header.
    """
    m = _HEADER.match(line)
    if m is None:
        return None
    seconds = clock_seconds(m["lts"] or m["ts"])
    name = _PAREN.sub("", clean_text(m["name"])).strip() or clean_text(m["name"])
    if seconds is None or not name_like(name) or not (name[0].isupper() or "@" in name):
        return None
    return Header(name, seconds)


def drop(line: str) -> bool:
    """The recording link line and highlight lines, which nobody said."""
    return bool(_VIEW.match(line) or _HIGHLIGHT.match(line))


def sniff(lines: Sequence[str]) -> float:
    """0.95 with two ``@0:00 - Name`` markers (``@`` or a VIEW RECORDING line), else 0.8."""
    score = header_score(lines, header, 0.8)
    head = [clean_line(line) for line in lines[:SNIFF_LINES]]
    if score and any(_VIEW.match(line) or line.startswith(("@", "[@")) for line in head):
        return min(1.0, score + 0.15)
    return score


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse Fathom lines into raw turns."""
    return parse_headed(lines, header, drop=drop, merge=True, export_preamble=True)


FORMAT = text_format(
    "fathom",
    "Fathom: `@0:00 - Name (email)` marker, the words indented below",
    "@0:00 - Dana Whitfield (dana@acme.example)\n  Thanks for making time.",
    sniff,
    parse,
)
