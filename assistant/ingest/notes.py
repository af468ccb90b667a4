"""Interviewer notes: text without speaker labels.

Notes are not the customer's words: the transcript gets ``verbatim=False``,
format ``notes`` and one turn per paragraph (split at blank lines), spoken by
the ``Notes`` pseudo-speaker whose role is always unknown. Markdown headings
``---`` rules are dropped; the first ``# Heading`` is the title and later
headings become their own paragraph (they give the notes their context).
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.ingest.base import HEADING, RULE, TEXT_FILES, Format, Input, ParsedText
from assistant.ingest.speaker_cues import NOTES_SPEAKER
from assistant.models import RawTurn


def parse_notes(lines: Iterable[str], *, markdown: bool = True) -> ParsedText:
    """Split note lines into paragraph turns."""
    title: str | None = None
    turns: list[RawTurn] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            turns.append(RawTurn(speaker=NOTES_SPEAKER, text="\n".join(para)))
            para.clear()

    for raw in lines:
        line = raw.strip()
        heading = HEADING.match(line) if markdown else None
        if heading:
            flush()
            if title is None:
                title = heading["title"]
            else:
                para.append(heading["title"])
                flush()
        elif not line or (markdown and RULE.match(line)):
            flush()
        else:
            para.append(line)
    flush()
    return ParsedText(turns=turns, title=title)


def _never(inp: Input) -> float:
    """Notes are never sniffed: they are what a text file is when nothing else fits."""
    return 0.0


FORMAT = Format(
    name="notes",
    extensions=TEXT_FILES,
    summary="Interviewer notes, not verbatim: never evidence (the fallback for text)",
    example="# Call with Acme\nThey said onboarding took two weeks.",
    sniff=_never,
    parse=lambda inp: parse_notes(inp.lines, markdown=inp.markdown),
    verbatim=False,
)
