"""Every transcript layout we read, and how one is chosen for a file.

A format is one module under ``assistant/ingest/`` that declares::

    FORMAT = Format(
        name="otter",                     # what users type after --format
        extensions=TEXT_FILES,            # the file kinds it may read
        summary="Otter.ai export: ...",   # one line for `persona formats`
        example="Speaker 1  0:03\\nThanks for joining.",  # two lines it looks like
        sniff=sniff_otter,                # Input -> 0..1, from Input.head only
        parse=parse_otter,                # Input -> ParsedText, or ParseError
    )

and is listed once in :data:`REGISTRY`. To choose, :func:`read` asks every
format that accepts the file's extension for a score and parses with the
best one; scores guide: 0.9 or more for a marker only that layout has (a
JSON key, a header line), 0.5-0.8 for a layout others share, 0 for no.

- The best score at or above :data:`MIN_SCORE` wins. On a tie the format
  listed first here wins, and a warning names the others.
- A parse that raises :class:`NotThisFormat` hands over to the next best.
- Nothing fits: a text file becomes ``notes`` with :data:`NOTES_WARNING`
  (notes never count as a customer's words); a caption or JSON file is a
  :class:`ParseError` naming the layouts tried.
- ``--format NAME`` (``forced``) skips sniffing altogether.
"""

from __future__ import annotations

from assistant.errors import ParseError, UsageError
from assistant.ingest import (
    assemblyai,
    aws_transcribe,
    bold_time,
    deepgram,
    diarized,
    fathom,
    granola,
    json_format,
    legend,
    meet,
    name_lines,
    notes,
    otter,
    plain,
    podcast_json,
    qa,
    rev,
    srt,
    timed_lines,
    vtt,
    whisper_json,
    whisper_tsv,
    whisperx,
    youtube,
    zoom_captions,
    zoom_web,
)
from assistant.ingest.base import TEXT_FILES, Format, Input, NotThisFormat, ParsedText

REGISTRY: tuple[Format, ...] = (
    # JSON: each vendor's keys tell them apart
    json_format.FORMAT,
    assemblyai.FORMAT,
    deepgram.FORMAT,
    aws_transcribe.FORMAT,
    whisperx.FORMAT,
    whisper_json.FORMAT,
    podcast_json.FORMAT,
    # captions
    youtube.FORMAT,
    vtt.FORMAT,
    srt.FORMAT,
    whisper_tsv.FORMAT,
    # text layouts: specific markers first, generic `Name:` labels last
    fathom.FORMAT,
    granola.FORMAT,
    zoom_captions.FORMAT,
    zoom_web.FORMAT,
    meet.FORMAT,
    legend.FORMAT,
    otter.FORMAT,
    rev.FORMAT,
    bold_time.FORMAT,
    timed_lines.FORMAT,
    diarized.FORMAT,
    plain.FORMAT,
    # weak layouts: chosen only when nothing above fits
    name_lines.FORMAT,
    qa.FORMAT,
    notes.FORMAT,
)

MIN_SCORE = 0.5
NOTES_WARNING = (
    "no speaker labels found: stored as notes, which never count as a customer's words"
    " — use --format to force a layout"
)


def names() -> list[str]:
    """Every format name, in registry order."""
    return [f.name for f in REGISTRY]


def get(name: str) -> Format:
    """The format called ``name``; :class:`UsageError` listing the names otherwise."""
    for fmt in REGISTRY:
        if fmt.name == name:
            return fmt
    raise UsageError(f"unknown format {name!r} (formats: {', '.join(names())})")


def supported_extensions() -> frozenset[str]:
    """Every extension some format reads."""
    return frozenset(ext for fmt in REGISTRY for ext in fmt.extensions)


def scores(inp: Input) -> list[tuple[Format, float]]:
    """Each format that accepts ``inp``'s extension with its sniff score, best first.

    The sort is stable, so equal scores keep registry order.
    """
    scored = [(fmt, fmt.sniff(inp)) for fmt in REGISTRY if inp.ext in fmt.extensions]
    return sorted(scored, key=lambda pair: -pair[1])


def detect(inp: Input) -> Format | None:
    """The format :func:`read` would try first, or None when nothing fits (no parsing)."""
    best = scores(inp)
    return best[0][0] if best and best[0][1] >= MIN_SCORE else None


def read(inp: Input, forced: str | None = None) -> tuple[Format, ParsedText]:
    """Choose a format for ``inp`` (or use ``forced``) and parse it."""
    if forced is not None:
        fmt = get(forced)
        try:
            return fmt, fmt.parse(inp)
        except NotThisFormat as exc:
            raise ParseError(inp.source, f"not readable as {fmt.name}: {exc}") from None
    candidates = [(fmt, score) for fmt, score in scores(inp) if score >= MIN_SCORE]
    warnings: list[str] = []
    if len(candidates) > 1 and candidates[1][1] == candidates[0][1]:
        tied = [f.name for f, s in candidates[1:] if s == candidates[0][1]]
        warnings.append(
            f"also looks like {', '.join(tied)}: read as {candidates[0][0].name}"
            " — use --format to choose"
        )
    for fmt, _score in candidates:
        try:
            parsed = fmt.parse(inp)
        except NotThisFormat as exc:
            warnings.append(f"not read as {fmt.name}: {exc}")
            continue
        parsed.warnings[:0] = warnings
        return fmt, parsed
    if inp.ext in TEXT_FILES:
        parsed = notes.FORMAT.parse(inp)
        parsed.warnings[:0] = [*warnings, NOTES_WARNING]
        return notes.FORMAT, parsed
    if inp.ext == ".json":
        inp.json()  # invalid JSON says so, rather than "no layout"
    tried = ", ".join(f.name for f in REGISTRY if inp.ext in f.extensions)
    raise ParseError(
        inp.source,
        f"not a {inp.ext} layout we know (tried: {tried}); `persona formats` shows examples",
    )
