"""WebVTT captions: Zoom and Microsoft Teams with speakers, or Whisper/YouTube without.

Teams marks speakers with voice tags (``<v Dana Whitfield>text</v>``, several
per cue allowed); Zoom puts ``Dana Whitfield: text`` in the cue payload. A cue
without a speaker continues the previous speaker. Cue timings give each
turn's start/end seconds, and consecutive cues of one speaker are merged into
one turn. Captions that name nobody (Whisper, YouTube, any subtitle file)
are verbatim but unattributed: cues are joined into sentence-sized
``Unattributed`` turns (a ``- `` or ``>>`` line starts a new one) and the
transcript is not diarized. Cues are read by ``cues.py`` (a broken timing
line is an error naming the line and the cue).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from assistant.errors import ParseError
from assistant.ingest.base import CAPTION_FILES, Format, Input, ParsedText
from assistant.ingest.cues import Cue, read_cues
from assistant.ingest.plain import MAX_LABEL_CHARS, MAX_LABEL_WORDS
from assistant.ingest.unattributed import Piece, sentence_turns, split_turn_mark
from assistant.models import RawTurn

_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+([^>]*?)\s*>")
_TAG = re.compile(r"</?[^>]{0,200}>|\{\\[^}]{0,50}\}")
_PAYLOAD_LABEL = re.compile(r"^(?P<label>[^\W\d_][\w .'’&()/-]{0,60}?):(?=\s)")
UNKNOWN_SPEAKER = "Unknown"


def clean_caption(text: str) -> str:
    """Caption text without tags (voice, style, word times) and HTML entities."""
    if "<" in text or "{" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text.strip()


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
    current: tuple[str, list[str], float] | None = None  # speaker, texts, start
    end = 0.0
    for cue in cues:
        pieces: list[tuple[str | None, str]] = []
        if "<v" in cue.payload and _VOICE.search(cue.payload):
            parts = _VOICE.split(cue.payload)
            if parts[0].strip():
                pieces.append((None, clean_caption(parts[0])))
            pieces.extend(
                (who, clean_caption(text))
                for who, text in zip(parts[1::2], parts[2::2], strict=True)
            )
        else:
            pieces.append(_payload_speaker(clean_caption(cue.payload)))
        for who, body in pieces:
            speaker = who.strip() if who and who.strip() else speaker
            if not body:
                continue
            label = speaker or UNKNOWN_SPEAKER
            if current is not None and current[0] == label:
                current[1].append(body)
            else:
                if current is not None:
                    turns.append(
                        RawTurn(
                            speaker=current[0], text=" ".join(current[1]), start=current[2], end=end
                        )
                    )
                current = (label, [body], cue.start)
            end = cue.end
    if current is not None:
        turns.append(
            RawTurn(speaker=current[0], text=" ".join(current[1]), start=current[2], end=end)
        )
    return turns


def cue_pieces(cues: Iterable[Cue]) -> list[Piece]:
    """Each cue line as a piece of speaker-less text (tags stripped, turn marks read)."""
    pieces: list[Piece] = []
    for cue in cues:
        for line in cue.payload.split("\n"):
            new_turn, text = split_turn_mark(clean_caption(line))
            if text:
                pieces.append(Piece(text, cue.start, cue.end, new_turn))
    return pieces


def captions_to_text(cues: list[Cue], warnings: list[str], source: str, what: str) -> ParsedText:
    """Cues (VTT or SRT) → merged speaker turns, or unattributed sentence turns."""
    turns = cue_turns(cues)
    if not turns:
        raise ParseError(source, f"no captions with text found in this {what} file")
    if all(t.speaker == UNKNOWN_SPEAKER for t in turns):
        return ParsedText(turns=sentence_turns(cue_pieces(cues)), diarized=False, warnings=warnings)
    return ParsedText(turns=turns, warnings=warnings)


def read_vtt(text: str, source: str) -> tuple[list[Cue], list[str]]:
    """The cues of a WebVTT text (and warnings); the first line must be ``WEBVTT``."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ParseError(source, "not a WebVTT file: the first line must be WEBVTT")
    return read_cues(text.lstrip("\ufeff"), source, srt=False)


def parse_vtt(text: str, source: str) -> ParsedText:
    """Parse WebVTT text into speaker turns (or unattributed ones)."""
    cues, warnings = read_vtt(text, source)
    return captions_to_text(cues, warnings, source, "WebVTT")


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
