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


def _skip(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    name = path.name
    return (
        any(part.startswith(".") for part in rel)
        or name.endswith(SIDECAR_SUFFIXES)
        or name.lower().startswith("readme")
    )


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files named by ``paths`` (files, folders walked recursively, globs), in order.

    Folders skip hidden files, ``*.meta.yaml`` sidecars and README files.
    Paths that match nothing come back as failed results.
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
                if child.is_file() and not _skip(child, p):
                    add(child)
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
