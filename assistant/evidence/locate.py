"""Find where a piece of text occurs in a transcript, turn by turn.

:class:`TranscriptIndex` normalises every turn once, so a batch of quotes
is matched without re-normalising. Matching never crosses a turn boundary:
each hit lies inside one turn's text, and its span is absolute (an offset
into ``transcript.text``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from assistant.evidence.normalize import (
    Normalized,
    at_word_boundary,
    is_word_char,
    normalize,
    normalize_text,
)
from assistant.evidence.wording import Token, compare, fluent_tokens
from assistant.models import Transcript, Turn


class MatchType(StrEnum):
    """How a quote was found, from strictest to loosest."""

    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"


_RANK = {MatchType.exact: 0, MatchType.normalized: 1, MatchType.fuzzy: 2}


def match_rank(match: MatchType) -> int:
    """0 for exact, 1 for normalized, 2 for fuzzy: higher is looser."""
    return _RANK[match]


@dataclass(frozen=True, slots=True)
class Hit:
    """One place where text was found: a turn position and an absolute span."""

    pos: int  # position of the turn in transcript.turns
    start: int
    end: int
    match: MatchType
    score: float

    @property
    def key(self) -> tuple[int, float, int, int]:
        """Sort key: strictest match, best score, earliest place."""
        return (match_rank(self.match), -self.score, self.pos, self.start)


@dataclass(slots=True)
class Search:
    """The hits of one search, and the best fuzzy score seen (even below threshold)."""

    hits: list[Hit] = field(default_factory=list)
    best_fuzzy: float | None = None
    altered: list[tuple[Hit, str]] = field(default_factory=list)
    """Fuzzy alignments above the threshold whose words differ in content, with the reason."""


def word_count(norm: str) -> int:
    """Words in normalised text; each CJK/Thai character counts as one word."""
    spaced = sum(1 for tok in norm.split() if any(is_word_char(c) for c in tok))
    return spaced + sum(1 for c in norm if c.isalnum() and not is_word_char(c))


def is_short(norm: str) -> bool:
    """Too short to match fuzzily: under 3 words or under 12 characters."""
    return len(norm) < 12 or word_count(norm) < 3


def _occurrences(haystack: str, needle: str) -> Iterable[int]:
    i = haystack.find(needle)
    while i >= 0:
        if at_word_boundary(haystack, i, i + len(needle)):
            yield i
        i = haystack.find(needle, i + 1)


_QUOTE_MARKS = '"“”„«»「」『』'


def _strip_wrapping(quote: str) -> str:
    """Drop whitespace, and quotation marks when they wrap the whole quote."""
    quote = quote.strip()
    if len(quote) > 2 and quote[0] in _QUOTE_MARKS and quote[-1] in _QUOTE_MARKS:
        quote = quote[1:-1].strip()
    return quote


class TranscriptIndex:
    """A transcript with every turn normalised once, for fast repeated lookups."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.turns: Sequence[Turn] = transcript.turns
        self.norms: list[Normalized] = [normalize(t.text) for t in self.turns]
        self._fluent_cache: dict[int, tuple[str, list[Token], list[int]]] = {}

    def __len__(self) -> int:
        return len(self.turns)

    def exact(self, quote: str, positions: Iterable[int]) -> list[Hit]:
        """Every exact, word-bounded occurrence of ``quote`` in the given turns."""
        needle = _strip_wrapping(unicodedata.normalize("NFC", quote))
        if not needle:
            return []
        hits = []
        for p in positions:
            turn = self.turns[p]
            for i in _occurrences(turn.text, needle):
                s = turn.char_start + i
                hits.append(Hit(p, s, s + len(needle), MatchType.exact, 100.0))
        return hits

    def normalized(self, quote: str, positions: Iterable[int]) -> list[Hit]:
        """Every occurrence of ``quote`` after normalisation, mapped to original spans."""
        needle = normalize_text(quote)
        if not needle:
            return []
        hits = []
        for p in positions:
            norm = self.norms[p]
            base = self.turns[p].char_start
            for i in _occurrences(norm.text, needle):
                s, e = norm.original_span(i, i + len(needle))
                hits.append(Hit(p, base + s, base + e, MatchType.normalized, 100.0))
        return hits

    def without_disfluencies(self, quote: str, positions: Iterable[int]) -> list[Hit]:
        """Normalised matches once hesitations (``um``, ``uh``, ``you know``) are ignored on
        both sides; the span runs from the first to the last word of the quote."""
        needle = " ".join(t.text for t in fluent_tokens(normalize_text(quote)))
        if needle.count(" ") < 2:
            return []
        hits = []
        for p in positions:
            joined, toks, starts = self._fluent(p)
            if joined == self.norms[p].text:
                continue  # no hesitations here: the normalised stage has decided
            base = self.turns[p].char_start
            for i in _occurrences(joined, needle):
                first = starts.index(i)
                last = first + needle.count(" ")
                s, e = self.norms[p].original_span(toks[first].start, toks[last].end)
                hits.append(Hit(p, base + s, base + e, MatchType.normalized, 100.0))
        return hits

    def _fluent(self, p: int) -> tuple[str, list[Token], list[int]]:
        """Turn ``p``'s words without hesitations, joined, with each word's offset (cached)."""
        cached = self._fluent_cache.get(p)
        if cached is None:
            toks = fluent_tokens(self.norms[p].text)
            starts, pos = [], 0
            for t in toks:
                starts.append(pos)
                pos += len(t.text) + 1
            cached = (" ".join(t.text for t in toks), toks, starts)
            self._fluent_cache[p] = cached
        return cached

    def fuzzy(
        self, quote: str, positions: Iterable[int], threshold: float, *, report_best: bool = True
    ) -> Search:
        """The best fuzzy alignment per turn at or above ``threshold``.

        ``report_best`` also records the best score below the threshold (for
        the reason of a failure); without it, turns are cut off early (faster).

        A quote shorter than the turn is aligned inside it (partial ratio); a
        turn shorter than the quote is compared whole, so a long quote cannot
        score high by containing a short turn. Each alignment is then compared
        word by word (:func:`~assistant.evidence.wording.compare`): one whose
        words differ in content goes to ``altered``, not ``hits``. Spans are
        trimmed to the aligned words and widened to whole words.
        """
        needle = normalize_text(quote)
        result = Search()
        if not needle:
            return result
        cutoff = 0.0 if report_best else threshold
        for p in positions:
            norm = self.norms[p]
            if not norm.text:
                continue
            if len(norm.text) >= len(needle):
                al = fuzz.partial_ratio_alignment(needle, norm.text, score_cutoff=cutoff)
                if al is None:
                    continue
                score, ds, de = al.score, al.dest_start, al.dest_end
            else:
                score = fuzz.ratio(needle, norm.text, score_cutoff=cutoff)
                ds, de = 0, len(norm.text)
            if result.best_fuzzy is None or score > result.best_fuzzy:
                result.best_fuzzy = score
            if score < threshold:
                continue
            verdict = compare(needle, norm.text, ds, de)
            try:
                s, e = norm.original_span(verdict.start, verdict.end)
            except ValueError:
                continue
            s, e = self._widen(p, s, e)
            base = self.turns[p].char_start
            hit = Hit(p, base + s, base + e, MatchType.fuzzy, score)
            if verdict.altered:
                result.altered.append((hit, verdict.reason))
            else:
                result.hits.append(hit)
        result.hits.sort(key=lambda h: h.key)
        result.altered.sort(key=lambda a: a[0].key)
        return result

    def _widen(self, p: int, start: int, end: int) -> tuple[int, int]:
        text = self.turns[p].text
        while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
            start -= 1
        while end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
            end += 1
        return start, end

    def find(
        self,
        quote: str,
        positions: Sequence[int],
        *,
        threshold: float,
        allow_fuzzy: bool = True,
        staged: bool = True,
        report_best: bool = True,
    ) -> Search:
        """Search the given turns: exact, then normalized, then fuzzy.

        ``staged`` stops at the first stage with hits; otherwise exact and
        normalized hits are both returned (for chaining ellipsis parts).
        Fuzzy runs only when nothing matched exactly or after normalising.
        """
        exact = self.exact(quote, positions)
        if staged and exact:
            return Search(sorted(exact, key=lambda h: h.key))
        norm = [
            h
            for h in self.normalized(quote, positions)
            if not any(x.start < h.end and h.start < x.end for x in exact)
        ]
        hits = exact + norm
        if hits:
            return Search(sorted(hits, key=lambda h: h.key))
        fluent = self.without_disfluencies(quote, positions)
        if fluent:
            return Search(sorted(fluent, key=lambda h: h.key))
        if not allow_fuzzy:
            return Search()
        return self.fuzzy(quote, positions, threshold, report_best=report_best)
