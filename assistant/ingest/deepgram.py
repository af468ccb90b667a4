"""Deepgram pre-recorded transcription JSON (the ``/v1/listen`` response saved to a file).

Read, in order of preference:

- ``results.utterances`` (``utterances=true``): one object per turn with
  ``speaker`` (an integer, shown as ``Speaker 0``), ``start``/``end`` seconds
  and ``transcript``;
- ``results.channels[0].alternatives[0].paragraphs.paragraphs``
  (``paragraphs=true`` / ``smart_format``): ``speaker`` and ``sentences``
  with their own times;
- the same alternative's ``words`` (``punctuated_word`` when present).

Without ``speaker`` (no ``diarize=true``) the text is one ``Unattributed``
speaker in sentence-sized turns, not diarized; with several channels and no
speakers, each channel is a speaker (``Channel 1``…).
"""

from __future__ import annotations

from typing import Any

from assistant.errors import ParseError
from assistant.ingest import json_fields as jf
from assistant.ingest.base import JSON_FILES, Format, Input, ParsedText
from assistant.ingest.unattributed import SpeakerRow, speaker_turns


def sniff(inp: Input) -> float:
    """0.95 for ``results`` holding ``channels`` or ``utterances`` (plus ``metadata``)."""
    data = inp.json_or_none()
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        return 0.0
    results = data["results"]
    if "channels" in results or "utterances" in results:
        return 0.95
    return 0.0


def _speaker(value: object, where: str, source: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParseError(source, f"{where}.speaker: expected a whole number, got {jf.kind(value)}")
    return value


def parse(inp: Input) -> ParsedText:
    """Utterances, else paragraphs, else words → turns."""
    source = inp.source
    data = jf.obj(inp.json(), "(top level)", source)
    results = jf.obj(data.get("results"), "results", source)
    if results.get("utterances") is not None:
        rows = _utterances(results, source)
    else:
        channels = jf.items(results, "channels", "results", source)
        if not channels:
            raise ParseError(source, "results.channels: empty, no transcript")
        alt = _first_alternative(channels[0], source)
        paragraphs = alt.get("paragraphs")
        if isinstance(paragraphs, dict) and paragraphs.get("paragraphs") is not None:
            rows = _paragraphs(paragraphs, source)
        else:
            rows = _words(alt, source)
    return _turns(rows, source)


Row = tuple[int | None, int, str, float | None, float | None]
"""speaker, channel, text, start, end"""


def _utterances(results: dict[str, Any], source: str) -> list[Row]:
    rows: list[Row] = []
    for i, raw in enumerate(jf.items(results, "utterances", "results", source)):
        where = f"results.utterances[{i}]"
        u = jf.obj(raw, where, source)
        channel = u.get("channel", 0)
        rows.append(
            (
                _speaker(u.get("speaker"), where, source),
                channel if isinstance(channel, int) else 0,
                jf.text(u, "transcript", where, source),
                jf.seconds(u, "start", where, source),
                jf.seconds(u, "end", where, source),
            )
        )
    return rows


def _first_alternative(channel: object, source: str) -> dict[str, Any]:
    ch = jf.obj(channel, "results.channels[0]", source)
    alts = jf.items(ch, "alternatives", "results.channels[0]", source)
    if not alts:
        raise ParseError(source, "results.channels[0].alternatives: empty, no transcript")
    return jf.obj(alts[0], "results.channels[0].alternatives[0]", source)


def _paragraphs(paragraphs: dict[str, Any], source: str) -> list[Row]:
    base = "results.channels[0].alternatives[0].paragraphs"
    rows: list[Row] = []
    for i, raw in enumerate(jf.items(paragraphs, "paragraphs", base, source)):
        where = f"{base}.paragraphs[{i}]"
        p = jf.obj(raw, where, source)
        speaker = _speaker(p.get("speaker"), where, source)
        for j, sraw in enumerate(jf.items(p, "sentences", where, source)):
            swhere = f"{where}.sentences[{j}]"
            s = jf.obj(sraw, swhere, source)
            rows.append(
                (
                    speaker,
                    0,
                    jf.text(s, "text", swhere, source),
                    jf.seconds(s, "start", swhere, source),
                    jf.seconds(s, "end", swhere, source),
                )
            )
    return rows


def _words(alt: dict[str, Any], source: str) -> list[Row]:
    base = "results.channels[0].alternatives[0]"
    if "words" not in alt:
        raise ParseError(source, f"{base}: no utterances, paragraphs or words to read")
    rows: list[Row] = []
    for i, raw in enumerate(jf.items(alt, "words", base, source)):
        where = f"{base}.words[{i}]"
        w = jf.obj(raw, where, source)
        key = "punctuated_word" if "punctuated_word" in w else "word"
        rows.append(
            (
                _speaker(w.get("speaker"), where, source),
                0,
                jf.text(w, key, where, source),
                jf.seconds(w, "start", where, source),
                jf.seconds(w, "end", where, source),
            )
        )
    return rows


def _turns(rows: list[Row], source: str) -> ParsedText:
    if not any(text.strip() for _s, _c, text, _a, _b in rows):
        raise ParseError(source, "no text: every utterance, paragraph and word is empty")
    several_channels = len({c for _s, c, _t, _a, _b in rows}) > 1
    named: list[SpeakerRow] = []
    for speaker, channel, text, start, end in rows:
        if speaker is not None:
            who: str | None = f"Speaker {speaker}"
        else:  # a channel names its speaker when there are several, else nobody does
            who = f"Channel {channel + 1}" if several_channels else None
        named.append((who, text, start, end))
    return speaker_turns(named, lambda n: f"{n} passages have no speaker")


FORMAT = Format(
    name="deepgram",
    extensions=JSON_FILES,
    summary="Deepgram JSON: `results.utterances` or paragraphs, integer speakers, seconds",
    example='{"results": {"utterances": [{"speaker": 0, "start": 0.24, "end": 5.1,\n'
    '  "transcript": "How did you pick a tool?"}]}, "metadata": {...}}',
    sniff=sniff,
    parse=parse,
)
