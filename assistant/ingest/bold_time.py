"""Bold speaker labels with a timestamp, in either order.

Markdown exports from note apps and scripts put the speaker in bold and the
turn's start beside it, before or after, with the text on the same line or
below::

    **Dana Whitfield** [0:00] Thanks for joining.
    **[02:14] SPEAKER_02:** Happy to.
    **Jane Doe:** \\[03:58\\] We route invoices by email.
    **Dana Whitfield** *(00:04:10)*

The time is the turn's start (a bracketed or parenthesised time is required,
so ``**Name**  0:00`` stays Otter's). Markdown escapes are undone first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import Header, header_score, name_like, parse_headed, text_format
from assistant.ingest.textclean import TIME, clean_name, clock_seconds

_BRACKETED = r"[\[(](?P<ts>" + TIME + r")[\])]"
_TIME_FIRST = re.compile(
    r"^(?P<b>\*\*|__)" + _BRACKETED + r"\s*(?P<name>[^*:\[\]]{1,60}?)\s*:?\s*(?P=b):?"
    r"\s*(?P<rest>.*)$"
)
_NAME_FIRST = re.compile(
    r"^(?P<b>\*\*|__)(?P<name>[^*:\[\]]{1,60}?)\s*:?\s*(?P=b):?\s*(?:\*|_)?"
    + _BRACKETED
    + r"(?:\*|_)?\s*:?\s*(?P<rest>.*)$"
)
_UNESCAPE = re.compile(r"\\([\[\]()])")


def header(line: str) -> Header | None:
    """A bold label with a bracketed time on either side → a header, else None."""
    if not line.startswith(("**", "__")):  # cheap test first: every header opens in bold
        return None
    if "\\" in line:
        line = _UNESCAPE.sub(r"\1", line)
    m = _TIME_FIRST.match(line) or _NAME_FIRST.match(line)
    if m is None:
        return None
    name = clean_name(m["name"])
    seconds = clock_seconds(m["ts"])
    if seconds is None or not name_like(name):
        return None
    return Header(name, seconds, m["rest"])


def sniff(lines: Sequence[str]) -> float:
    """0.85 with two or more bold label + time headers."""
    return header_score(lines, header, 0.85)


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse bold label + time lines into raw turns."""
    return parse_headed(lines, header, export_preamble=True)


FORMAT = text_format(
    "bold-time",
    "Bold speaker label with a bracketed time, either order (`**Name** [0:00]`)",
    "**Dana Whitfield** [0:00] Thanks for making time.\n**Jane Doe** [0:07] Happy to.",
    sniff,
    parse,
)
