"""Deterministic, local verification of quotes against their transcript.

A quote is located in three stages, inside one turn at a time: exact
substring, then after normalisation (case, whitespace, punctuation, curly
quotes, dashes, ellipses; see :mod:`assistant.evidence.normalize`), then
fuzzy alignment (rapidfuzz partial ratio, ``fuzzy_threshold`` 0–100). The
result records the turn, the absolute span in ``transcript.text``, the
speaker, the match type and the score. Rules:

- **Speaker role.** Evidence must come from turns of ``expected_role``
  (participant by default). A quote found only in turns whose role is
  unknown (an undiarized transcript, an ``Unknown Speaker``, a speaker nobody
  assigned) is ``unattributed``: located, never evidence, until a person
  says who spoke. A quote found only elsewhere — say in an interviewer turn —
  is unverified, with a reason naming the turn. A participant turn that
  matches only fuzzily while an interviewer turn holds the words exactly is
  unverified too: the interviewer said them.
- **Altered words.** A fuzzy match counts only when the quote and the span
  differ by fillers, punctuation, case or small transcription variants
  (:mod:`assistant.evidence.wording`). A content word the span lacks, or one
  of the span's the quote leaves out, makes it unverified: ``altered: adds
  'not'``.
- **Ellipsis.** A quote with ``...`` or ``…`` (not present as such in the
  transcript) is split into parts. Every part must be found, in order, in one
  turn or in consecutive turns of the same speaker, each part starting at
  most ``max_gap`` characters after the previous one ends. Otherwise the
  quote is unverified as stitched.
- **Stitching.** A quote found nowhere whose halves (split at a sentence or
  clause boundary near the middle) are both found in different places is
  unverified as stitched, naming the turns.
- **Short quotes** (under 3 words or 12 characters) are never matched
  fuzzily. When they occur several times the first acceptable occurrence is
  taken; they are ambiguous evidence, so callers may weigh them lower.
- **Notes.** In a non-verbatim transcript (interviewer notes) every turn is
  acceptable and a located quote gets status ``note``, never ``verified``: it
  is the note-taker's words. A quote that cannot be located stays
  ``unverified``.
- **Shown as spoken.** ``quote`` keeps the text as given; ``text`` is the
  transcript's own words at the span (for an ellipsis quote, each part's own
  words joined by `` … ``). Displays show ``text``; a quote that is not
  located has no ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field

from assistant.evidence.locate import (
    Hit,
    MatchType,
    Search,
    TranscriptIndex,
    is_short,
    match_rank,
)
from assistant.evidence.normalize import normalize_text
from assistant.models import EvidenceStatus, SpeakerRole, Transcript, Turn

DEFAULT_FUZZY_THRESHOLD = 88.0
MAX_ELLIPSIS_GAP = 300
"""Most characters an ellipsis may stand for (about 50 words)."""
_FLOOR = 50.0  # below this best fuzzy score a quote is simply "not found"

_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\((?:\.\s*){3}\)|\.\s?\.\s?\.|…)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])")
_CLAUSE_END = re.compile(r"(?<=[,:—–，、])\s*|\s+(?=[—–-]\s)")
_WORD_GAP = re.compile(r"\s+")


class VerifiedQuote(BaseModel):
    """A quote and where (and how well) it was found in the transcript."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(description="The quote exactly as given; never replaced.")
    text: str | None = Field(
        None, description="The transcript's own words at the span (what displays show)."
    )
    status: EvidenceStatus
    match: MatchType | None = None
    score: float | None = Field(None, ge=0, le=100)
    turn: int | None = Field(None, description="Turn.index of the turn it was found in.")
    speaker: str | None = None
    role: SpeakerRole | None = None
    start: int | None = Field(None, description="Start offset in transcript.text.")
    end: int | None = Field(None, description="End offset in transcript.text.")
    reason: str | None = Field(None, description="Why it is not verified.")

    @property
    def is_evidence(self) -> bool:
        """True only for verified quotes: the only ones that count as evidence."""
        return self.status is EvidenceStatus.verified


