"""Word-level check of a fuzzy match: only fillers and small variants may differ.

A fuzzy alignment says a quote *looks like* a span of a turn. This module
decides whether the differences are harmless — fillers (``um``, ``you know``),
punctuation and case (already gone after normalisation), a few function words
transcribers swap (``a``/``the``), spelling variants (``reconcilling``) and
common spoken forms (``gonna`` = ``going to``, ``don't`` = ``do not``) — or
whether the quote changed the words: a content word the span does not hold
(an inserted clause, a ``not``, a name, a number) or a content word of the
span the quote left out. Numbers and negations are never "small variants".

:func:`compare` returns the verdict and the tightest span of the turn's
normalised text that the quote's words align with.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

FILLERS = frozenset(
    {
        "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "mhm",
        "oh", "like", "yeah", "so", "well", "okay", "right", "just", "basically",
        "actually", "literally", "you know", "i mean", "sort of", "kind of",
    }
)  # fmt: skip
"""Words (and two-word phrases) that carry no content when inserted or left out."""

DISFLUENCIES = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "mhm"}
)
"""Hesitations ignored outright when matching (two-word ones: ``you know``, ``i mean``)."""
_DISFLUENT_PAIRS = frozenset({("you", "know"), ("i", "mean")})

MINOR_WORDS = frozenset({"a", "an", "the", "and", "of", "to"})
"""Function words transcribers often drop, add or swap."""

NEGATIONS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor"})

SPOKEN_FORMS: dict[str, str] = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "isnt": "is not",
    "wasnt": "was not",
    "arent": "are not",
    "werent": "were not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "aint": "is not",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "sorta": "sort of",
    "ok": "okay",
    "cuz": "because",
    "cos": "because",
    "til": "until",
    "till": "until",
}
"""Spoken or contracted forms and their written equivalent (compared word by word)."""

_VARIANT_RATIO = 75.0  # least character similarity for two words to be one word misheard
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of normalised text and where it lies in that text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of :func:`compare`: the aligned span, and what was altered (if anything)."""

    start: int  # offsets in the normalised turn text
    end: int
    adds: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()

    @property
    def altered(self) -> bool:
        return bool(self.adds or self.drops)

    @property
    def reason(self) -> str:
        """``altered: adds 'not'`` (and/or ``drops '…'``), for an altered quote."""
        parts = []
        if self.adds:
            parts.append("adds " + ", ".join(f"'{w}'" for w in self.adds))
        if self.drops:
            parts.append("drops " + ", ".join(f"'{w}'" for w in self.drops))
        return "altered: " + "; ".join(parts)


def tokens(norm: str) -> list[Token]:
    """The words of normalised text; spoken forms expanded, CJK/Thai one token per character."""
    out: list[Token] = []
    for m in re.finditer(r"\S+", norm):
        word, s = m.group(), m.start()
        if any(c.isalnum() and not _spaced(c) for c in word):
            out.extend(Token(c, s + i, s + i + 1) for i, c in enumerate(word))
            continue
        expanded = SPOKEN_FORMS.get(word)
        if expanded is None:
            out.append(Token(word, s, m.end()))
        else:
            out.extend(Token(part, s, m.end()) for part in expanded.split())
    return out


def fluent_tokens(norm: str) -> list[Token]:
    """:func:`tokens` without hesitations: ``um``, ``uh``, ``you know``, ``i mean``...

    A ``you know`` or ``i mean`` is dropped only between words, never where it
    starts or ends the text (there it may be the words' meaning).
    """
    toks = tokens(norm)
    out: list[Token] = []
    i = 0
    while i < len(toks):
        pair = (toks[i].text, toks[i + 1].text) if i + 1 < len(toks) else None
        if pair in _DISFLUENT_PAIRS and i > 0 and i + 2 < len(toks):
            i += 2
            continue
        if toks[i].text not in DISFLUENCIES:
            out.append(toks[i])
        i += 1
    return out


def _spaced(ch: str) -> bool:
    o = ord(ch)
    return not (0x0E00 <= o <= 0x0EFF or o >= 0x2E80)


