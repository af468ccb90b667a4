"""Rev and Descript style transcripts: ``Name (00:01:02):``.

The speaker and the turn's start in parentheses, then a colon; the text
follows on the next lines or on the same line::

    Speaker 1 (00:00):
    Thanks for joining.

    Jane Doe (01:02:03): Happy to.

The colon may be missing and the header may be bold (``**Jane Doe
(00:12):**``); meeting-capture extensions write a clock time instead
(``Jane Doe (10:02 AM)``, ``Jane Doe (3/4/2025, 10:02:31 AM)``), kept as
seconds since midnight. See :mod:`assistant.ingest.headed` for title, metadata and
notes handling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import Header, header_score, name_like, parse_headed, text_format
from assistant.ingest.textclean import TIME, clean_name, clock_seconds

_CLOCK = r"(?:\d{1,2}/\d{1,2}/\d{2,4},?\s*)?" + TIME + r"(?:\s*[AaPp]\.?[Mm]\.?)?"
_HEADER = re.compile(
    r"^(?:\*\*|__)?(?P<name>[^()\[\]:*]{1,60}?)\s*[(\[](?P<ts>" + _CLOCK + r")[)\]]"
    r"\s*(?::\s*(?:\*\*|__)?|(?:\*\*|__):?|(?=$))\s*(?P<rest>.*)$"
)


_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s*")


def header(line: str) -> Header | None:
    """``Jane Doe (00:12):`` (text optional after it) → a header, else None."""
    if "(" not in line and "[" not in line:  # cheap test first: the time is bracketed
        return None
    m = _HEADER.match(line)
    if m is None:
        return None
    name = clean_name(m["name"])
    seconds = clock_seconds(_DATE.sub("", m["ts"]))
    if seconds is None or not name_like(name):
        return None
    return Header(name, seconds, m["rest"])


def sniff(lines: Sequence[str]) -> float:
    """0.85 with two or more ``Name (00:00):`` headers."""
    return header_score(lines, header, 0.85)


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse Rev/Descript lines into raw turns."""
    return parse_headed(lines, header, export_preamble=True)


FORMAT = text_format(
    "rev",
    "Rev/Descript: `Name (00:01:02):` then the words, on the same or next line",
    "Speaker 1 (00:00):\nThanks for making time. How do you handle approvals today?",
    sniff,
    parse,
)
