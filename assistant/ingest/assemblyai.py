"""AssemblyAI transcript JSON (``GET /v2/transcript/{id}`` saved to a file).

With speaker labels on, ``utterances`` holds one object per turn::

    {"id": "...", "status": "completed", "text": "...", "words": [...],
     "utterances": [{"speaker": "A", "start": 240, "end": 5120,
                     "text": "How did you pick a tool?", "confidence": 0.93,
                     "words": [...]}, ...]}

Times are milliseconds; speakers are letters, shown as ``Speaker A``. Without
speaker labels (``utterances`` null) the ``words`` are joined into
sentence-sized ``Unattributed`` turns and the transcript is not diarized.
"""

from __future__ import annotations

from typing import Any

from assistant.errors import ParseError
from assistant.ingest import json_fields as jf
from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import Piece, sentence_turns
from assistant.models import RawTurn

_MARKERS = ("audio_url", "speaker_labels", "language_model", "acoustic_model", "audio_duration")


def sniff(inp: Input) -> float:
    """0.95 for ``utterances`` of ``speaker``/``text`` objects; 0.9 for AssemblyAI's own keys."""
    data = inp.json_or_none()
    if not isinstance(data, dict):
        return 0.0
    utterances = data.get("utterances")
    first = utterances[0] if isinstance(utterances, list) and utterances else None
    if isinstance(first, dict) and {"speaker", "text"} & set(first) and "results" not in data:
        return 0.95
    if "utterances" in data and sum(k in data for k in _MARKERS) >= 1:
        return 0.9
    return 0.0


def parse(inp: Input) -> ParsedText:
    """Utterances → turns (``Speaker A``), or words → unattributed sentence turns."""
    source = inp.source
    data = jf.obj(inp.json(), "(top level)", source)
    if data.get("utterances") is None:
        return _from_words(data, source)
    turns: list[RawTurn] = []
    for i, raw in enumerate(jf.items(data, "utterances", "", source)):
        where = f"utterances[{i}]"
        u = jf.obj(raw, where, source)
        speaker = u.get("speaker")
        if not isinstance(speaker, str | int) or isinstance(speaker, bool) or str(speaker) == "":
            raise ParseError(
                source, f"{where}.speaker: expected a letter like A, got {jf.kind(speaker)}"
            )
        body = jf.text(u, "text", where, source)
        start = jf.seconds(u, "start", where, source, scale=0.001, unit="milliseconds")
        end = jf.seconds(u, "end", where, source, scale=0.001, unit="milliseconds")
        turns.append(RawTurn(speaker=f"Speaker {speaker}", text=body, start=start, end=end))
    if not any(t.text.strip() for t in turns):
        raise ParseError(source, "utterances: no utterance has text")
    return ParsedText(turns=turns)


def _from_words(data: dict[str, Any], source: str) -> ParsedText:
    if not isinstance(data.get("words"), list):
        raise ParseError(source, "no utterances and no words: export the completed transcript")
    pieces: list[Piece] = []
    for i, raw in enumerate(data["words"]):
        where = f"words[{i}]"
        w = jf.obj(raw, where, source)
        pieces.append(
            Piece(
                jf.text(w, "text", where, source),
                jf.seconds(w, "start", where, source, scale=0.001, unit="milliseconds"),
                jf.seconds(w, "end", where, source, scale=0.001, unit="milliseconds"),
            )
        )
    turns = sentence_turns(pieces)
    if not turns:
        raise ParseError(source, "words: no word has text")
    return ParsedText(turns=turns, diarized=False)


FORMAT = Format(
    name="assemblyai",
    extensions=JSON_FILES,
    summary="AssemblyAI transcript JSON: `utterances` with speakers A, B… and times in ms",
    example='{"utterances": [{"speaker": "A", "start": 240, "end": 5120,\n'
    '  "text": "How did you pick a tool?"}], "audio_url": "..."}',
    sniff=sniff,
    parse=parse,
)