def split_ellipsis(quote: str) -> list[str]:
    """The non-empty parts of ``quote`` between ellipses (``...``, ``…``, ``[...]``)."""
    return [p for p in (s.strip() for s in _ELLIPSIS.split(quote)) if normalize_text(p)]


def _describe(turn: Turn) -> str:
    if turn.role is SpeakerRole.unknown:
        return f"turn {turn.index} (speaker role unknown)"
    return f"{turn.role.value} turn {turn.index}"


def _join(numbers: Sequence[int]) -> str:
    items = [str(n) for n in numbers]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class _Verifier:
    """The rules above, for one transcript index and one set of options."""

    def __init__(
        self,
        index: TranscriptIndex,
        expected_role: SpeakerRole | None,
        threshold: float,
        max_gap: int,
    ) -> None:
        self.index = index
        self.turns = index.turns
        self.threshold = threshold
        self.max_gap = max_gap
        every = list(range(len(index)))
        self.unknown: list[int] = []
        if expected_role is None or not index.transcript.verbatim:
            self.ok, self.other = every, []
            return
        self.ok = [p for p in every if self.turns[p].role is expected_role]
        self.unknown = [p for p in every if self.turns[p].role is SpeakerRole.unknown]
        self.other = [p for p in every if p not in self.ok and p not in self.unknown]

    # ------------------------------------------------------------ results

    def _located(self, quote: str, status: EvidenceStatus, hit: Hit, **kw: object) -> VerifiedQuote:
        turn = self.turns[hit.pos]
        return VerifiedQuote.model_validate(
            {
                "quote": quote,
                "status": status,
                "match": hit.match,
                "score": round(hit.score, 1),
                "turn": turn.index,
                "speaker": turn.speaker,
                "role": turn.role,
                "start": hit.start,
                "end": hit.end,
                "text": self.index.transcript.text[hit.start : hit.end],
                **kw,
            }
        )

    @staticmethod
    def _failed(quote: str, reason: str) -> VerifiedQuote:
        return VerifiedQuote(quote=quote, status=EvidenceStatus.unverified, reason=reason)

    def _find(
        self, text: str, positions: Sequence[int], *, staged: bool = True, report_best: bool = True
    ) -> Search:
        fuzzy = not is_short(normalize_text(text))
        return self.index.find(
            text,
            positions,
            threshold=self.threshold,
            allow_fuzzy=fuzzy,
            staged=staged,
            report_best=report_best,
        )

    def _not_found(self, search: Search, text: str, what: str = "not found") -> str:
        best = search.best_fuzzy
        if best is not None and best >= _FLOOR:
            return f"{what}: below fuzzy threshold ({best:.0f} < {self.threshold:.0f})"
        if is_short(normalize_text(text)):
            return f"{what} (short text is matched exactly only)"
        return what

    # ------------------------------------------------------------ rules

    def verify(self, quote: str) -> VerifiedQuote:
        text = unicodedata.normalize("NFC", quote).strip()
        if not normalize_text(text):
            return self._failed(quote, "empty quote")
        parts = split_ellipsis(text)
        if len(parts) > 1:
            whole = self.index.find(text, self.ok, threshold=self.threshold, allow_fuzzy=False)
            result = (
                self._located(quote, EvidenceStatus.verified, whole.hits[0])
                if whole.hits
                else self._chain(quote, parts)
            )
        else:
            result = self._single(quote, parts[0])
        if result.status is EvidenceStatus.verified and not self.index.transcript.verbatim:
            return result.model_copy(
                update={"status": EvidenceStatus.note, "reason": "from notes: not verbatim words"}
            )
        return result

    def _single(self, quote: str, text: str) -> VerifiedQuote:
        found = self._find(text, self.ok)
        if found.hits:
            hit = found.hits[0]
            if hit.match is MatchType.fuzzy and self.other:
                closer = self.index.find(text, self.other, threshold=100, allow_fuzzy=False)
                if closer.hits:
                    where = _describe(self.turns[closer.hits[0].pos])
                    return self._located(
                        quote,
                        EvidenceStatus.unverified,
                        closer.hits[0],
                        reason=f"found in {where}; {_describe(self.turns[hit.pos])} "
                        f"only approximates it (fuzzy {hit.score:.0f})",
                    )
            return self._located(quote, EvidenceStatus.verified, hit)
        rest = self.unknown + self.other
        elsewhere = self._find(text, rest) if rest else Search()
        if elsewhere.hits:
            return self._elsewhere(quote, elsewhere.hits[0])
        altered = sorted(found.altered + elsewhere.altered, key=lambda a: a[0].key)
        if altered:
            hit, reason = altered[0]
            return self._located(quote, EvidenceStatus.unverified, hit, reason=reason)
        stitched = self._stitched(text)
        if stitched:
            return self._failed(quote, stitched)
        return self._failed(quote, self._not_found(found, text))

    def _elsewhere(self, quote: str, hit: Hit, text: str | None = None) -> VerifiedQuote:
        """A quote located only outside the expected role's turns."""
        extra = {} if text is None else {"text": text}
        turn = self.turns[hit.pos]
        if turn.role is SpeakerRole.unknown:
            reason = f"turn {turn.index}: speaker role unknown (assign the speakers to count it)"
            return self._located(quote, EvidenceStatus.unattributed, hit, reason=reason, **extra)
        where = _describe(turn)
        return self._located(
            quote, EvidenceStatus.unverified, hit, reason=f"found only in {where}", **extra
        )

    def _chain(self, quote: str, parts: list[str]) -> VerifiedQuote:
        result = self._chain_in(quote, parts, self.ok)
        if result.status is EvidenceStatus.verified or not self.unknown:
            return result
        elsewhere = self._chain_in(quote, parts, self.unknown)
        if elsewhere.start is None or elsewhere.end is None:
            return result
        hit = Hit(self._pos(elsewhere.turn), elsewhere.start, elsewhere.end, MatchType.exact, 0)
        return self._elsewhere(quote, hit, elsewhere.text).model_copy(
            update={"match": elsewhere.match, "score": elsewhere.score}
        )

    def _pos(self, turn_index: int | None) -> int:
        return next(p for p, t in enumerate(self.turns) if t.index == turn_index)

    def _chain_in(self, quote: str, parts: list[str], positions: list[int]) -> VerifiedQuote:
        n = len(parts)
        options: list[list[Hit]] = []
        others = [p for p in self.unknown + self.other if p not in positions]
        for k, part in enumerate(parts, 1):
            found = self._find(part, positions, staged=False)
            if not found.hits:
                elsewhere = self._find(part, others) if others else Search()
                if elsewhere.hits:
                    where = _describe(self.turns[elsewhere.hits[0].pos])
                    return self._failed(quote, f"part {k} of {n} found only in {where}")
                if found.altered:
                    return self._failed(quote, f"part {k} of {n} {found.altered[0][1]}")
                return self._failed(
                    quote, self._not_found(found, part, f"part {k} of {n} not found")
                )
            options.append(found.hits)
        chain = self._best_chain(options)
        if chain is None:
            return self._failed(quote, self._chain_failure([o[0] for o in options]))
        first = chain[0]
        weakest = max(chain, key=lambda h: match_rank(h.match)).match
        joined = Hit(first.pos, first.start, chain[-1].end, weakest, min(h.score for h in chain))
        spoken = " … ".join(self.index.transcript.text[h.start : h.end] for h in chain)
        return self._located(quote, EvidenceStatus.verified, joined, text=spoken)

    def _follows(self, prev: Hit, nxt: Hit) -> bool:
        if nxt.start < prev.end or nxt.start - prev.end > self.max_gap:
            return False
        if nxt.pos == prev.pos:
            return True
        return (
            nxt.pos == prev.pos + 1 and self.turns[nxt.pos].speaker == self.turns[prev.pos].speaker
        )

    def _best_chain(self, options: list[list[Hit]]) -> list[Hit] | None:
        def extend(chain: list[Hit]) -> list[Hit] | None:
            if len(chain) == len(options):
                return chain
            nexts = sorted(
                (h for h in options[len(chain)] if self._follows(chain[-1], h)),
                key=lambda h: (match_rank(h.match), h.start),
            )
            for h in nexts:
                done = extend([*chain, h])
                if done:
                    return done
            return None

        for head in options[0]:
            done = extend([head])
            if done:
                return done
        return None

    def _chain_failure(self, hits: list[Hit]) -> str:
        """Why parts found at ``hits`` (in quote order) do not form one passage."""
        positions = sorted({h.pos for h in hits})
        turns = _join([self.turns[p].index for p in positions])
        if len({self.turns[p].speaker for p in positions}) > 1:
            return f"stitched from turns {turns} of different speakers"
        if any(b - a > 1 for a, b in pairwise(positions)):
            return f"stitched from non-adjacent turns {turns}"
        where = f"turn{'s' if len(positions) > 1 else ''} {turns}"
        if all(self._follows(a, b) for a, b in pairwise(hits)):
            return f"stitched: text left out without an ellipsis in {where}"
        return (
            f"stitched: parts out of order or more than {self.max_gap} characters apart in {where}"
        )

    def _stitched(self, text: str) -> str | None:
        """Report stitching if two halves of ``text`` are found in separate places."""
        every = self.ok + self.unknown + self.other
        for left, right in _halves(text):
            a = self._find(left, every, report_best=False)
            if not a.hits:
                continue
            b = self._find(right, every, report_best=False)
            if not b.hits:
                continue
            return self._chain_failure([a.hits[0], b.hits[0]])
        return None


