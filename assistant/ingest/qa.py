"""Q&A documents: each question a bold paragraph, the answer below it unlabelled.

Interview write-ups from students and researchers often look like::

    Interviewee: Jack (26, product designer)

    **How do you handle approvals today?**
    We route invoices by email. It is slow.

    **What would you change?**
    Automatic routing.

Questions (a whole line in bold, optionally numbered or bulleted (the number and a ``Q:`` label are dropped), or a
heading ending in ``?``) are the ``Interviewer``'s turns; the text after each
is the ``Participant``'s. ``Key: value`` lines before the first question are
metadata; a section heading without a question mark (``## Notes``) starts a
notes section (see :mod:`assistant.ingest.headed`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import HEADING, ParsedText
from assistant.ingest.headed import SNIFF_LINES, Header, parse_headed, text_format
from assistant.ingest.textclean import clean_line, clean_text

INTERVIEWER = "Interviewer"
PARTICIPANT = "Participant"

_BOLD_LINE = re.compile(
    r"^(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?P<b>\*\*|__)(?P<q>[^*_].*?)(?P=b)\s*(?P<after>[?:.]?)\s*$"
)
_ANSWER = "\x01"
_Q_LABEL = re.compile(r"^(?:(?:Q|Question)\s*\d*\s*[:.)]|\d{1,3}[.)])\s*", re.IGNORECASE)


def _question(line: str) -> str | None:
    """The question text of a bold line or ``?`` heading, else None."""
    m = _BOLD_LINE.match(line)
    if m is not None and "**" not in m["q"]:
        return _Q_LABEL.sub("", clean_text(m["q"] + (m["after"] if m["after"] == "?" else "")))
    heading = HEADING.match(line)
    if heading and clean_text(heading["title"]).endswith("?"):
        return clean_text(heading["title"])
    return None


def _bold_lines(lines: Sequence[str]) -> tuple[int, int, int]:
    """(bold or ``?``-heading lines, of which end with ``?``, followed by unlabelled text)."""
    cleaned = [clean_line(line) for line in lines[:SNIFF_LINES]]
    texts = [line for line in cleaned if line]
    bold = asked = answered = 0
    for i, line in enumerate(texts):
        q = _question(line)
        if q is None:
            continue
        bold += 1
        asked += q.endswith("?")
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        answered += nxt is not None and _question(nxt) is None and not HEADING.match(nxt)
    return bold, asked, answered


def sniff(lines: Sequence[str]) -> float:
    """0.55 (below labelled text) with two or more answered bold questions."""
    bold, asked, answered = _bold_lines(lines)
    return 0.55 if asked >= 2 and answered >= 2 and asked * 2 >= bold else 0.0


def _with_answer_marks(lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        out.append(line)
        if _question(line) is not None:
            out.append(_ANSWER)
    return out


def _header(line: str) -> Header | None:
    if line == _ANSWER:
        return Header(PARTICIPANT)
    q = _question(line)
    return Header(INTERVIEWER, None, q) if q is not None else None


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse bold-question documents into interviewer and participant turns."""
    return parse_headed(_with_answer_marks(lines), _header)


FORMAT = text_format(
    "qa",
    "Q&A document: each question a bold paragraph, the answer below unlabelled",
    "**How do you handle approvals today?**\nWe route invoices by email. It is slow.",
    sniff,
    parse,
)
