"""Podcasting 2.0 transcript JSON (the ``<podcast:transcript type="application/json">`` file).

``{"version": "1.0.0", "segments": [{"speaker": "Host", "startTime": 0.5,
"endTime": 0.9, "body": "Welcome"}, ...]}``: ``speaker`` is optional and
segments are often single words. Consecutive segments of one speaker are
merged into one turn; without any speaker the words become sentence-sized
``Unattributed`` turns (not diarized). Times are seconds.
"""

from __future__ import annotations

from assistant.errors import ParseError
from assistant.ingest import json_fields as jf
from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import speaker_turns
from assistant.wording import count


def sniff(inp: Input) -> float:
    """0.95 for ``segments`` whose items have ``body`` (the spec's text field)."""
    data = inp.json_or_none()
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        return 0.0
    head = [s for s in data["segments"][:5] if isinstance(s, dict)]
    if head and any("body" in s for s in head):
        return 0.95
    if head and "version" in data and any("startTime" in s for s in head):
        return 0.9
    return 0.0


def parse(inp: Input) -> ParsedText:
    """Segments → merged speaker turns, or unattributed sentence turns."""
    source = inp.source
    data = jf.obj(inp.json(), "(top level)", source)
    rows: list[tuple[str | None, str, float | None, float | None]] = []
    for i, raw in enumerate(jf.items(data, "segments", "", source)):
        where = f"segments[{i}]"
        seg = jf.obj(raw, where, source)
        speaker = seg.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise ParseError(source, f"{where}.speaker: expected text, got {jf.kind(speaker)}")
        rows.append(
            (
                speaker.strip() or None if speaker else None,
                jf.text(seg, "body", where, source),
                jf.seconds(seg, "startTime", where, source),
                jf.seconds(seg, "endTime", where, source),
            )
        )
    if not any(body.strip() for _s, body, _a, _b in rows):
        raise ParseError(source, "segments: no segment has a body")
    return speaker_turns(rows, lambda n: f"{count(n, 'segment')} have no speaker")


FORMAT = Format(
    name="podcast-json",
    extensions=JSON_FILES,
    summary="Podcasting 2.0 JSON transcript: `segments[].body`, often one word each",
    example='{"version": "1.0.0", "segments": [{"speaker": "Host", "startTime": 0.5,\n'
    '  "endTime": 0.9, "body": "Welcome"}, ...]}',
    sniff=sniff,
    parse=parse,
)