def _ignorable(words: list[str]) -> list[str]:
    """The content words of ``words``: what is left after fillers and minor words."""
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if len(words) > i + 1 and pair in FILLERS:
            i += 2
            continue
        if words[i] not in FILLERS and words[i] not in MINOR_WORDS:
            out.append(words[i])
        i += 1
    return out


def _same_word(a: str, b: str) -> bool:
    """One word heard two ways: identical, or a close spelling with the same digits."""
    if a == b:
        return True
    if a in NEGATIONS or b in NEGATIONS:
        return False
    if _DIGIT.search(a) or _DIGIT.search(b):
        return False
    return min(len(a), len(b)) >= 3 and fuzz.ratio(a, b) >= _VARIANT_RATIO


def _same_words(qs: list[str], ws: list[str]) -> bool:
    """Two runs of words that are one phrase heard or spelled differently."""
    if len(qs) == len(ws):
        return all(_same_word(a, b) for a, b in zip(qs, ws, strict=True))
    joined_q, joined_w = "".join(qs), "".join(ws)
    if joined_q == joined_w:  # "every one" / "everyone", "4 000" / "4000"
        return True
    if any(w in NEGATIONS for w in qs + ws) or _DIGIT.search(joined_q + joined_w):
        return False
    return fuzz.ratio(" ".join(qs), " ".join(ws)) >= 85


def compare(quote_norm: str, turn_norm: str, start: int, end: int, margin: int = 3) -> Verdict:
    """Compare the quote's words with the turn's words around ``[start, end)``.

    ``start``/``end`` are the fuzzy alignment in the turn's normalised text;
    ``margin`` words either side (more when the alignment holds fewer words
    than the quote) are considered too, and the returned span is
    trimmed to the words the quote aligns with.
    """
    q = [t.text for t in tokens(quote_norm)]
    all_w = tokens(turn_norm)
    inside = [i for i, t in enumerate(all_w) if t.end > start and t.start < end]
    if not inside:
        return Verdict(start, end, adds=tuple(_ignorable(q)) or tuple(q))
    margin += max(0, len(q) - len(inside))
    lo, hi = max(0, inside[0] - margin), min(len(all_w), inside[-1] + 1 + margin)
    window = all_w[lo:hi]
    w = [t.text for t in window]
    ops = list(difflib.SequenceMatcher(None, q, w, autojunk=False).get_opcodes())
    # Window words before the first and after the last aligned quote word are not part of it.
    while ops and ops[0][0] == "insert":
        ops = ops[1:]
    while ops and ops[-1][0] == "insert":
        ops = ops[:-1]
    if not ops:
        return Verdict(start, end, adds=tuple(_ignorable(q)) or tuple(q))
    # A replaced block at either edge pairs the quote's words with as many window
    # words next to the aligned part; window words beyond them are outside the span.
    if ops[0][0] == "replace":
        tag, i1, i2, j1, j2 = ops[0]
        ops[0] = (tag, i1, i2, max(j1, j2 - (i2 - i1)), j2)
    if ops[-1][0] == "replace":
        tag, i1, i2, j1, j2 = ops[-1]
        ops[-1] = (tag, i1, i2, j1, min(j2, j1 + (i2 - i1)))
    edges = {0, len(ops) - 1}
    adds: list[str] = []
    drops: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        qs, ws = q[i1:i2], w[j1:j2]
        if tag == "equal" or (tag == "replace" and _same_words(qs, ws)):
            continue
        extra_q, extra_w = _ignorable(qs), _ignorable(ws)
        if tag == "replace":  # pair off words that are variants of each other
            for a in list(extra_q):
                match = next((b for b in extra_w if _same_word(a, b)), None)
                if match is not None:
                    extra_q.remove(a)
                    extra_w.remove(match)
        adds += extra_q
        if n not in edges or tag != "replace":
            drops += extra_w
    used = [(j1, j2) for _, _, _, j1, j2 in ops if j2 > j1]
    if not used:
        return Verdict(start, end, adds=tuple(_ignorable(q)) or tuple(q))
    first, last = used[0][0], used[-1][1]
    span_start, span_end = window[first].start, window[last - 1].end
    return Verdict(span_start, span_end, tuple(dict.fromkeys(adds)), tuple(dict.fromkeys(drops)))
