"""Text normalisation for quote matching, keeping a map back to original offsets.

The normalised form is NFKC, casefolded, with apostrophes dropped
(``don’t`` = ``don't`` = ``dont``), other punctuation — quotes, dashes,
hyphens, ellipses, commas, full stops — turned into spaces, and whitespace
collapsed to single spaces. ``% & @ #`` are kept: they carry meaning in
numbers and names. Each normalised character remembers the original
character it came from, so a match in normalised text maps back to an exact
span of the original.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

APOSTROPHES = frozenset("'’‘ʼ`´′")
KEPT_PUNCTUATION = frozenset("%&@#")


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") and ch not in KEPT_PUNCTUATION


def is_word_char(ch: str) -> bool:
    """True for letters and digits of scripts that separate words with spaces.

    CJK and Thai write words without spaces, so a match may start or end
    anywhere inside a run of them.
    """
    if not ch.isalnum():
        return False
    o = ord(ch)
    return not (0x0E00 <= o <= 0x0EFF or o >= 0x2E80)


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` does not cut a word at either end."""
    if start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        return False
    return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised string and, per character, the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to an original span.

        Spaces at either edge are skipped, so the span starts and ends on
        real characters.
        """
        while start < end and self.text[start] == " ":
            start += 1
        while end > start and self.text[end - 1] == " ":
            end -= 1
        if start >= end:
            raise ValueError("empty span")
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching (see the module docstring)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c in APOSTROPHES:
                continue
            if c.isspace() or _is_punct(c):
                if out and out[-1] != " ":
                    out.append(" ")
                    starts.append(i)
                    ends.append(i + 1)
                continue
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    if out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return Normalized("".join(out), tuple(starts), tuple(ends))


def normalize_text(text: str) -> str:
    """The normalised form of ``text`` alone (no offsets)."""
    return normalize(unicodedata.normalize("NFC", text)).text
