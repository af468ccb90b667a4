"""Pieces shared by the format parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.models import RawTurn

HEADING = re.compile(r"^#{1,6}\s+(?P<title>\S.*?)\s*#*\s*$")
RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
TIMESTAMP = re.compile(r"^(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?$")


@dataclass
class ParsedText:
    """What a parser found: raw turns and, when the source names one, a title."""

    turns: list[RawTurn]
    title: str | None = None
    meta: dict[str, object] | None = field(default=None)


def timestamp_seconds(ts: str) -> float | None:
    """``1:02:03`` / ``12:45`` / ``0:03.5`` → seconds, or None when it is not a timestamp."""
    m = TIMESTAMP.match(ts.strip())
    if m is None:
        return None
    hours = int(m["h"] or 0)
    minutes, seconds = int(m["m"]), int(m["s"])
    if seconds >= 60 or (m["h"] is not None and minutes >= 60):
        return None
    frac = float(f"0.{m['f']}") if m["f"] else 0.0
    return hours * 3600 + minutes * 60 + seconds + frac


def merge_consecutive(turns: list[RawTurn]) -> list[RawTurn]:
    """Merge consecutive turns of one speaker (cue by cue captions → speaker turns)."""
    groups: list[list[RawTurn]] = []
    for t in turns:
        if not t.text.strip():
            continue
        if groups and groups[-1][0].speaker == t.speaker:
            groups[-1].append(t)
        else:
            groups.append([t])
    merged: list[RawTurn] = []
    for group in groups:
        starts = [t.start for t in group if t.start is not None]
        ends = [t.end for t in group if t.end is not None]
        merged.append(
            RawTurn(
                speaker=group[0].speaker,
                text=" ".join(t.text for t in group),
                start=starts[0] if starts else None,
                end=ends[-1] if ends else None,
            )
        )
    return merged
