"""Granola transcripts: ``### You (2025-09-08T13:01:21Z)`` headings.

Each turn is a Markdown heading with the speaker (``You`` for the recorder,
``Guest`` or a name for the others) and an ISO 8601 time; the text follows::

    # Transcript for: Acme discovery call
    **Date:** 2025-09-08
    ### You (2025-09-08T13:01:21Z)
    Thanks for joining.

``**Key:** value`` lines before the first turn are metadata, not speakers.
Starts are seconds since midnight (UTC as written) of the first turn's day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import Header, header_score, name_like, parse_headed, text_format
from assistant.ingest.textclean import clean_name

_HEADER = re.compile(
    r"^(?:#{1,6}\s+|\*\*|__)?(?P<name>[^()#*]{1,60}?)\s*(?:\*\*|__)?\s*"
    r"\((?P<iso>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)\)"
    r"\s*(?:\*\*|__)?:?\s*$"
)


def _instant(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


def _header_with_day(line: str) -> tuple[str, datetime] | None:
    if "(" not in line:  # cheap test first: the time is in parentheses
        return None
    m = _HEADER.match(line)
    if m is None:
        return None
    name = clean_name(m["name"])
    instant = _instant(m["iso"])
    if instant is None or not name_like(name):
        return None
    return name, instant


def header(line: str) -> Header | None:
    """``### You (2025-09-08T13:01:21Z)`` → a header (start: seconds into that day)."""
    found = _header_with_day(line)
    if found is None:
        return None
    name, instant = found
    midnight = instant.replace(hour=0, minute=0, second=0, microsecond=0)
    return Header(name, (instant - midnight).total_seconds())


def sniff(lines: Sequence[str]) -> float:
    """0.95 with two or more ``### Name (ISO time)`` headings."""
    return header_score(lines, header, 0.95)


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse Granola lines into raw turns, starts counted from the first turn's midnight."""
    first: datetime | None = None
    for line in lines:
        found = _header_with_day(line.strip())
        if found is not None:
            first = found[1].replace(hour=0, minute=0, second=0, microsecond=0)
            break

    def day_header(line: str) -> Header | None:
        found = _header_with_day(line)
        if found is None:
            return None
        if first is None:
            return Header(found[0])
        offset = found[1].replace(tzinfo=None) - first.replace(tzinfo=None)
        return Header(found[0], offset.total_seconds())

    return parse_headed(lines, day_header, merge=True, export_preamble=True)


FORMAT = text_format(
    "granola",
    "Granola: `### You (2025-09-08T13:01:21Z)` heading, the words below",
    "### You (2025-09-08T13:01:21Z)\nThanks for making time. How do you handle approvals today?",
    sniff,
    parse,
)
