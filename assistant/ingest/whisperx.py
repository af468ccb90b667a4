"""WhisperX JSON output with diarization (``whisperx audio.wav --diarize``).

``{"segments": [{"start": 0.03, "end": 4.2, "text": " Thanks for joining.",
"speaker": "SPEAKER_00", "words": [...]}], "word_segments": [...]}``.
Labels are kept as written (``SPEAKER_00``) and consecutive segments of one
speaker form a turn. WhisperX leaves ``speaker`` out of segments it could
not assign: those are ``Unattributed``, with a warning counting them.
Without any speaker the file reads like plain Whisper (not diarized).
"""

from __future__ import annotations

from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import speaker_turns
from assistant.ingest.whisper_json import segments
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
    rows = [
        (
            s["speaker"] if isinstance(s.get("speaker"), str) else None,
            s["text"],
            s.get("start"),
            s.get("end"),
        )
        for s in found
    ]
    return speaker_turns(rows, lambda n: f"{n} of {count(len(found), 'segment')} have no speaker")


FORMAT = Format(
    name="whisperx",
    extensions=JSON_FILES,
    summary="WhisperX JSON: `segments[].speaker` (SPEAKER_00…), missing on some segments",
    example='{"segments": [{"start": 0.03, "end": 4.2, "text": " Thanks for joining.",\n'
    '  "speaker": "SPEAKER_00", "words": [...]}], "word_segments": [...]}',
    sniff=sniff,
    parse=parse,
)
