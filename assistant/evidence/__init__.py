"""Quote evidence: locate quotes in their transcript and decide what counts.

Entry points: :func:`verify_quote` for one quote, :func:`verify_quotes` for a
batch, :class:`TranscriptIndex` to normalise a transcript once and reuse it.
"""

from assistant.evidence.locate import MatchType, TranscriptIndex
from assistant.evidence.verify import (
    DEFAULT_FUZZY_THRESHOLD,
    MAX_ELLIPSIS_GAP,
    EvidenceStatus,
    VerifiedQuote,
    split_ellipsis,
    verify_quote,
    verify_quotes,
)

__all__ = [
    "DEFAULT_FUZZY_THRESHOLD",
    "MAX_ELLIPSIS_GAP",
    "EvidenceStatus",
    "MatchType",
    "TranscriptIndex",
    "VerifiedQuote",
    "split_ellipsis",
    "verify_quote",
    "verify_quotes",
]
