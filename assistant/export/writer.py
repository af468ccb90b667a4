"""Writing export files: secrets redacted, atomic replaces, and only our own files touched.

The export keeps a manifest (``.persona-export.json``) of the files it wrote
per format. A later export of the same format removes its *own* files that it
no longer writes (a renamed persona's old card); anything else in the folder
is never touched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from assistant.errors import UsageError
from assistant.secrets import configured_secrets, scrub

MANIFEST = ".persona-export.json"
REDACTED = "[redacted]"


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """The configured secrets (``OPENAI_API_KEY`` and keys in use), longest first.

    Only configured secrets: an unrelated variable that merely looks like one
    (``KEYCLOAK_REALM=verified``) must not rewrite the words of an export.
    """
    return configured_secrets(environ)


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret value and credential-shaped token replaced by ``[redacted]``."""
    return scrub(text, secrets)


def prepare_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed; a clear usage error when it cannot be written."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"export folder {out_dir} is a file, not a folder: choose another --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create export folder {out_dir}: {exc.strerror or exc}") from exc
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"export folder {out_dir} is not writable: choose another with --out")
    return out_dir.resolve()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_manifest(out_dir: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): [str(p) for p in v] for k, v in files.items() if isinstance(v, list)}


def _inside(out_dir: Path, rel: str) -> Path | None:
    path = (out_dir / rel).resolve()
    return path if path.is_relative_to(out_dir) and path != out_dir else None


def write_files(
    out_dir: Path, files: Mapping[str, Mapping[str, bytes]], secrets: list[str] | None = None
) -> list[Path]:
    """Write ``{format: {relative path: bytes}}`` under ``out_dir``; return the paths, sorted.

    Secret values are redacted from every file. Files this export wrote
    before for the same format and no longer writes are removed.
    """
    out_dir = prepare_dir(out_dir)
    secrets = secret_values() if secrets is None else secrets
    manifest = _read_manifest(out_dir)
    written: list[Path] = []
    try:
        for fmt, contents in files.items():
            for rel, data in sorted(contents.items()):
                path = _inside(out_dir, rel)
                if path is None:
                    raise ValueError(f"export path escapes the folder: {rel}")
                text = data.decode("utf-8")
                data = redact(text, secrets).encode("utf-8")
                _write(path, data)
                written.append(path)
            for rel in sorted(set(manifest.get(fmt, [])) - set(contents)):
                stale = _inside(out_dir, rel)
                if stale is not None and stale.is_file():
                    stale.unlink()
            manifest[fmt] = sorted(contents)
        body = json.dumps({"files": dict(sorted(manifest.items()))}, indent=2) + "\n"
        _write(out_dir / MANIFEST, body.encode("utf-8"))
    except PermissionError as exc:
        raise UsageError(f"cannot write to export folder {out_dir}: {exc.strerror or exc}") from exc
    return sorted(written)
