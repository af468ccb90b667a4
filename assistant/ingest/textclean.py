"""Cleaning helpers shared by the text-layout parsers.

``clean_line`` removes what editors and exporters leave around a line (BOM,
no-break spaces, trailing blanks); ``clean_text`` removes Markdown markup and
HTML entities from turn text (``**bold**``, ``*italic*``, ``\\[`` escapes,
``[link](url)``, ``> `` quote marks, ``&amp;``); ``clock_seconds`` reads the timestamps found in
transcripts (``0:03``, ``01:02:03,069``, ``11:02:09 AM``).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_UNDERSCORE_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_LINK = re.compile(r"\[([^\]\n]*)\]\((?:https?://|mailto:|#)[^)\s]*\)")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LONE_BOLD = re.compile(r"\*\*")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_CLOCK = re.compile(
    r"^(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?"
    r"(?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?)?$"
)
TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
"""A timestamp inside a larger pattern: ``0:03``, ``12:45``, ``1:02:03.5``."""


def clean_line(line: str) -> str:
    """One line without BOM, zero-width or no-break spaces, and surrounding blanks."""
    if line.isascii():  # the usual case, and none of the characters below is ASCII
        return line.strip()
    return line.replace("\ufeff", "").replace("\u200b", "").replace("\xa0", " ").strip()


def strip_markup(text: str) -> str:
    """``text`` without Markdown emphasis, escapes or links, and with HTML entities decoded."""
    if not (  # most lines hold no markup: seven substring tests beat one regex scan
        "*" in text
        or "_" in text
        or "\\" in text
        or "[" in text
        or "&" in text
        or "<" in text
        or ">" in text
    ):
        return text
    # Each pattern runs only when the character it needs is there (most lines
    # hold one kind of markup at most): same result, a fraction of the cost.
    if ">" in text:
        text = _QUOTE.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _BOLD.sub(r"\2", text)
    if "*" in text:
        text = _STAR_ITALIC.sub(r"\1", text)
    if "_" in text:
        text = _UNDERSCORE_ITALIC.sub(r"\1", text)
    if "**" in text:
        text = _LONE_BOLD.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "<" in text:
        text = _BR.sub(" ", text)
    return html.unescape(text) if "&" in text else text


def clean_text(text: str) -> str:
    """Turn or label text: markup stripped and blanks trimmed."""
    return strip_markup(text.strip() if text.isascii() else clean_line(text)).strip()


@lru_cache(maxsize=4096)  # a file repeats its few speaker labels on every header line
def clean_name(label: str) -> str:
    """:func:`clean_text` of a speaker label, remembered."""
    return clean_text(label)


def clock_seconds(ts: str) -> float | None:
    """``1:02:03`` / ``12:45`` / ``00:00:01,220`` / ``11:02:09 PM`` → seconds, or None."""
    m = _CLOCK.match(ts.strip())
    if m is None:
        return None
    hours = int(m["h"] or 0)
    minutes, seconds = int(m["m"]), int(m["s"])
    if seconds >= 60 or (m["h"] is not None and minutes >= 60):
        return None
    if m["ampm"]:
        if not 1 <= (hours or minutes) <= 12:
            return None
        if m["h"] is None:  # "11:02 AM": hours and minutes, no seconds
            hours, minutes, seconds = minutes, seconds, 0
        hours = hours % 12 + (12 if m["ampm"] in "Pp" else 0)
    frac = float(f"0.{m['f']}") if m["f"] else 0.0
    return hours * 3600 + minutes * 60 + seconds + frac
