"""Zoom's saved captions (``Save captions`` in a meeting): ``[Name] 11:02:09``.

Each turn starts with the speaker in square brackets and the wall-clock time
(24-hour, or 12-hour with AM/PM); the text follows on the next lines or on
the same line::

    [Dana Whitfield] 11:02:09
    Thanks for joining.
    [Jane Doe] 11:02:15 Happy to.

The start is kept as given: seconds since midnight of that clock time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import Header, header_score, parse_headed, text_format
from assistant.ingest.textclean import clean_name, clock_seconds

_HEADER = re.compile(
    r"^\[(?P<name>[^\]\[]{1,80})\]\s+(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)"
    r"(?:\s*[:-]\s*|\s+|$)(?P<rest>.*)$"
)


def header(line: str) -> Header | None:
    """``[Jane Doe] 11:02:09`` → a header, else None."""
    if not line.startswith("["):  # cheap test first
        return None
    m = _HEADER.match(line)
    if m is None:
        return None
    seconds = clock_seconds(m["ts"])
    name = clean_name(m["name"])
    if seconds is None or not name:
        return None
    return Header(name, seconds, m["rest"])


def sniff(lines: Sequence[str]) -> float:
    """0.9 with two or more ``[Name] hh:mm:ss`` headers."""
    return header_score(lines, header, 0.9)


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse Zoom saved-caption lines into raw turns."""
    return parse_headed(lines, header, merge=True, export_preamble=True)


FORMAT = text_format(
    "zoom-captions",
    "Zoom saved captions: `[Name] 11:02:09` then the words",
    "[Dana Whitfield] 11:02:09\nThanks for making time. How do you handle approvals today?",
    sniff,
    parse,
)
