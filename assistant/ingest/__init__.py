"""Transcript parsers: every supported file becomes one :class:`~assistant.models.Transcript`.

``parse_file`` picks the parser by extension (and, for ``.txt``/``.md``, by
content: Otter export, ``Name:`` labelled dialogue, or interviewer notes),
loads metadata (front matter, ``NAME.meta.yaml`` sidecar, ``meta_override``),
builds the normalised text with offsets and assigns speaker roles. Every bad
input raises :class:`~assistant.errors.ParseError` with a one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import ParseError
from assistant.ingest.base import ParsedText
from assistant.ingest.docx import docx_lines
from assistant.ingest.encoding import check_file, read_text
from assistant.ingest.json_format import parse_json
from assistant.ingest.metadata import MetaSource, merge, read_sidecar, split_front_matter
from assistant.ingest.notes import parse_notes
from assistant.ingest.otter import looks_like_otter, parse_otter
from assistant.ingest.plain import parse_labelled
from assistant.ingest.roles import assign_roles
from assistant.ingest.srt import parse_srt
from assistant.ingest.vtt import parse_vtt
from assistant.models import InterviewMeta, Transcript, build_turns

__all__ = ["SUPPORTED_EXTENSIONS", "assign_roles", "parse_file"]

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset({".txt", ".md", ".vtt", ".srt", ".docx", ".json"})
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


def _parse_text_lines(
    lines: list[str], ext: str, kind: str | None, known: set[str]
) -> tuple[ParsedText, str]:
    """Dispatch labelled text (txt, md, docx lines) to Otter, labels or notes."""
    markdown = ext in (".md", ".docx")
    if kind != "notes":
        if ext == ".txt" and looks_like_otter(lines):
            return parse_otter(lines), "otter"
        labelled = parse_labelled(lines, markdown=markdown, known=known)
        if labelled is not None:
            return labelled, ext.lstrip(".")
    return parse_notes(lines, markdown=markdown), "notes"


def parse_file(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    meta_override: InterviewMeta | None = None,
) -> Transcript:
    """Parse one transcript file; raise :class:`ParseError` with a clear reason on bad input."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise ParseError(source, "file does not exist")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        shown = f"'{ext}'" if ext else "without an extension"
        raise ParseError(source, f"unsupported file type {shown} (supported: {supported})")
    embedded: MetaSource | None = None
    if ext == ".docx":
        check_file(path, max_bytes)
        lines = docx_lines(path)
        text = "\n".join(lines)
    else:
        text = read_text(path, max_bytes)
        if ext in (".txt", ".md"):
            embedded, text = split_front_matter(text, source)
        lines = text.split("\n")
    if not text.strip():
        raise ParseError(source, "file has no text")
    sidecar = read_sidecar(path)
    if ext == ".json":
        parsed, embedded = parse_json(text, source)
        fmt = "json"
    elif ext == ".vtt":
        parsed, fmt = parse_vtt(text, source), "vtt"
    elif ext == ".srt":
        parsed, fmt = parse_srt(text, source), "srt"
    else:
        kind = (sidecar.kind if sidecar and sidecar.kind else None) or (
            embedded.kind if embedded else None
        )
        known = _known_names(embedded, sidecar, override=meta_override)
        parsed, fmt = _parse_text_lines(lines, ext, kind, known)
    meta, kind = merge(embedded, sidecar, meta_override)
    verbatim = fmt != "notes" and kind != "notes"
    if kind == "notes" and fmt != "notes":
        fmt = "notes"
    body, turns = build_turns(parsed.turns)
    if not turns:
        raise ParseError(source, "no text found (only headings, labels or blank lines)")
    transcript = Transcript(
        source=source,
        format=fmt,
        title=meta.title or parsed.title or path.stem,
        verbatim=verbatim,
        text=body,
        turns=turns,
        meta=meta,
    )
    return assign_roles(transcript)
