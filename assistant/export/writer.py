"""Writing export files: secrets redacted, atomic replaces, and only our own files touched.

The export keeps a manifest (``.persona-export.json``) of the files it wrote
per format. A later export of the same format removes its *own* files that it
no longer writes (a renamed persona's old card); anything else in the folder
is never touched: a file in the way that the export did not write stops the
export before anything is written.

Files get normal permissions (``0666`` less the umask: ``0644`` usually), for
sharing; ``private`` (`persona export --private`, ``[export] private = true``)
makes them ``0600`` and new folders ``0700``.
"""

from __future__ import annotations

import json
import os
import secrets as token_source
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


def _write(path: Path, data: bytes, private: bool = False) -> None:
    """Replace ``path`` atomically; mode 0666 less the umask, or 0600 when ``private``."""
    path.parent.mkdir(mode=0o700 if private else 0o777, parents=True, exist_ok=True)
    tmp = path.parent / f".tmp-{token_source.token_hex(6)}-{path.name}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
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


def foreign_files(out_dir: Path, files: Mapping[str, Mapping[str, bytes]]) -> list[str]:
    """Paths the export would write that exist and that no earlier export wrote (sorted)."""
    ours = {rel for paths in _read_manifest(out_dir).values() for rel in paths}
    return sorted(
        rel
        for contents in files.values()
        for rel in contents
        if rel not in ours and (out_dir / rel).exists()
    )


def write_files(
    out_dir: Path,
    files: Mapping[str, Mapping[str, bytes]],
    secrets: list[str] | None = None,
    *,
    private: bool = False,
) -> list[Path]:
    """Write ``{format: {relative path: bytes}}`` under ``out_dir``; return the paths, sorted.

    Secret values are redacted from every file. Files this export wrote
    before for the same format and no longer writes are removed. A file in
    the way that the export did not write is a usage error, before anything
    is written. ``private``: mode 0600 instead of the umask's (0644).
    """
    out_dir = prepare_dir(out_dir)
    secrets = secret_values() if secrets is None else secrets
    manifest = _read_manifest(out_dir)
    conflicts = foreign_files(out_dir, files)
    if conflicts:
        shown = ", ".join(conflicts[:5]) + (
            f" and {len(conflicts) - 5} more" if len(conflicts) > 5 else ""
        )
        raise UsageError(
            f"export folder {out_dir} already holds {shown}, not written by an earlier export: "
            "nothing was written; move those files away or choose another folder with --out"
        )
    written: list[Path] = []
    try:
        for fmt, contents in files.items():
            for rel, data in sorted(contents.items()):
                path = _inside(out_dir, rel)
                if path is None:
                    raise ValueError(f"export path escapes the folder: {rel}")
                text = data.decode("utf-8")
                data = redact(text, secrets).encode("utf-8")
                _write(path, data, private)
                written.append(path)
            for rel in sorted(set(manifest.get(fmt, [])) - set(contents)):
                stale = _inside(out_dir, rel)
                if stale is not None and stale.is_file():
                    stale.unlink()
            manifest[fmt] = sorted(contents)
        body = json.dumps({"files": dict(sorted(manifest.items()))}, indent=2) + "\n"
        _write(out_dir / MANIFEST, body.encode("utf-8"), private)
    except PermissionError as exc:
        raise UsageError(f"cannot write to export folder {out_dir}: {exc.strerror or exc}") from exc
    return sorted(written)
