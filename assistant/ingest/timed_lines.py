"""Lines that start with a time: ``00:01:02 Dana: text``, ``00:00:00,069 --> 00:00:01,220 [speaker_0]``.

Two layouts written by scripts and copy-paste:

- a time range per line, without cue numbers, and the speaker in brackets
  (or none); the text follows on the same line or the next ones::

      00:00:00,069 --> 00:00:01,220 [speaker_0]
      Thanks for joining.

- a bare ``HH:MM:SS`` (or ``MM:SS``) at the start of each line, optionally
  followed by ``Name:``; or alone on its line with the text below (a
  YouTube transcript copy)::

      00:01:02 Dana Whitfield: Thanks for joining.
      00:01:09 Jane Doe: Happy to.

Older Teams transcripts put the name alone on the line after a bare range;
it is read as the speaker. The first time is the turn's start. Without any speaker names the text is
verbatim but unattributed: one ``Unattributed`` speaker until a person says
who spoke (an Otter export without speaker names reads so; its trailer is
dropped), one turn per timed line (``[00:01:02] text`` too). Bracketed
``[00:01:02] Name: text`` lines are left to the labelled layout. Consecutive turns of a named speaker merge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from assistant.ingest.base import UNATTRIBUTED, ParsedText
from assistant.ingest.diarized import LABEL
from assistant.ingest.headed import SNIFF_LINES, Header, name_like, parse_headed, text_format
from assistant.ingest.otter import is_trailer
from assistant.ingest.textclean import clean_line, clean_text, clock_seconds

_LOOSE = r"(?:\d{1,2}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_RANGE = re.compile(
    r"^\[?(?P<ts>" + _LOOSE + r")\s*-->\s*" + _LOOSE + r"\]?\s*"
    r"(?:[\[(<](?P<bracket>[^\])>]{1,60})[\])>]\s*:?|(?P<label>"
    + LABEL
    + r")\s*:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_BARE = re.compile(
    r"^(?P<open>\[)?(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)(?(open)\])"
    r"(?:\s*[-–—|]\s*|\s+|$)"
    r"(?:(?P<name>[^:]{1,60}?)\s*:\s+)?(?P<rest>.*)$"
)


def _range(line: str) -> Header | None:
    if "-->" not in line:  # cheap test first: most lines are text
        return None
    m = _RANGE.match(line)
    if m is None:
        return None
    speaker = clean_text(m["bracket"] or m["label"] or "") or UNATTRIBUTED
    return Header(speaker, clock_seconds(m["ts"]), m["rest"])


def _bare(line: str, *, named: bool) -> Header | None:
    if not line[:1].isdigit() and not line.startswith("["):
        return None
    m = _BARE.match(line)
    if m is None:
        return None
    seconds = clock_seconds(m["ts"])
    if seconds is None:
        return None
    name = clean_text(m["name"] or "")
    if named and name and name_like(name, max_words=4):
        return Header(name, seconds, m["rest"])
    rest = f"{m['name']}: {m['rest']}" if m["name"] else m["rest"]
    return Header(UNATTRIBUTED, seconds, rest)


def _counts(lines: Sequence[str]) -> tuple[int, int, int, int]:
    """(text lines, range lines, bare-time lines, bare-time lines with a name)."""
    texty = ranges = bare = named = 0
    for raw in lines[:SNIFF_LINES]:
        line = clean_line(raw)
        if not line:
            continue
        texty += 1
        if _range(line) is not None:
            ranges += 1
        elif (found := _bare(line, named=True)) is not None:
            bare += 1
            named += found.speaker != UNATTRIBUTED
    return texty, ranges, bare, named


def _bracketed_names(lines: Sequence[str]) -> int:
    """``[00:01:02] Name: text`` lines: the labelled layout's, not this one's."""
    return sum(
        1
        for raw in lines[:SNIFF_LINES]
        if (line := clean_line(raw)).startswith("[")
        and (found := _bare(line, named=True)) is not None
        and found.speaker != UNATTRIBUTED
    )


def sniff(lines: Sequence[str]) -> float:
    """0.75 for two or more time-range lines; 0.65 when a third of the lines start with a time.

    Lines like ``[00:01:02] Name: text`` are left to the labelled layout.
    """
    texty, ranges, bare, named = _counts(lines)
    if ranges >= 2:
        return 0.75
    if bare >= 3 and bare * 3 >= texty and not (named and _bracketed_names(lines) * 2 >= named):
        return 0.65
    return 0.0


def _fold_names(
    lines: Sequence[str], range_of: Callable[[str], Header | None] = _range
) -> list[str]:
    """Old Teams layout: a bare time range, the name alone on the next line, then the words.

    When most speaker-less ranges are followed by such a name line, the name
    is folded into the range line as ``[Name]``.
    """
    cleaned = [clean_line(line) for line in lines]
    texts = [i for i, line in enumerate(cleaned) if line]
    folds: dict[int, int] = {}
    bare_ranges = 0
    for pos, i in enumerate(texts[:-2]):
        found = range_of(cleaned[i])
        if found is None or found.speaker != UNATTRIBUTED or found.rest:
            continue
        bare_ranges += 1
        name_at, words_at = texts[pos + 1], texts[pos + 2]
        name = clean_text(cleaned[name_at])
        if name_like(name, max_words=4) and range_of(cleaned[words_at]) is None:
            folds[i] = name_at
    if not folds or len(folds) * 2 < bare_ranges:
        return cleaned
    out = list(cleaned)
    for i, name_at in folds.items():
        out[i] = f"{cleaned[i]} [{clean_text(cleaned[name_at])}]"
        out[name_at] = ""
    return out


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse time-prefixed lines into raw turns (named when most lines carry a name)."""
    range_of = cache(_range)  # each range line is read while folding and again as a header
    lines = _fold_names(lines, range_of)
    _, ranges, bare, named_count = _counts(lines)
    named = named_count * 2 >= bare and named_count >= 2

    def header(line: str) -> Header | None:
        if ranges >= 2:
            return range_of(line)
        return _bare(line, named=named)

    return parse_headed(
        lines, header, drop=is_trailer, merge=named or ranges >= 2, export_preamble=True
    )


FORMAT = text_format(
    "timed-lines",
    "Lines starting with a time: `00:01:02 Name: words` or `00:00:00,069 --> … [speaker_0]`",
    "00:01:02 Dana Whitfield: Thanks for making time.\n00:01:09 Jane Doe: Happy to.",
    sniff,
    parse,
)
