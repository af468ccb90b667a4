"""Which files an ingest reads, their readable ids and their fingerprints."""

from __future__ import annotations

import glob
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from assistant.library.records import IngestResult

SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
_GLOB_CHARS = re.compile(r"[*?\[]")


def slugify(stem: str) -> str:
    """A readable id from a file stem: lowercase ASCII words joined by dashes."""
    text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "interview"


def readable_path(path: str | Path) -> str:
    """A path as printable text: bytes that are not UTF-8 shown as ``\\xNN`` escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def file_fingerprint(path: Path, meta_override: str | None = None) -> str:
    """sha256 of the file's bytes, its sidecar's and any flag metadata (the no-parse
    unchanged check)."""
    h = hashlib.sha256()
    h.update(path.read_bytes())
    if meta_override:
        h.update(b"\0flags\0")
        h.update(meta_override.encode("utf-8"))
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.stem + suffix)
        if sidecar.is_file():
            h.update(b"\0sidecar\0")
            h.update(sidecar.read_bytes())
    return h.hexdigest()


SKIPPED_NAMES = ("readme", "license", "licence", "changelog", "sources")
"""Files with these name starts, found in a folder, are documentation, not interviews."""


def _hidden(path: Path, root: Path) -> bool:
    """Hidden files and folders, and metadata sidecars: never reported."""
    rel = path.relative_to(root).parts
    return any(part.startswith(".") for part in rel) or path.name.endswith(SIDECAR_SUFFIXES)


def skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not an interview (None when it may be one)."""
    from assistant.ingest import SUPPORTED_EXTENSIONS

    name = path.name.lower()
    for start in SKIPPED_NAMES:
        if name.startswith(start):
            return f"not an interview: a {start.upper()} file"
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        shown = f"'{path.suffix}'" if path.suffix else "without an extension"
        return f"not a transcript file type ({shown})"
    return None


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files named by ``paths`` (files, folders walked recursively, globs), in order.

    Folders leave out hidden files and ``*.meta.yaml`` sidecars silently, and
    report README*/LICENSE*/CHANGELOG*/SOURCES* files and files of other types
    as ``skipped`` with a reason. Paths that match nothing come back as failed.
    """
    files: list[Path] = []
    missing: list[IngestResult] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if not child.is_file() or _hidden(child, p):
                    continue
                reason = skip_reason(child)
                if reason is None:
                    add(child)
                else:
                    missing.append(IngestResult(readable_path(child), "skipped", reason=reason))
        elif p.is_file():
            add(p)
        elif _GLOB_CHARS.search(str(raw)):
            matches = sorted(glob.glob(str(p), recursive=True))
            hits = [Path(m) for m in matches if Path(m).is_file()]
            if not hits:
                missing.append(IngestResult(str(raw), "failed", error="no files match"))
            for m in hits:
                if not m.name.endswith(SIDECAR_SUFFIXES):
                    add(m)
        elif p.exists():
            missing.append(IngestResult(str(raw), "failed", error="not a regular file"))
        else:
            missing.append(IngestResult(str(raw), "failed", error="no such file or directory"))
    return files, missing
