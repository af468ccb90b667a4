"""Reading one transcript file: every supported file becomes one :class:`~assistant.models.Transcript`.

``parse_file`` reads the file (a .docx as its paragraphs' lines), splits off
front matter, lets the format registry (``registry.py``) choose a layout by
content, or uses the one forced with ``format=``, then merges metadata (front
matter or a JSON ``meta`` object < ``NAME.meta.yaml`` sidecar <
``meta_override``), builds the normalised text with offsets and assigns
speaker roles. Every bad input raises :class:`~assistant.errors.ParseError`
with a one-line reason; anything dropped or guessed is in ``warnings``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import ParseError
from assistant.ingest import registry
from assistant.ingest.base import TEXT_FILES, Input
from assistant.ingest.docx import docx_lines
from assistant.ingest.encoding import check_file, read_text
from assistant.ingest.metadata import (
    MetaSource,
    merge,
    read_sidecar,
    split_front_matter,
    to_meta_source,
)
from assistant.ingest.roles import set_roles
from assistant.models import InterviewMeta, Transcript, build_turns

SUPPORTED_EXTENSIONS: frozenset[str] = registry.supported_extensions()
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _known_names(*sources: MetaSource | None, override: InterviewMeta | None) -> set[str]:
    """Speaker names the metadata mentions (interviewer and participants)."""
    names: set[str] = set()
    for src in sources:
        if src is None:
            continue
        if isinstance(src.fields.get("interviewer"), str):
            names.add(src.fields["interviewer"])
        for p in src.fields.get("participants") or []:
            if isinstance(p, dict) and isinstance(p.get("name"), str):
                names.add(p["name"])
    if override is not None:
        if override.interviewer:
            names.add(override.interviewer)
        names.update(p.name for p in override.participants)
    return names


def read_input(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Input, MetaSource | None]:
    """Read ``path`` into what formats see (front matter split off) and its front matter."""
    source = str(path)
    if not path.exists():
        raise ParseError(source, "file does not exist")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        shown = f"'{ext}'" if ext else "without an extension"
        raise ParseError(source, f"unsupported file type {shown} (supported: {supported})")
    front: MetaSource | None = None
    if ext == ".docx":
        check_file(path, max_bytes)
        text = "\n".join(docx_lines(path))
    else:
        text = read_text(path, max_bytes)
        if ext in TEXT_FILES:
            front, text = split_front_matter(text, source)
    if not text.strip():
        raise ParseError(source, "file has no text")
    return Input(source=source, ext=ext, text=text), front


def parse_file(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    meta_override: InterviewMeta | None = None,
    format: str | None = None,
) -> Transcript:
    """Parse one transcript file; raise :class:`ParseError` with a clear reason on bad input.

    ``format`` forces a registry format by name instead of detecting one.
    """
    with _collector_paused():
        return _parse(Path(path), max_bytes, meta_override, format)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is parsed.

    A parse makes tens of thousands of small objects that all stay alive
    (lines, turns) and hold no reference cycles; the collector would scan them
    again and again, 10-25% of the parse time of a 1 MB file
    (benchmarks/ingest.py --formats-only). It runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(
    path: Path, max_bytes: int, meta_override: InterviewMeta | None, format: str | None
) -> Transcript:
    source = str(path)
    inp, embedded = read_input(path, max_bytes)
    sidecar = read_sidecar(path)
    kind = (sidecar.kind if sidecar else None) or (embedded.kind if embedded else None)
    known = _known_names(embedded, sidecar, override=meta_override)
    inp.known = frozenset(known)
    if format is None and kind == "notes" and inp.ext in TEXT_FILES:
        format = "notes"
    fmt, parsed = registry.read(inp, format)
    if parsed.meta is not None:
        embedded = to_meta_source(parsed.meta, source, "meta.")
    meta, kind = merge(embedded, sidecar, meta_override)
    for src in (embedded, sidecar):
        if src is not None:
            parsed.warnings.extend(src.warnings)
    name = "notes" if kind == "notes" else fmt.name
    body, turns = build_turns(parsed.turns)
    if not turns:
        raise ParseError(source, "no text found (only headings, labels or blank lines)")
    transcript = Transcript(
        source=source,
        format=name,
        title=meta.title or parsed.title or path.stem,
        verbatim=fmt.verbatim and kind != "notes",
        diarized=parsed.diarized,
        text=body,
        turns=turns,
        meta=meta,
        warnings=parsed.warnings,
    )
    set_roles(transcript)  # built here and shared with nobody: no copy of every turn
    return transcript
