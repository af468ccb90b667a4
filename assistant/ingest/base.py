"""Pieces shared by the format parsers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from assistant.errors import ParseError
from assistant.models import RawTurn

SNIFF_CHARS = 16 * 1024
"""Sniffs look at this many characters from the start of a file (``Input.head``)."""
TEXT_FILES = (".txt", ".md", ".markdown", ".docx")
"""Extensions of text documents (a .docx is read as its paragraphs' lines)."""
CAPTION_FILES = (".vtt", ".srt", ".tsv")
JSON_FILES = (".json",)
UNATTRIBUTED = "Unattributed"
"""The one speaker of a verbatim transcript whose speakers are not named (captions)."""

HEADING = re.compile(r"^#{1,6}\s+(?P<title>\S.*?)\s*#*\s*$")
RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")


@dataclass
class ParsedText:
    """What a parser found.

    ``turns`` in file order; ``title`` when the source names one; ``meta``:
    metadata fields the file embeds (a JSON ``meta`` object), validated later;
    ``diarized`` False when nobody is named (every turn is ``Unattributed``);
    ``warnings``: anything dropped, repaired or guessed, in words for the user.
    """

    turns: list[RawTurn]
    title: str | None = None
    meta: dict[str, Any] | None = None
    diarized: bool = True
    warnings: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Input:
    """One file's text as every format's ``sniff`` and ``parse`` see it.

    ``text`` is the body: front matter removed, a .docx already turned into
    lines. ``known`` holds speaker names the metadata mentions.
    """

    source: str
    ext: str
    text: str
    known: frozenset[str] = frozenset()

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def head(self) -> str:
        """The first few KB: what a sniff should look at."""
        return self.text[:SNIFF_CHARS]

    @cached_property
    def head_lines(self) -> list[str]:
        lines = self.head.split("\n")
        return lines[:-1] if len(self.text) > SNIFF_CHARS and len(lines) > 1 else lines

    @property
    def markdown(self) -> bool:
        """Markdown-like text (.md, .docx): headings and rules are structure, not words."""
        return self.ext in (".md", ".markdown", ".docx")

    @cached_property
    def _json(self) -> tuple[Any, str | None]:
        try:
            return json.loads(self.text), None
        except json.JSONDecodeError as exc:
            return None, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        except RecursionError:
            return None, "invalid JSON: nested too deeply"

    def json_or_none(self) -> Any:
        """The parsed JSON document, or None when the text is not JSON (for sniffs)."""
        return self._json[0]

    def json(self) -> Any:
        """The parsed JSON document; :class:`ParseError` when the text is not JSON."""
        data, error = self._json
        if error is not None:
            raise ParseError(self.source, error)
        return data


class NotThisFormat(Exception):
    """Raised by a ``parse`` whose sniff said yes but whose full reading says no.

    The registry then tries the next best format (and, for text, finally notes).
    """


@dataclass(frozen=True)
class Format:
    """One transcript layout: how to recognise it and how to read it.

    ``sniff`` scores ``Input.head`` from 0 (not this) to 1 (only this layout
    looks like that); ``parse`` reads the whole input or raises
    :class:`ParseError` with a one-line reason. See ``registry.py``.
    """

    name: str
    extensions: tuple[str, ...]
    summary: str
    example: str
    sniff: Callable[[Input], float]
    parse: Callable[[Input], ParsedText]
    verbatim: bool = True


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
