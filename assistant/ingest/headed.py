"""The shared engine of layouts where a header line starts each turn.

Otter, Rev, Zoom captions, Fathom, Granola, bold-timestamp and diarizer
layouts differ only in what their header line looks like (and in a few
boilerplate lines they drop). A layout module gives :func:`parse_headed` a
function that reads one line as a :class:`Header` (speaker, start, text on the
same line) or None; every other line continues the current turn.

Around the turns, the engine applies the same rules to every layout:

- before the first header, the first Markdown heading (or a single short
  line) is the title, ``Key: value`` lines (``**Date:** 2025-09-08``,
  ``Interviewee: Jack (26, designer)``) are the document's header: never a
  speaker, kept out of the turns and named in a warning; ``---`` rules are
  skipped and other text becomes a ``Notes`` turn;
- after the turns start, a section heading that is not a header (``## Notes``,
  ``Key takeaways``, ``Summary:``, ``Interviewer notes: keen on a pilot``) ends
  the dialogue: the text below it is a
  ``Notes`` turn, until the next header;
- turn text loses Markdown markup and HTML entities (:func:`clean_text`);
- boilerplate lines the layout drops are counted in a warning;
- a transcript whose only speaker is ``Unattributed`` is not diarized.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from assistant.ingest.base import (
    HEADING,
    RULE,
    TEXT_FILES,
    UNATTRIBUTED,
    Format,
    ParsedText,
)
from assistant.ingest.speaker_cues import NOTES_SPEAKER
from assistant.ingest.textclean import clean_line, clean_text, strip_markup
from assistant.models import RawTurn

SNIFF_LINES = 400
"""How many lines a sniff looks at (about the first few KB of a file)."""

_KEY_VALUE = re.compile(
    r"^(?:[-*]\s+)?(?P<open>\*\*|__)?(?P<key>[A-Z][\w ./&'()-]{0,40}?)\s*"
    r"(?(open)(?::\*\*|\*\*:|:__|__:)|:)\s*(?P<value>\S.*)?$"
)
_SECTION = (
    r"(?:interviewer'?s?\s+|interview\s+|my\s+|additional\s+|general\s+|personal\s+"
    r"|post[- ]interview\s+|researcher'?s?\s+|field\s+)?"
    r"(?:notes?|observations?|key takeaways?|takeaways?|summary|action items?|next steps|"
    r"follow[- ]ups?|reflections?|insights?|highlights?|comments?|debrief)"
)
_SECTION_WORDS = re.compile(
    r"^(?:#{1,6}\s*)?(?:\*\*|__)?" + _SECTION + r"\s*:?\s*(?:\*\*|__)?\s*:?$", re.IGNORECASE
)
_SECTION_LABEL = re.compile(
    r"^(?:\*\*|__)?" + _SECTION + r"\s*(?::(?:\*\*|__)|(?:\*\*|__)?:)\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)


_SECTION_ENDS = "esnymptf"
"""Last letters of the section words (notes, summary, action items, follow-up, debrief...)."""


class Header(NamedTuple):
    """A line that starts a turn: who speaks, when (seconds) and any text on the same line.

    A named tuple: made once per turn, and cheaper to make than a frozen dataclass.
    """

    speaker: str
    start: float | None = None
    rest: str = ""


HeaderFn = Callable[[str], Header | None]


def never(line: str) -> bool:
    """A drop function that keeps every line."""
    return False


def key_value(line: str) -> tuple[str, str] | None:
    """``Key: value`` / ``**Key:** value`` metadata before a transcript starts, or None."""
    m = _KEY_VALUE.match(line)
    if m is None or len(m["key"].split()) > 5:
        return None
    return clean_text(m["key"]), clean_text(m["value"] or "")


def _section_words(line: str) -> bool:
    """A line of section words only (``## Notes``, ``**Key takeaways:**``).

    Cheap test first: stripped of trailing blanks, colons and emphasis marks,
    such a line ends with the last letter of a section word.
    """
    tail = line
    while (shorter := tail.rstrip(":*_").rstrip()) != tail:
        tail = shorter
    return tail[-1:].lower() in _SECTION_ENDS and bool(_SECTION_WORDS.match(line))


def is_section_heading(line: str) -> bool:
    """Whether a line opens a notes/summary section (``## Notes``, ``Key takeaways:``)."""
    return _section_words(line) or bool(HEADING.match(line))


def section_label(line: str) -> str | None:
    """The text after a notes label (``Interviewer notes: keen on a pilot``), else None.

    Such a line opens a notes section like a heading does: it is never a speaker.
    """
    if ":" not in line:  # cheap test first
        return None
    m = _SECTION_LABEL.match(line)
    return m["rest"] if m is not None else None


def count_headers(lines: Sequence[str], header: HeaderFn) -> tuple[int, set[str]]:
    """Header lines among the first :data:`SNIFF_LINES` lines, and their distinct speakers."""
    n = 0
    speakers: set[str] = set()
    for raw in lines[:SNIFF_LINES]:
        found = header(clean_line(raw))
        if found is not None:
            n += 1
            speakers.add(found.speaker)
    return n, speakers


def header_score(lines: Sequence[str], header: HeaderFn, strength: float) -> float:
    """``strength`` when at least two header lines are found, half of it for one, else 0."""
    n, _ = count_headers(lines, header)
    if n >= 2:
        return strength
    return strength / 2 if n == 1 else 0.0


def parse_headed(
    lines: Sequence[str],
    header: HeaderFn,
    *,
    drop: Callable[[str], bool] = never,
    merge: bool = False,
    export_preamble: bool = False,
) -> ParsedText:
    """Parse lines where each turn starts with a header line (see the module docstring).

    ``drop`` names boilerplate lines to skip anywhere. With ``merge``,
    consecutive turns of one speaker become one turn (caption-like layouts
    that repeat the header every few seconds); the first start is kept. With
    ``export_preamble`` (vendor exports), text before the first turn is the
    tool's own header (date, keywords, an AI summary): its first line is the
    title when none was found, the rest is named in a warning instead of
    becoming a ``Notes`` turn.
    """
    title: str | None = None
    header_meta: dict[str, str] = {}
    preamble: list[str] = []
    notes: list[str] = []
    # [speaker, [text, ...], start]: merged texts are joined and RawTurns built once, at the end
    turns: list[list[Any]] = []
    current: Header | None = None
    body: list[str] = []
    in_notes = False
    dropped: list[str] = []
    dropping = drop is not never

    def flush() -> None:
        text = " ".join(filter(None, body))
        if current is None or not text:
            return
        if merge and turns and turns[-1][0] == current.speaker:
            turns[-1][1].append(text)
            if turns[-1][2] is None:
                turns[-1][2] = current.start
        else:
            turns.append([current.speaker, [text], current.start])

    for raw in lines:
        line = raw.strip() if raw.isascii() else clean_line(raw)  # clean_line, inlined
        if not line:
            continue
        if dropping and drop(line):
            dropped.append(line)
            continue
        found = header(line)
        if found is not None:
            flush()
            if in_notes and notes:
                turns.append([NOTES_SPEAKER, [" ".join(notes)], None])
                notes = []
            current, in_notes = found, False
            body = [clean_text(found.rest)] if found.rest else []
            continue
        if line[0] in "-*_=" and RULE.match(line):  # the line is stripped: a rule starts so
            continue
        heading = HEADING.match(line) if line[0] == "#" else None
        if current is None and not in_notes:
            if heading:
                title = title or clean_text(heading["title"])
            elif (kv := key_value(line)) is not None and kv[1]:
                header_meta[kv[0]] = kv[1]
            else:
                preamble.append(clean_text(line))
        elif in_notes:
            notes.append(clean_text(heading["title"] if heading else line))
        elif heading or _section_words(line) or section_label(line) is not None:
            flush()
            current, in_notes = None, True
            notes.append(clean_text(heading["title"] if heading else line))
        else:
            body.append(strip_markup(line).strip())  # clean_text of a line already cleaned
    flush()
    if notes:
        turns.append([NOTES_SPEAKER, [" ".join(notes)], None])
    short_first = bool(preamble) and len(preamble[0]) <= 100
    if title is None and short_first and (len(preamble) == 1 or export_preamble):
        title = preamble.pop(0)
    if preamble and export_preamble:
        shown = " ".join(preamble)
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        header_meta["text before the first turn"] = shown
    elif preamble:
        turns.insert(0, [NOTES_SPEAKER, [" ".join(preamble)], None])
    warnings: list[str] = []
    if header_meta:
        shown = "; ".join(f"{k}: {v}" for k, v in header_meta.items())
        warnings.append(f"document header kept out of the turns (not speech): {shown}")
    if dropped:
        example = dropped[0] if len(dropped[0]) <= 60 else dropped[0][:57] + "..."
        warnings.append(
            f"dropped {len(dropped)} line(s) that are not speech (markers, boilerplate),"
            f" e.g. {example!r}"
        )
    speakers = {t[0] for t in turns} - {NOTES_SPEAKER}
    return ParsedText(
        turns=[RawTurn(speaker=sp, text=" ".join(tx), start=st) for sp, tx, st in turns],
        title=title,
        diarized=speakers != {UNATTRIBUTED},
        warnings=warnings,
    )


_NAME_CHARS = re.compile(r"^[^\W\d_][\w .,'’&()@/+-]*$")


@lru_cache(maxsize=4096)  # a file repeats its few speaker names on every header line
def name_like(text: str, *, max_words: int = 6, max_chars: int = 60) -> bool:
    """Whether ``text`` can be a speaker name: short, starts with a letter, no sentence end."""
    words = text.split()
    return (
        0 < len(words) <= max_words
        and len(text) <= max_chars
        and bool(_NAME_CHARS.match(text))
        and not text.endswith((".", ",", "?", "!"))
    )


def text_format(
    name: str,
    summary: str,
    example: str,
    sniff: Callable[[Sequence[str]], float],
    parse: Callable[[Sequence[str]], ParsedText],
) -> Format:
    """A registry :class:`Format` for a text layout read from lines (.txt, .md, .docx)."""
    return Format(
        name=name,
        extensions=TEXT_FILES,
        summary=summary,
        example=example,
        sniff=lambda inp: sniff(inp.head_lines),
        parse=lambda inp: parse(inp.lines),
    )
