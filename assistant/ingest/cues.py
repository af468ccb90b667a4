"""Caption cues of WebVTT and SRT files: timing lines and the text under them.

One pass over the lines. A timing line (``00:00:01.000 --> 00:00:04.000``,
settings after it allowed) opens a cue; the lines under it up to a blank line
are its payload (in WebVTT a line of spaces does not end a cue; YouTube
starts cues with one). Cue identifiers (the line right before a timing line,
e.g. SRT's numbers, even without a blank line before it) are not text. WebVTT's header block and ``NOTE``/``STYLE``/
``REGION`` blocks are not spoken words and are skipped. A broken timing line
or a cue ending before it starts is a :class:`ParseError` naming the line;
text that sits outside any cue (a payload split by a blank line) is joined to
the cue before it, with a warning, so no words are lost. An SRT cue number
followed by no timing line is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.errors import ParseError


def _timing(sep: str) -> re.Pattern[str]:
    ts = r"(?:(\d{1,10}):)?(\d{1,2}):(\d{2})" + sep + r"(\d{3})"
    return re.compile(rf"^\s*{ts}[ \t]+-->[ \t]+{ts}(?:[ \t].*)?$")


_VTT_TIMING = _timing(r"\.")
_SRT_TIMING = _timing("[,.]")
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class Cue:
    """One caption cue: timing in seconds and its raw payload (tags kept)."""

    start: float
    end: float
    payload: str


def read_cues(text: str, source: str, *, srt: bool) -> tuple[list[Cue], list[str]]:
    """Every cue of a WebVTT (``srt=False``) or SRT text, and warnings."""
    pattern = _SRT_TIMING if srt else _VTT_TIMING
    example = "00:00:01,000 --> 00:00:04,000" if srt else "00:00:01.000 --> 00:00:04.000"
    lines = text.split("\n")
    cues: list[Cue] = []
    warnings: list[str] = []
    payload: list[str] = []
    state = "outside" if srt else "header"  # header | outside | cue | skip
    stray: tuple[int, str] | None = None  # a non-blank line outside any cue, waiting
    for i, line in enumerate(lines):  # newlines are already \n (encoding.read_text)
        if "-->" in line:
            m = pattern.match(line)
            if m is None:
                raise ParseError(
                    source,
                    f"line {i + 1} (cue {len(cues) + 1}): broken cue timing "
                    f"{line.strip()[:80]!r}, expected {example}",
                )
            g = m.groups()
            start = int(g[0] or 0) * 3600 + int(g[1]) * 60 + int(g[2]) + int(g[3]) / 1000
            end = int(g[4] or 0) * 3600 + int(g[5]) * 60 + int(g[6]) + int(g[7]) / 1000
            if end < start:
                raise ParseError(
                    source, f"line {i + 1} (cue {len(cues) + 1}): cue ends before it starts"
                )
            if state == "cue" and payload:
                payload.pop()  # no blank line before this cue: that line was its identifier
            _close(cues, payload)
            stray = None  # the line right before a timing line is the cue's identifier
            cues.append(Cue(start, end, ""))
            payload, state = [], "cue"
        elif not line or (line.isspace() and (srt or state != "cue")):
            # In WebVTT only an empty line ends a cue: YouTube's cues open with a
            # line of one space.
            if stray is not None:
                _stray(stray, cues, warnings, source, srt)
                stray = None
            if state == "cue":
                _close(cues, payload)
                payload = []
            state = "outside"
        elif state == "cue":
            payload.append(line)
        elif state == "header" or state == "skip":
            continue
        elif not srt and line.startswith(_VTT_BLOCKS):
            state = "skip"
        elif stray is not None:
            # two text lines in a row outside a cue: the first is not an identifier
            _stray(stray, cues, warnings, source, srt)
            stray = (i, line)
        else:
            stray = (i, line)
    if stray is not None:
        _stray(stray, cues, warnings, source, srt)
    _close(cues, payload)
    return cues, warnings


def _close(cues: list[Cue], payload: list[str]) -> None:
    if cues and payload:
        cues[-1].payload = "\n".join(payload)


def _stray(
    stray: tuple[int, str], cues: list[Cue], warnings: list[str], source: str, srt: bool
) -> None:
    i, line = stray
    if srt and line.strip().isdigit():
        raise ParseError(
            source,
            f"line {i + 1}: cue has no timing line (expected 00:00:01,000 --> 00:00:04,000)",
        )
    if not cues:
        raise ParseError(source, f"line {i + 1}: text before the first cue: {line.strip()[:60]!r}")
    cues[-1].payload = f"{cues[-1].payload}\n{line}" if cues[-1].payload else line
    warnings.append(f"line {i + 1}: text outside a cue joined to the cue before it")
