"""Bad input for the text layouts: truncated files and turns without words."""

from __future__ import annotations

import pytest

from assistant.errors import ParseError
from assistant.ingest import parse_file
from tests.support.ingest import FORMATS, parse_error

TEXT_FIXTURES = sorted(
    p for p in FORMATS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md"
)

HEADERS_ONLY = {
    "otter": "Speaker 1  0:03\n\nJane Doe  0:09\n",
    "rev": "Speaker 1 (00:00):\n\nJane Doe (00:09):\n",
    "zoom-captions": "[Dana Lee] 11:02:09\n[Jane Doe] 11:02:15\n",
    "zoom-web": "user avatar\nDana Lee\n00:03:40\nuser avatar\nJane Doe\n00:03:46\n",
    "fathom": "VIEW RECORDING - 3 mins\n\n0:00 - Dana Lee (dana@example.com)\n\n0:09 - Jane Doe\n",
    "granola": "### You (2025-09-08T13:01:21Z)\n\n### Guest (2025-09-08T13:01:30Z)\n",
    "bold-time": "**Dana Lee** [0:00]\n\n**Jane Doe** [0:07]\n",
    "diarized": "SPEAKER_00:\nSPEAKER_01:\nSPEAKER_00:\n",
    "timed-lines": "00:00:00,069 --> 00:00:01,220 [speaker_0]\n00:00:01,300 --> 00:00:02,000 [speaker_1]\n",
    "legend": "[I] – Interviewer [C] – Client\nI –\nC –\n",
}


@pytest.mark.parametrize("name", sorted(HEADERS_ONLY))
def test_turns_without_words_are_a_one_line_error(write, name: str) -> None:
    path = write(f"{name}.txt", HEADERS_ONLY[name])
    assert "no text found" in parse_error(path)


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.name)
def test_truncated_fixture_parses_what_is_there_or_says_why(write, path) -> None:
    text = path.read_text(encoding="utf-8")
    cut = write(f"cut{path.suffix}", text[: len(text) * 3 // 5])
    try:
        t = parse_file(cut)
    except ParseError as exc:
        assert "\n" not in exc.reason
        return
    assert t.turns
    assert all(x.text for x in t.turns)
