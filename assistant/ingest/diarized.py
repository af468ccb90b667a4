"""Diarizer output as text: ``SPEAKER_00: text``, ``spk_0: text``, ``[Speaker_1] text``.

Speech-to-text tools that separate voices (WhisperX, pyannote, AWS, many
scripts) name speakers by number. Each line starting with such a label starts
a turn, even for a speaker heard only once; an optional timestamp before or
after the label (``[00:01:02] SPEAKER_01:``, ``SPEAKER_01 [00:01:02]:``) is the
turn's start. Lines without a label continue the turn; consecutive turns of
one speaker merge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.ingest.base import ParsedText
from assistant.ingest.headed import SNIFF_LINES, Header, parse_headed, text_format
from assistant.ingest.textclean import TIME, clean_line, clock_seconds

LABEL = r"(?:speaker|spk|spkr)(?:_\d+|\s*[-_]?\s*\d+(?=\W|$))"
"""A diarizer speaker label: ``SPEAKER_00``, ``spk_0``, ``Speaker_1``, ``SPEAKER 2`` (case-insensitive)."""

_TS = r"[\[(]?(?P<G>" + TIME + r")[\])]?"
_LINE = re.compile(
    r"^(?:\*\*|__)?(?:" + _TS.replace("G", "ts1") + r"\s*[-–—]?\s*)?(?:\*\*|__)?"
    r"[\[(<]?(?P<label>" + LABEL + r")[\])>]?"
    r"(?:\s*"
    + _TS.replace("G", "ts2")
    + r")?\s*(?:\*\*|__)?\s*(?P<sep>[:\-–—]|(?=\s)|$)\s*(?:\*\*|__)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)  # a file repeats its few labels on every line
def _canonical(label: str) -> str:
    """``SPEAKER_00`` stays as written, with inner spaces collapsed."""
    return " ".join(label.split())


def header(line: str) -> Header | None:
    """A line starting with a diarizer label → a header, else None."""
    low = line.lower()
    if "sp" not in low:  # cheap test first: speaker, spk, spkr
        return None
    m = _LINE.match(line)
    if m is None:
        return None
    label = m["label"]
    if not (m["sep"] or m["ts1"] or m["ts2"] or not m["rest"]):  # then it must be bracketed
        bracketed = line.lstrip("*_ ").startswith(("[", "(", "<")) or "[" in line[: m.start("rest")]
        if not bracketed:
            return None
    if " " in label and not ("_" in label or m["sep"]):
        return None
    ts = m["ts1"] or m["ts2"]
    return Header(_canonical(label), clock_seconds(ts) if ts else None, m["rest"])


def _machine(label: str) -> bool:
    """``SPEAKER_00`` / ``spk_0``: written by a program (``Speaker 2`` is left to labels)."""
    return "_" in label or label.lower().startswith("spk")


def sniff(lines: Sequence[str]) -> float:
    """0.7 when two or more lines start with machine labels (``SPEAKER_00``, ``spk_0``)."""
    n = sum(
        1
        for line in lines[:SNIFF_LINES]
        if (found := header(clean_line(line))) is not None and _machine(found.speaker)
    )
    return 0.7 if n >= 2 else 0.0


def parse(lines: Sequence[str]) -> ParsedText:
    """Parse diarizer-labelled lines into raw turns."""
    return parse_headed(lines, header, merge=True, export_preamble=True)


FORMAT = text_format(
    "diarized",
    "Diarizer labels: `SPEAKER_00: words`, `spk_0: words`, `[Speaker_1] words`",
    "SPEAKER_00: Thanks for making time. How do you handle approvals today?\nSPEAKER_01: We route invoices by email.",
    sniff,
    parse,
)
