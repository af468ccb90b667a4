"""A transcript copied from Zoom's web player (or Teams/Meet side panels).

Copying the transcript panel gives, per turn, an avatar alt text, the name,
the time and the text, one per line, usually without blank lines::

    user avatar
    Dana Whitfield
    00:03:40
    Thanks for joining.
    user avatar
    Jane Doe
    00:03:45
    Happy to.

A name line (short capitalised words) followed by a line holding only a
time starts a turn, blank lines between them or not; the ``user avatar``
lines are dropped. Consecutive turns of one speaker merge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import SNIFF_LINES, Header, parse_headed, text_format
from assistant.ingest.name_lines import name_shaped
from assistant.ingest.textclean import clean_line, clean_text, clock_seconds

_AVATAR = re.compile(r"^(?:user|participant|profile)?\s*(?:avatar|profile picture)$", re.IGNORECASE)
_TIME_ONLY = re.compile(r"^\(?(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?)\)?$")
_MARK = "\x01"


def _is_avatar(line: str) -> bool:
    """``user avatar`` / ``Profile picture`` lines (cheap test first: how they end)."""
    return line[-7:].lower().endswith(("avatar", "picture")) and bool(_AVATAR.match(line))


def _pairs(lines: Sequence[str]) -> list[str]:
    """Lines with each name + time pair folded into one marked header line."""
    cleaned = [clean_line(line) for line in lines]
    shaped = cache(name_shaped)  # the same few names come back before every time
    out: list[str] = []
    i = 0
    while i < len(cleaned):
        line = cleaned[i]
        if _is_avatar(line):
            i += 1
            continue
        j = i + 1
        while j < len(cleaned) and not cleaned[j]:
            j += 1
        m = _TIME_ONLY.match(cleaned[j]) if j < len(cleaned) else None
        if m and shaped(name := clean_text(line)):
            seconds = clock_seconds(m["ts"])
            if seconds is not None:
                out.append(f"{_MARK}{name}{_MARK}{seconds}")
                i = j + 1
                continue
        out.append(line)
        i += 1
    return out


def _header(line: str) -> Header | None:
    if not line.startswith(_MARK):
        return None
    _, name, seconds = line.split(_MARK)
    return Header(name, float(seconds))


def sniff(lines: Sequence[str]) -> float:
    """0.9 with avatar lines and two name/time pairs; 0.7 with the pairs alone.

    0.7 is above a bare-time transcript's 0.65: the name before each time is
    what sets this layout apart.
    """
    head = lines[:SNIFF_LINES]
    pairs = sum(1 for line in _pairs(head) if line.startswith(_MARK))
    if pairs < 2:
        return 0.0
    avatars = sum(1 for line in head if _is_avatar(clean_line(line)))
    return 0.9 if avatars >= 2 else 0.7


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse copied web-player lines into raw turns."""
    return parse_headed(_pairs(lines), _header, merge=True, export_preamble=True)


FORMAT = text_format(
    "zoom-web",
    "Zoom web-player copy: avatar line, name, time, words, one per line",
    "Dana Whitfield\n00:03:40",
    sniff,
    parse,
)
