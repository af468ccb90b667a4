"""A cheap guess of the language of a text: its script, else its most common short words.

Good enough to notice an answer written in another language than the
transcript (its quotes then cannot verify); not a language identifier.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

STOPWORDS: dict[str, frozenset[str]] = {
    "English": frozenset(
        [
            "the",
            "and",
            "to",
            "of",
            "a",
            "in",
            "that",
            "is",
            "it",
            "you",
            "we",
            "was",
            "for",
            "on",
            "with",
            "this",
            "but",
            "they",
            "have",
            "are",
            "not",
            "be",
            "so",
            "what",
            "our",
            "there",
            "just",
            "about",
        ]
    ),
    "German": frozenset(
        [
            "der",
            "die",
            "und",
            "das",
            "ist",
            "nicht",
            "ich",
            "wir",
            "sie",
            "es",
            "zu",
            "den",
            "mit",
            "ein",
            "eine",
            "auf",
            "für",
            "auch",
            "aber",
            "war",
            "haben",
            "wie",
            "dass",
            "noch",
        ]
    ),
    "French": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "est",
            "des",
            "un",
            "une",
            "que",
            "qui",
            "pas",
            "je",
            "nous",
            "vous",
            "il",
            "elle",
            "pour",
            "dans",
            "sur",
            "avec",
            "mais",
            "ce",
            "sont",
            "été",
            "très",
        ]
    ),
    "Spanish": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "es",
            "que",
            "en",
            "un",
            "una",
            "no",
            "por",
            "con",
            "para",
            "lo",
            "pero",
            "se",
            "del",
            "al",
            "como",
            "muy",
            "nosotros",
            "está",
        ]
    ),
    "Italian": frozenset(
        [
            "il",
            "la",
            "le",
            "e",
            "è",
            "di",
            "che",
            "non",
            "un",
            "una",
            "per",
            "con",
            "sono",
            "mi",
            "ma",
            "ho",
            "gli",
            "del",
            "della",
            "questo",
            "anche",
        ]
    ),
    "Portuguese": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "é",
            "de",
            "que",
            "não",
            "um",
            "uma",
            "para",
            "com",
            "em",
            "por",
            "mas",
            "eu",
            "se",
            "do",
            "da",
            "nós",
            "muito",
        ]
    ),
    "Dutch": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "is",
            "van",
            "dat",
            "niet",
            "ik",
            "we",
            "je",
            "in",
            "op",
            "te",
            "met",
            "voor",
            "maar",
            "zijn",
            "ook",
            "wat",
        ]
    ),
}
MIN_HITS = 5
"""Stopwords a text needs before its language is guessed."""
MARGIN = 1.5
"""The best language must have this many times the hits of the next one."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _script(text: str) -> str | None:
    """The script most letters are in (``Latin``, ``Cyrillic``, ``CJK`` ...), or None."""
    scripts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")):
            scripts["CJK"] += 1
        else:
            scripts[name.split(" ")[0].capitalize() if name else "Other"] += 1
    if not scripts:
        return None
    script, _ = scripts.most_common(1)[0]
    return script


def guess_language(text: str) -> str | None:
    """``English``, ``German``, ... (by stopwords), the script name for non-Latin text, or None."""
    script = _script(text)
    if script is None:
        return None
    if script != "Latin":
        return script
    words = Counter(w.casefold() for w in _WORD.findall(text))
    hits = sorted(
        ((sum(words[w] for w in stop), lang) for lang, stop in STOPWORDS.items()), reverse=True
    )
    (best, lang), (second, _) = hits[0], hits[1]
    if best >= MIN_HITS and best >= MARGIN * second:
        return lang
    return None
