"""Dash labels declared by a legend: ``[I] – Interviewer [C] – Client``, then ``I – text``.

Hand-typed transcripts abbreviate speakers and say so once at the top::

    [I] – Interviewer  [C] – Client
    I – How do you handle approvals today?
    C – We route invoices by email.

A turn starts with a declared abbreviation (bracketed or not) followed by a
dash or colon; the speaker is the legend's full name, so roles follow from
it. The legend may also read ``I = Interviewer, C = Client``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import (
    SNIFF_LINES,
    Header,
    count_headers,
    name_like,
    parse_headed,
    text_format,
)
from assistant.ingest.textclean import clean_line, clean_text

_SEP = r"(?:[–—=]|-(?!-))"
_ENTRY = re.compile(
    r"(?:^|(?<=[\s,;|]))\[?(?P<abbr>[A-Z]{1,3}\d?)\]?\s*" + _SEP + r"\s*"
    r"(?P<name>[^\[\],;|=–—]+?)\s*(?=$|[,;|]|\s+\[?[A-Z]{1,3}\d?\]?\s*" + _SEP + r"\s)"
)
_LEFTOVER = re.compile(r"^[\s,;|]*$")


def _entries(line: str) -> dict[str, str]:
    """The abbreviation → name pairs a line declares (empty unless they are name-shaped)."""
    entries = {m["abbr"]: m["name"].strip() for m in _ENTRY.finditer(line)}
    ok = _LEFTOVER.match(_ENTRY.sub("", line)) is not None and all(
        name_like(n, max_words=4) and len(a) < len(n) and all(w[0].isupper() for w in n.split())
        for a, n in entries.items()
    )
    return entries if ok else {}


def read_legend(lines: Sequence[str]) -> dict[str, str]:
    """Abbreviation → name: one line declaring two or more, or consecutive ``[I] – Name`` lines."""
    pending: dict[str, str] = {}
    for raw in lines[:SNIFF_LINES]:
        line = clean_text(clean_line(raw))
        if not line:
            continue
        entries = _entries(line) if len(line) <= 160 else {}
        if len(entries) >= 2:
            return entries
        if len(entries) == 1 and (line.startswith("[") or "=" in line):
            pending.update(entries)
            continue
        if len(pending) >= 2:
            return pending
        pending = {}
    return pending if len(pending) >= 2 else {}


def _header_for(legend: dict[str, str]):
    abbrs = "|".join(re.escape(a) for a in sorted(legend, key=len, reverse=True))
    turn = re.compile(rf"^(?:\*\*|__)?\[?(?P<abbr>{abbrs})\]?(?:\*\*|__)?\s*[–—:-]\s*(?P<rest>.*)$")
    declared = re.compile(rf"^\[?(?:{abbrs})\]?\s*[–—=:-]\s*[^\s].*\s\[?(?:{abbrs})\]?\s*[–—=:-]")

    def header(line: str) -> Header | None:
        m = turn.match(line)
        if m is None:
            return None
        # a legend line repeated later declares two labels: two separators at least
        if sum(map(line.count, "–—=:-")) >= 2 and declared.match(line):
            return None
        return Header(legend[m["abbr"]], None, m["rest"])

    return header


def _is_legend_line(legend: dict[str, str], lines: Sequence[str]):
    """A drop function for the legend's own lines (found once, near the top)."""
    declared = set()
    for raw in lines[:SNIFF_LINES]:
        line = clean_line(raw)
        entries = _entries(clean_text(line)) if line else {}
        if entries and all(legend.get(a) == n for a, n in entries.items()):
            declared.add(line)

    def drop(line: str) -> bool:
        return line in declared

    return drop


def sniff(lines: Sequence[str]) -> float:
    """0.9 with a legend and two or more turns using its abbreviations."""
    legend = read_legend(lines)
    if not legend:
        return 0.0
    n, _ = count_headers(lines, _header_for(legend))
    return 0.9 if n >= 2 else 0.0


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse legend-declared dash labels into raw turns named by the legend."""
    legend = read_legend(lines)
    if not legend:
        return ParsedText(turns=[])
    return parse_headed(lines, _header_for(legend), drop=_is_legend_line(legend, lines))


FORMAT = text_format(
    "legend",
    "Dash labels declared by a legend: `[I] – Interviewer`, then `I – words`",
    "[I] – Interviewer [C] – Client\nI – How do you handle approvals today?",
    sniff,
    parse,
)
