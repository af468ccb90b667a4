"""WebVTT captions: Zoom and Microsoft Teams with speakers, or Whisper/YouTube without.

Teams marks speakers with voice tags (``<v Dana Whitfield>text</v>``, several
per cue allowed); Zoom puts ``Dana Whitfield: text`` in the cue payload. A cue
without a speaker continues the previous speaker. Cue timings give each
turn's start/end seconds, and consecutive cues of one speaker are merged into
one turn. Captions that name nobody (Whisper, YouTube, any subtitle file)
are verbatim but unattributed: cues are joined into sentence-sized
``Unattributed`` turns (a ``- `` or ``>>`` line starts a new one) and the
transcript is not diarized. Every timing line is checked first, because
webvtt-py silently drops cues it cannot read: a broken one raises
:class:`ParseError` naming the line and the cue. Parsed with webvtt-py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from assistant.errors import ParseError
from assistant.ingest.base import CAPTION_FILES, Format, Input, ParsedText, merge_consecutive
from assistant.ingest.plain import MAX_LABEL_CHARS, MAX_LABEL_WORDS
from assistant.ingest.unattributed import Piece, sentence_turns, split_turn_mark
from assistant.models import RawTurn

_VTT_TS = r"(?:\d{1,10}:)?\d{1,2}:\d{2}\.\d{3}"
_SRT_TS = r"(?:\d{1,10}:)?\d{1,2}:\d{2}[,.]\d{3}"
_VTT_TIMING = re.compile(rf"^\s*(?P<a>{_VTT_TS})[ \t]+-->[ \t]+(?P<b>{_VTT_TS})(?:[ \t].*)?$")
_SRT_TIMING = re.compile(rf"^\s*(?P<a>{_SRT_TS})[ \t]+-->[ \t]+(?P<b>{_SRT_TS})(?:[ \t].*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+([^>]*?)\s*>")
_TAG = re.compile(r"</?[^>]{0,200}>|\{\\[^}]{0,50}\}")
_PAYLOAD_LABEL = re.compile(r"^(?P<label>[^\W\d_][\w .'’&()/-]{0,60}?):(?=\s)")
UNKNOWN_SPEAKER = "Unknown"


@dataclass
class Cue:
    """One caption cue: timing in seconds and its raw payload (tags kept)."""

    start: float
    end: float
    payload: str


def _seconds(ts: str) -> float:
    parts = ts.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def check_timings(lines: list[str], source: str, *, srt: bool) -> None:
    """Raise :class:`ParseError` for the first broken timing line (1-based line numbers)."""
    pattern = _SRT_TIMING if srt else _VTT_TIMING
    example = "00:00:01,000 --> 00:00:04,000" if srt else "00:00:01.000 --> 00:00:04.000"
    cue = 0
    for i, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        cue += 1
        m = pattern.match(line)
        if m is None:
            raise ParseError(
                source,
                f"line {i} (cue {cue}): broken cue timing {line.strip()[:80]!r}, expected {example}",
            )
        if _seconds(m["b"]) < _seconds(m["a"]):
            raise ParseError(source, f"line {i} (cue {cue}): cue ends before it starts")


def clean_caption(text: str) -> str:
    """Caption text without tags (voice, style, word times) and HTML entities."""
    return html.unescape(_TAG.sub("", text)).strip()


def _payload_speaker(text: str) -> tuple[str | None, str]:
    m = _PAYLOAD_LABEL.match(text)
    if m is None:
        return None, text
    label = m["label"]
    if label != label.strip() or len(label) > MAX_LABEL_CHARS:
        return None, text
    if len(label.split()) > MAX_LABEL_WORDS or label.casefold() in {"note", "http", "https"}:
        return None, text
    return label, text[m.end() :].strip()


def cue_turns(cues: Iterable[Cue]) -> list[RawTurn]:
    """Attribute cues to speakers and merge consecutive cues of one speaker."""
    turns: list[RawTurn] = []
    speaker: str | None = None
    for cue in cues:
        pieces: list[tuple[str | None, str]] = []
        if _VOICE.search(cue.payload):
            parts = _VOICE.split(cue.payload)
            if parts[0].strip():
                pieces.append((None, parts[0]))
            pieces.extend(zip(parts[1::2], parts[2::2], strict=True))
        else:
            pieces.append(_payload_speaker(clean_caption(cue.payload)))
        for who, text in pieces:
            speaker = who.strip() if who and who.strip() else speaker
            body = clean_caption(text)
            if body:
                turns.append(
                    RawTurn(
                        speaker=speaker or UNKNOWN_SPEAKER, text=body, start=cue.start, end=cue.end
                    )
                )
    return merge_consecutive(turns)


def cue_pieces(cues: Iterable[Cue]) -> list[Piece]:
    """Each cue line as a piece of speaker-less text (tags stripped, turn marks read)."""
    pieces: list[Piece] = []
    for cue in cues:
        for line in cue.payload.split("\n"):
            new_turn, text = split_turn_mark(clean_caption(line))
            if text:
                pieces.append(Piece(text, cue.start, cue.end, new_turn))
    return pieces


def read_vtt(text: str, source: str) -> list[Any]:
    """Checked webvtt-py captions of a WebVTT text."""
    lines = text.split("\n")
    if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise ParseError(source, "not a WebVTT file: the first line must be WEBVTT")
    check_timings(lines, source, srt=False)
    try:
        return list(webvtt.from_buffer(lines).captions)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise ParseError(source, f"invalid WebVTT: {exc}") from None


def parse_vtt(text: str, source: str) -> ParsedText:
    """Parse WebVTT text into speaker turns (or unattributed ones)."""
    return captions_to_text(read_vtt(text, source), source, "WebVTT")


def read_cues(captions: Iterable[Any]) -> list[Cue]:
    """webvtt-py captions → cues."""
    return [
        Cue(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, c.raw_text)
        for c in captions
    ]


def captions_to_text(captions: Iterable[Any], source: str, what: str) -> ParsedText:
    """webvtt-py captions (VTT or SRT) → merged speaker turns, or unattributed sentence turns."""
    cues = read_cues(captions)
    turns = cue_turns(cues)
    if not turns:
        raise ParseError(source, f"no captions with text found in this {what} file")
    if all(t.speaker == UNKNOWN_SPEAKER for t in turns):
        return ParsedText(turns=sentence_turns(cue_pieces(cues)), diarized=False)
    return ParsedText(turns=turns)


def sniff_vtt(inp: Input) -> float:
    """0.8 for a ``WEBVTT`` first line (other WebVTT layouts score higher when they fit).

    A .vtt file without it scores 0.5, so that it gets WebVTT's own error.
    """
    if inp.head.lstrip("\ufeff").startswith("WEBVTT"):
        return 0.8
    return 0.5 if inp.ext == ".vtt" else 0.0


FORMAT = Format(
    name="vtt",
    extensions=CAPTION_FILES,
    summary="WebVTT captions: Zoom/Teams speakers (`<v Name>`, `Name:`), or none (Unattributed)",
    example="00:00:01.000 --> 00:00:04.000\n<v Dana Whitfield>We moved off spreadsheets.",
    sniff=sniff_vtt,
    parse=lambda inp: parse_vtt(inp.text, inp.source),
)
