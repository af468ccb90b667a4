"""Otter.ai exports (and Teams copies in the same shape), as .txt, .md or .docx.

Each turn starts with a header line holding the speaker and a timestamp,
separated by two or more spaces or a tab (one space is enough when the name
is bold, or shaped like a name and recurring: ``Alice Smith 0:03`` from a
Teams copy); the text follows on the next lines until the next header::

    Speaker 1  0:03
    Thanks for joining.

    **Jane Doe**  1:02:03
    Happy to.

Group interviews carry many ``Speaker N`` labels; undiarized recordings one
``Unknown Speaker``: both are kept as the labels they are. The timestamp
becomes the turn's start. A time token that a converter repeated before
every line (``0:00 Speaker 1  00:10``) is removed first. When ``Unknown Speaker`` is the only label (Otter
did not separate voices) the turns are ``Unattributed`` and the transcript
not diarized. The ``Transcribed by https://otter.ai`` trailer and Teams'
``… started/stopped transcription`` lines are dropped; text before the first
header is the export's own header (title, date, keywords, speakers): its
first line is the title, the rest is named in a warning (see
:mod:`assistant.ingest.headed`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from assistant.ingest.base import UNATTRIBUTED, ParsedText
from assistant.ingest.headed import (
    SNIFF_LINES,
    Header,
    count_headers,
    header_score,
    parse_headed,
    text_format,
)
from assistant.ingest.name_lines import name_shaped
from assistant.ingest.speaker_cues import NOTES_SPEAKER
from assistant.ingest.textclean import TIME, clean_line, clean_name, clock_seconds

_HEADER = re.compile(
    r"^(?:(?P<bold>\*\*|__)(?P<bname>[^*_\t]{1,60}?)(?P=bold)[ \t]+"
    rf"|(?P<name>\S[^\t]{{0,59}}?)(?: {{2,}}|\t+))(?P<ts>{TIME})[ \t]*$"
)
_SINGLE_SPACE = re.compile(rf"^(?P<bold>)(?P<bname>)(?P<name>\S[^\t]{{0,58}}?\S) (?P<ts>{TIME})$")
"""``Alice Smith 0:03``: copies that collapsed the spaces; the name must be name-shaped."""
_TRAILER = re.compile(
    r"^(?:\*|_)*transcribed by\s+(?:\[?otter(?:\.ai)?\]?\(?)?\s*(?:https?://)?(?:www\.)?otter\.ai\S*$",
    re.IGNORECASE,
)


_PREFIX = re.compile(r"^\d{1,2}:\d{2} ")
_TEAMS_EVENT = re.compile(r"^.{1,80}\b(?:started|stopped) transcription\.?$", re.IGNORECASE)
UNKNOWN = "Unknown Speaker"


def header(line: str) -> Header | None:
    """``Speaker 1  0:03`` / ``**Jane Doe** 1:02:03`` → a header, else None."""
    if len(line) > 90 or not line.rstrip(" \t")[-1:].isdigit():  # every header ends in a time
        return None
    m = _HEADER.match(line) or _SINGLE_SPACE.match(line)
    if m is None:
        return None
    seconds = clock_seconds(m["ts"])
    name = clean_name(m["bname"] or m["name"] or "")
    if m.re is _SINGLE_SPACE and not name_shaped(name):
        return None
    if seconds is None or not name or name.endswith((":", ",", ".")):
        return None
    return Header(name, seconds)


def is_trailer(line: str) -> bool:
    """Otter's ``Transcribed by https://otter.ai`` and Teams' ``X started transcription``."""
    if "transcri" not in line.lower():  # cheap test first: both say "transcri..."
        return False
    return bool(_TRAILER.match(line) or _TEAMS_EVENT.match(line))


def _without_common_prefix(lines: Sequence[str]) -> list[str]:
    """Lines without a time token that a converter put before every line (``0:00 Name  00:10``)."""
    texts = [clean_line(line) for line in lines if clean_line(line)]
    firsts = Counter(m[0] for line in texts[:SNIFF_LINES] if (m := _PREFIX.match(line)))
    if not firsts:
        return list(lines)
    prefix, n = firsts.most_common(1)[0]
    if n < 4 or n < 0.8 * min(len(texts), SNIFF_LINES):
        return list(lines)
    return [clean_line(line).removeprefix(prefix) for line in lines]


def sniff(lines: Sequence[str]) -> float:
    """0.8 with two or more Otter header lines.

    Headers with a single space count only when there are three and a name
    comes back (a stray ``Call Tomorrow 10:30`` line is not an export).
    """
    lines = _without_common_prefix(lines)
    strict = header_score(lines, _strict_header, 0.8)
    if strict:
        return strict
    n, speakers = count_headers(lines, header)
    return 0.8 if n >= 3 and len(speakers) < n else 0.0


def _strict_header(line: str) -> Header | None:
    found = header(line)
    return found if found is not None and _SINGLE_SPACE.match(line) is None else None


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse Otter export lines into raw turns."""
    lines = _without_common_prefix(lines)
    parsed = parse_headed(lines, header, drop=is_trailer, export_preamble=True)
    if {t.speaker for t in parsed.turns} - {NOTES_SPEAKER} == {UNKNOWN}:
        for turn in parsed.turns:
            if turn.speaker == UNKNOWN:
                turn.speaker = UNATTRIBUTED
        parsed.diarized = False
        parsed.warnings.append(
            f"every turn is Otter's {UNKNOWN!r}: read as {UNATTRIBUTED} (nobody named yet)"
        )
    return parsed


FORMAT = text_format(
    "otter",
    "Otter.ai export (also Teams copy): `Name  0:03` header line, the words below",
    "Speaker 1  0:03\nThanks for making time. How do you handle approvals today?",
    sniff,
    parse,
)
