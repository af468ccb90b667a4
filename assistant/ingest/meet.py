"""Google Meet transcripts (the Google Doc Meet saves, as .docx, .txt or .md).

One line per utterance, ``Name: text``, with bare ``00:05:00`` marker lines
every five minutes and boilerplate around them::

    abc-defg-hij (2024-07-18 16:06 GMT-7) - Transcript
    Dana Whitfield, Jane Doe
    This editable transcript was computer generated and might contain errors. ...
    Dana Whitfield: Thanks for joining.
    00:05:00
    Jane Doe: Happy to.
    Meeting ended after 00:31:12 👋

Markers, "Meeting ended after…", "This editable transcript…" and Gemini's
feedback lines are dropped; the ``… - Transcript`` line is the title and the
attendee line metadata. A label is a speaker when it recurs or is an
attendee; other lines continue the turn. Consecutive lines of one speaker
merge into one turn. Utterances carry no times (markers are not turn starts).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import SNIFF_LINES, Header, name_like, parse_headed, text_format
from assistant.ingest.textclean import clean_line, clean_name, clean_text

_BOILERPLATE = re.compile(
    r"^(?:#{1,6}\s*)?[*_]*\s*(?:meeting ended after\b|transcription ended after\b|"
    r"this editable transcript was computer generated|you should review gemini|"
    r"please provide feedback about using gemini|get tips and learn how gemini|"
    r"transcript\s*$|📖|📝|attendees\s*:?\s*$)",
    re.IGNORECASE,
)
_MEET_ONLY = re.compile(
    r"editable transcript was computer generated|^\W*(?:meeting|transcription) ended after"
    r"|\(\d{4}[-/]\d{2}[-/]\d{2} \d{1,2}:\d{2} [A-Z]{2,5}[+-]?\d*\) - Transcript\s*$"
    r"|you should review gemini|get tips and learn how gemini|feedback about using gemini",
    re.IGNORECASE,
)
"""Lines only a Meet transcript has (a bare ``Transcript`` heading is not enough)."""
_MARKER = re.compile(r"^(?:#{1,6}\s*)?[*_]*\s*\d{1,2}:\d{2}:\d{2}\s*[*_]*\s*$")
_TITLE = re.compile(r"^(?:#{1,6}\s*)?(?P<title>.+?)\s*[-–—]\s*Transcript\s*$", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<name>[^:*_\[\]]{1,60}?)(?::(?:\*\*|__)|(?:\*\*|__)?:)\s+(?P<rest>\S.*)$"
)


def _drop(line: str) -> bool:
    return bool(_BOILERPLATE.match(line) or _MARKER.match(line))


def _label(line: str) -> Header | None:
    if line.find(":", 0, 70) < 0:  # cheap test first: the colon ends a label of <= 60 characters
        return None
    m = _LABEL.match(line)
    if m is None:
        return None
    name = clean_name(m["name"])
    return Header(name, None, m["rest"]) if name_like(name, max_words=5) else None


def _prepare(lines: Sequence[str]) -> tuple[list[str], set[str]]:
    """Lines with the title turned into a heading and the attendee line into metadata."""
    out: list[str] = []
    attendees: set[str] = set()
    after_title = False
    for raw in lines:
        line = clean_line(raw)
        title = _TITLE.match(line)
        if title and not out and not _label(line):
            out.append(f"# {title['title']}")
            after_title = True
            continue
        if after_title and line and "," in line and ":" not in line:
            names = {clean_text(n) for n in line.split(",")}
            attendees |= names
            out.append(f"Attendees: {line}")
            after_title = False
            continue
        if line and not _drop(line):
            after_title = False
        out.append(line)
    return out, attendees


def sniff(lines: Sequence[str]) -> float:
    """0.95 with Meet boilerplate and two labelled lines; 0.65 with ``00:05:00`` markers."""
    head = [clean_line(line) for line in lines[:SNIFF_LINES]]
    labelled = sum(1 for line in head if _label(line) is not None)
    if labelled < 2:
        return 0.0
    if any(_MEET_ONLY.search(line) for line in head):
        return 0.95
    return 0.65 if any(_MARKER.match(line) for line in head) else 0.0


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse a Meet transcript into raw turns, one per run of a speaker's lines."""
    prepared, attendees = _prepare(lines)  # lines already cleaned, as parse_headed passes them
    labels = {line: found for line in prepared if (found := _label(line)) is not None}
    counts = Counter(found.speaker for line in prepared if (found := labels.get(line)) is not None)
    speakers = {name for name, n in counts.items() if n >= 2} | attendees

    def header(line: str) -> Header | None:
        found = labels.get(line)
        return found if found is not None and found.speaker in speakers else None

    return parse_headed(prepared, header, drop=_drop, merge=True, export_preamble=True)


FORMAT = text_format(
    "meet",
    "Google Meet transcript: `Name: words` lines, 00:05:00 markers, Meet boilerplate",
    "00:05:00\nDana Whitfield: Thanks for making time. How do you handle approvals today?",
    sniff,
    parse,
)
