"""Encoding detection: UTF-8, BOMs, UTF-16, cp1252; binary and undecodable input."""

from __future__ import annotations

import codecs

import pytest

from assistant.errors import ParseError
from assistant.ingest import parse_file
from assistant.ingest.encoding import decode_bytes, format_size

DIALOGUE = "Interviewer: Où est le café — “naïve” résumé?\nDana: À Zürich.\n"


@pytest.mark.parametrize(
    "data",
    [
        DIALOGUE.encode("utf-8"),
        codecs.BOM_UTF8 + DIALOGUE.encode("utf-8"),
        codecs.BOM_UTF16_LE + DIALOGUE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + DIALOGUE.encode("utf-16-be"),
        DIALOGUE.encode("utf-16-le"),
        DIALOGUE.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "cp1252"],
)
def test_decodes_to_the_same_text(write, data):
    t = parse_file(write("enc.txt", data))
    assert [x.speaker for x in t.turns] == ["Interviewer", "Dana"]
    assert t.turns[0].text == "Où est le café — “naïve” résumé?"
    assert t.turns[1].text == "À Zürich."


def test_crlf_line_endings():
    assert decode_bytes(b"a\r\nb\rc", "x") == "a\nb\nc"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary file (a PNG image)"),
        (b"hello\x00world\x00\x01\x02" * 50, "binary file (contains NUL bytes)"),
        (b"%PDF-1.7\n...", "binary file (a PDF document)"),
        (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40, "undecodable bytes"),
        (codecs.BOM_UTF8 + b"ok \xff\xfe bad", "undecodable bytes: not valid utf-8"),
        (bytes(range(1, 32)) * 20, "binary file (mostly control characters)"),
    ],
)
def test_rejects_binary_and_undecodable(data, reason):
    with pytest.raises(ParseError) as err:
        decode_bytes(data, "f.txt")
    assert reason in err.value.reason


def test_format_size():
    assert format_size(20 * 1024 * 1024) == "20 MB"
    assert format_size(52.4 * 1024 * 1024) == "52.4 MB"
