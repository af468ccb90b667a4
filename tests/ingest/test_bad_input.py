"""Bad input: a clear one-line ParseError every time, never a traceback or a hang."""

from __future__ import annotations

import pytest

from assistant.errors import ParseError
from assistant.ingest import parse_file


def _reason(path, **kwargs) -> str:
    with pytest.raises(ParseError) as err:
        parse_file(path, **kwargs)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith(str(path))
    return err.value.reason


def test_missing_file(tmp_path):
    assert _reason(tmp_path / "nope.txt") == "file does not exist"


def test_folder(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    assert _reason(tmp_path / "dir.txt") == "not a regular file"


def test_empty_file(write):
    assert _reason(write("empty.txt", b"")) == "file is empty"


def test_whitespace_only(write):
    assert _reason(write("blank.md", " \n\n\t\n")) == "file has no text"


def test_headings_only(write):
    assert "no text found" in _reason(write("h.md", "# Title\n\n---\n"))


def test_unsupported_extension(write):
    reason = _reason(write("deck.pdf", b"%PDF-1.4"))
    assert reason == (
        "unsupported file type '.pdf' (supported: .docx, .json, .markdown, .md, .srt, .tsv, .txt, .vtt)"
    )
    assert "without an extension" in _reason(write("README", "hi"))


def test_binary_with_text_extension(write):
    assert "binary file (a PNG image)" in _reason(write("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00"))
    assert "binary file (contains NUL bytes)" in _reason(write("nul.md", b"abc\x00\x00\x01def"))


def test_undecodable(write):
    assert "undecodable bytes" in _reason(write("x.txt", bytes([0x81, 0x8D, 0x8F, 0x9D]) * 30))


def test_size_limit_refuses_before_reading(write):
    path = write("big.txt", "Sam: hi\n" * 10)
    assert _reason(path, max_bytes=40) == "80 B is over the 40 B limit (set [ingest] max_file_mb)"


def test_default_limit_message(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: 52.4 MB on paper, nothing on disk
        fh.truncate(int(52.4 * 1024 * 1024))
    assert _reason(path) == "52.4 MB is over the 20 MB limit (set [ingest] max_file_mb)"


# A hang guard, not a speed claim: parsing took 3.6-10.4 s on a loaded 2-core
# machine (2026-11-30); quadratic behaviour would take far longer than 60 s.
@pytest.mark.timeout(60)
def test_large_text_parses_without_hanging(tmp_path):
    block = "Interviewer: How long does it take? " + "word " * 40 + "\nDana: " + "ok " * 60 + "\n"
    path = tmp_path / "large.txt"
    path.write_text(block * 20000, encoding="utf-8")  # about 11 MB
    t = parse_file(path, max_bytes=50 * 1024 * 1024)
    assert len(t.turns) == 40000
    assert t.turns[-1].text.startswith("ok ok")


# Measured 0.04 s under load (2026-11-30); a catastrophic regex would never end.
@pytest.mark.timeout(30)
def test_pathological_lines_do_not_hang(tmp_path):
    path = tmp_path / "patho.txt"
    path.write_text(("a" * 200_000 + ":" + " " * 1000 + "\n") * 5 + "https:" * 50_000, "utf-8")
    t = parse_file(path)
    assert t.format == "notes"
