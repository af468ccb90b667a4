"""Q&A documents: each question a bold paragraph, the answer below it unlabelled.

Interview write-ups from students and researchers often look like::

    Interviewee: Jack (26, product designer)

    **How do you handle approvals today?**
    We route invoices by email. It is slow.

    **What would you change?**
    Automatic routing.

Questions (a whole line in bold, optionally numbered or bulleted (the number
and a ``Q:`` label are dropped), a bold question with its answer after it on
the same line, a heading ending in ``?``, or ``Q:`` lines when no answer
carries an ``A:`` label) are the ``Interviewer``'s turns; the text after each
is the ``Participant``'s. ``Key: value`` lines before the first question are
metadata; a section heading without a question mark (``## Notes``) starts a
notes section (see :mod:`assistant.ingest.headed`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import HEADING, ParsedText
from assistant.ingest.headed import SNIFF_LINES, Header, parse_headed, text_format
from assistant.ingest.plain import match_label
from assistant.ingest.textclean import clean_line, clean_text

INTERVIEWER = "Interviewer"
PARTICIPANT = "Participant"

_BOLD_LINE = re.compile(
    r"^(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?P<b>\*\*|__)(?P<q>[^*_].*?)(?P=b)\s*(?P<after>[?:.]?)\s*$"
)
_INLINE = re.compile(
    r"^(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?P<b>\*\*|__)(?P<q>[^*_][^*]*?\?)\s*(?P=b)\s+(?P<a>\S.*)$"
)
_Q_PREFIX = re.compile(r"^(?:\*\*|__)?(?:Q|Question)\s*\d*\s*[:.)](?:\*\*|__)?\s+(?P<q>\S.*)$")
_A_PREFIX = re.compile(r"^(?:\*\*|__)?(?:A|Answer)\s*\d*\s*[:.)](?:\*\*|__)?\s+\S")
_ANSWER = "\x01"
_Q_LABEL = re.compile(r"^(?:(?:Q|Question)\s*\d*\s*[:.)]|\d{1,3}[.)])\s*", re.IGNORECASE)


def _q_labels_only(lines: Sequence[str]) -> bool:
    """``Q:`` lines with unlabelled answers (no ``A:`` lines): a Q&A, not labelled dialogue."""
    head = [line for line in (clean_line(raw) for raw in lines[:SNIFF_LINES]) if line]
    if any(_A_PREFIX.match(line) for line in head):
        return False
    followed = [
        head[i + 1] if i + 1 < len(head) else ""
        for i, line in enumerate(head)
        if _Q_PREFIX.match(line)
    ]
    unlabelled = [nxt for nxt in followed if nxt and match_label(nxt) is None]
    return len(unlabelled) >= 2 and len(unlabelled) * 2 > len(followed)


def _list_or_bold(line: str) -> bool:
    """Cheap test before the bold patterns: a list mark, a number or the bold itself first."""
    first = line[:1]
    return first in "-*+_" or first.isdigit()


def _question(line: str, *, q_labels: bool = False) -> str | None:
    """The question text of a bold line, a ``?`` heading or (``q_labels``) a ``Q:`` line."""
    m = _BOLD_LINE.match(line) if _list_or_bold(line) else None
    if m is not None and "**" not in m["q"]:
        return _Q_LABEL.sub("", clean_text(m["q"] + (m["after"] if m["after"] == "?" else "")))
    heading = HEADING.match(line)
    if heading and clean_text(heading["title"]).endswith("?"):
        return clean_text(heading["title"])
    if q_labels and (found := _Q_PREFIX.match(line)) is not None:
        return clean_text(found["q"])
    return None


def _split_inline(lines: Sequence[str]) -> list[str]:
    """``**Question?** answer`` on one line → the question line, then the answer line."""
    out: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        m = _INLINE.match(line) if _list_or_bold(line) else None
        if m is not None:
            out += [f"**{m['q']}**", m["a"]]
        else:
            out.append(line)
    return out


def _bold_lines(lines: Sequence[str], q_labels: bool) -> tuple[int, int, int]:
    """(question-shaped lines, of which end with ``?``, followed by unlabelled text)."""
    texts = [line for line in _split_inline(lines[:SNIFF_LINES]) if line]
    bold = asked = answered = 0
    for i, line in enumerate(texts):
        q = _question(line, q_labels=q_labels)
        if q is None:
            continue
        bold += 1
        asked += q.endswith("?") or q_labels
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        answered += (
            nxt is not None and _question(nxt, q_labels=q_labels) is None and not HEADING.match(nxt)
        )
    return bold, asked, answered


def sniff(lines: Sequence[str]) -> float:
    """0.55 (below labelled text) with two or more answered bold questions.

    0.65 (above labelled text) for ``Q:`` questions whose answers carry no ``A:``
    label: labelled text would fold every answer into the question's turn.
    """
    q_labels = _q_labels_only(lines)
    bold, asked, answered = _bold_lines(lines, q_labels)
    if asked >= 2 and answered >= 2 and asked * 2 >= bold:
        return 0.65 if q_labels else 0.55
    return 0.0


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse question documents into interviewer and participant turns."""
    q_labels = _q_labels_only(lines)
    questions: dict[str, str] = {}  # each question read once, here, and found again as a header
    marked: list[str] = []
    for line in _split_inline(lines):
        marked.append(line)
        if (q := _question(line, q_labels=q_labels)) is not None:
            questions[line] = q
            marked.append(_ANSWER)

    def header(line: str) -> Header | None:
        if line == _ANSWER:
            return Header(PARTICIPANT)
        q = questions.get(line)
        return Header(INTERVIEWER, None, q) if q is not None else None

    return parse_headed(marked, header)


FORMAT = text_format(
    "qa",
    "Q&A document: each question a bold paragraph, the answer below unlabelled",
    "**How do you handle approvals today?**\nWe route invoices by email. It is slow.",
    sniff,
    parse,
)