def _halves(text: str, limit: int = 3) -> Iterable[tuple[str, str]]:
    """Splits of ``text`` nearest the middle, at sentence boundaries if it has any.

    Without sentence boundaries, clause boundaries are tried, then spaces.
    """
    mid = len(text) / 2
    for pattern in (_SENTENCE_END, _CLAUSE_END, _WORD_GAP):
        cuts = sorted(
            {m.start() for m in pattern.finditer(text) if 0 < m.start() < len(text.rstrip()) - 1},
            key=lambda i: abs(i - mid),
        )
        tried = 0
        for i in cuts:
            left, right = text[:i].strip(), text[i:].strip()
            if is_short(normalize_text(left)) or is_short(normalize_text(right)):
                continue
            yield left, right
            tried += 1
            if tried >= limit:
                break
        if tried:
            return


def _index(transcript: Transcript | TranscriptIndex) -> TranscriptIndex:
    return transcript if isinstance(transcript, TranscriptIndex) else TranscriptIndex(transcript)


def verify_quote(
    transcript: Transcript | TranscriptIndex,
    quote: str,
    *,
    expected_role: SpeakerRole | None = SpeakerRole.participant,
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
    max_gap: int = MAX_ELLIPSIS_GAP,
) -> VerifiedQuote:
    """Locate ``quote`` in the transcript and decide whether it is evidence.

    Pass a :class:`TranscriptIndex` when verifying many quotes of one
    transcript. ``expected_role=None`` accepts any speaker.
    """
    return _Verifier(_index(transcript), expected_role, fuzzy_threshold, max_gap).verify(quote)


def verify_quotes(
    transcript: Transcript | TranscriptIndex,
    quotes: Iterable[str],
    *,
    expected_role: SpeakerRole | None = SpeakerRole.participant,
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
    max_gap: int = MAX_ELLIPSIS_GAP,
) -> list[VerifiedQuote]:
    """Verify a batch of quotes against one transcript (indexed once)."""
    verifier = _Verifier(_index(transcript), expected_role, fuzzy_threshold, max_gap)
    return [verifier.verify(q) for q in quotes]
