"""OpenAI Whisper JSON output (``whisper audio.mp3 --output_format json``).

``{"text": "...", "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 4.2,
"text": " Thanks for joining.", "tokens": [...], "avg_logprob": -0.2, ...}],
"language": "en"}``. Whisper names no speakers: segments are joined into
sentence-sized ``Unattributed`` turns (not diarized). Segments that carry a
``speaker`` are WhisperX output (``whisperx.py``).
"""

from __future__ import annotations

from typing import Any

from assistant.errors import ParseError
from assistant.ingest import json_fields as jf
from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import Piece, sentence_turns

_WHISPER_KEYS = ("seek", "tokens", "avg_logprob", "no_speech_prob", "compression_ratio")


def segments(data: object, source: str) -> list[dict[str, Any]]:
    """The ``segments`` list with each segment's ``text``, ``start`` and ``end`` checked."""
    top = jf.obj(data, "(top level)", source)
    found: list[dict[str, Any]] = []
    for i, raw in enumerate(jf.items(top, "segments", "", source)):
        where = f"segments[{i}]"
        seg = jf.obj(raw, where, source)
        jf.text(seg, "text", where, source)
        jf.seconds(seg, "start", where, source)
        jf.seconds(seg, "end", where, source)
        found.append(seg)
    if not any(s["text"].strip() for s in found):
        raise ParseError(source, "segments: no segment has text")
    return found


def sniff(inp: Input) -> float:
    """0.85 for ``segments`` of ``text`` objects with Whisper's decoding keys and no speaker."""
    data = inp.json_or_none()
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        return 0.0
    head = [s for s in data["segments"][:50] if isinstance(s, dict)]
    if not head or "body" in head[0] or "word_segments" in data:
        return 0.0
    if any("speaker" in s for s in data["segments"][:200] if isinstance(s, dict)):
        return 0.0
    if "language" in data or any(k in head[0] for k in _WHISPER_KEYS):
        return 0.85
    return 0.6 if "text" in head[0] else 0.0


def parse(inp: Input) -> ParsedText:
    """Segments → sentence-sized unattributed turns."""
    found = segments(inp.json(), inp.source)
    pieces = [Piece(s["text"], s.get("start"), s.get("end")) for s in found]
    return ParsedText(turns=sentence_turns(pieces), diarized=False)


FORMAT = Format(
    name="whisper-json",
    extensions=JSON_FILES,
    summary="OpenAI Whisper JSON: `segments` with times, no speakers (kept Unattributed)",
    example='{"text": "...", "language": "en", "segments": [{"id": 0, "seek": 0,\n'
    '  "start": 0.0, "end": 4.2, "text": " Thanks for joining.", "tokens": [...]}]}',
    sniff=sniff,
    parse=parse,
)
