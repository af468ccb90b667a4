"""Read a transcript file's bytes and decode them to text.

UTF-8 (with or without BOM) and UTF-16/UTF-32 with a BOM are decoded directly;
UTF-16 without a BOM is recognised by its pattern of NUL bytes; anything else
is tried as cp1252 (then cp1250/cp1251) with charset-normalizer, which rejects
byte soup. Binary files and undecodable bytes raise :class:`ParseError`.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from assistant.errors import ParseError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3\x00", "a SQLite database"),
)

_LEGACY_ENCODINGS: tuple[list[str], ...] = (["cp1252"], ["cp1250", "cp1251"])


def format_size(n_bytes: float) -> str:
    """Render a byte count for messages: ``52.4 MB``, ``20 MB``, ``3.1 KB``, ``80 B``."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n_bytes >= scale:
            value = n_bytes / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{int(n_bytes)} B"


def check_file(path: Path, max_bytes: int) -> int:
    """Check that ``path`` is a readable, non-empty file within the size limit; return its size."""
    if not path.exists():
        raise ParseError(str(path), "file does not exist")
    if not path.is_file():
        raise ParseError(str(path), "not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ParseError(
            str(path),
            f"{format_size(size)} is over the {format_size(max_bytes)} limit "
            "(set [ingest] max_file_mb)",
        )
    if size == 0:
        raise ParseError(str(path), "file is empty")
    return size


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` bytes, refusing larger files before reading them."""
    check_file(path, max_bytes)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ParseError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ParseError(
            str(path), f"file is over the {format_size(max_bytes)} limit (set [ingest] max_file_mb)"
        )
    if not data:
        raise ParseError(str(path), "file is empty")
    return data


def read_text(path: Path, max_bytes: int) -> str:
    """Read and decode a text file; see :func:`decode_bytes`."""
    return decode_bytes(read_bytes(path, max_bytes), str(path))


def decode_bytes(data: bytes, source: str) -> str:
    """Decode ``data`` to text, raising :class:`ParseError` for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(encoding), source)
            except UnicodeDecodeError as exc:
                raise ParseError(
                    source, f"undecodable bytes: not valid {encoding} at byte {exc.start}"
                ) from None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ParseError(source, f"binary file ({kind}), not a text transcript")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ParseError(source, "binary file (contains NUL bytes), not a text transcript")
        return _check_text(utf16, source)
    try:
        return _check_text(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    for isolation in _LEGACY_ENCODINGS:
        best = from_bytes(data, cp_isolation=isolation).best()
        if best is not None:
            return _check_text(str(best), source)
    raise ParseError(source, "undecodable bytes: not UTF-8, UTF-16 or cp1252 text")


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode UTF-16 text without a BOM, recognised by NUL high bytes of ASCII characters."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
        encoding = "utf-16-le"
    elif even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""Control characters other than line breaks and tabs (``\\t \\n \\v \\f \\r``)."""


def _check_text(text: str, source: str) -> str:
    """Reject decoded text that is mostly control characters (binary in disguise)."""
    sample = text[:65536]
    if "\x00" in sample:
        raise ParseError(source, "binary file (contains NUL bytes), not a text transcript")
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.05:
        raise ParseError(source, "binary file (mostly control characters), not a text transcript")
    return text.replace("\r\n", "\n").replace("\r", "\n")
