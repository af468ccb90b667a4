"""WhisperX JSON output with diarization (``whisperx audio.wav --diarize``).

``{"segments": [{"start": 0.03, "end": 4.2, "text": " Thanks for joining.",
"speaker": "SPEAKER_00", "words": [...]}], "word_segments": [...]}``.
Labels are kept as written (``SPEAKER_00``) and consecutive segments of one
speaker form a turn. WhisperX leaves ``speaker`` out of segments it could
not assign: those are ``Unattributed``, with a warning counting them.
Without any speaker the file reads like plain Whisper (not diarized).
"""

from __future__ import annotations

from assistant.ingest.base import (
    JSON_FILES,
    UNATTRIBUTED,
    Format,
    Input,
    ParsedText,
    merge_consecutive,
)
from assistant.ingest.unattributed import Piece, sentence_turns
from assistant.ingest.whisper_json import segments
from assistant.models import RawTurn
from assistant.wording import count


def sniff(inp: Input) -> float:
    """0.9 for ``segments`` where some carry a ``speaker``, or a ``word_segments`` list."""
    data = inp.json_or_none()
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        return 0.0
    head = [s for s in data["segments"][:200] if isinstance(s, dict)]
    if any("body" in s for s in head[:5]):
        return 0.0
    if any("speaker" in s for s in head) or isinstance(data.get("word_segments"), list):
        return 0.9
    return 0.0


def parse(inp: Input) -> ParsedText:
    """Segments → speaker turns; segments without a speaker → ``Unattributed``."""
    found = segments(inp.json(), inp.source)
    if not any(isinstance(s.get("speaker"), str) for s in found):
        pieces = [Piece(s["text"], s.get("start"), s.get("end")) for s in found]
        return ParsedText(turns=sentence_turns(pieces), diarized=False)
    turns = [
        RawTurn(
            speaker=s["speaker"] if isinstance(s.get("speaker"), str) else UNATTRIBUTED,
            text=s["text"],
            start=s.get("start"),
            end=s.get("end"),
        )
        for s in found
    ]
    missing = sum(not isinstance(s.get("speaker"), str) for s in found)
    warnings = (
        [f"{missing} of {count(len(found), 'segment')} have no speaker: shown as {UNATTRIBUTED}"]
        if missing
        else []
    )
    return ParsedText(turns=merge_consecutive(turns), warnings=warnings)


FORMAT = Format(
    name="whisperx",
    extensions=JSON_FILES,
    summary="WhisperX JSON: `segments[].speaker` (SPEAKER_00…), missing on some segments",
    example='{"segments": [{"start": 0.03, "end": 4.2, "text": " Thanks for joining.",\n'
    '  "speaker": "SPEAKER_00", "words": [...]}], "word_segments": [...]}',
    sniff=sniff,
    parse=parse,
)
