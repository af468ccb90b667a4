"""Text as compared for identity: claims across regenerations, quotes, company names."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Text for identity checks: NFKC, case-folded, punctuation dropped, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())
