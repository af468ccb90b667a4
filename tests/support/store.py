"""Helpers of the tests/store/ tests (fixtures in tests/store/conftest.py)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

from assistant.embeddings import Embedder


class HashEmbedder:
    """Hashes lower-cased words into a small normalised vector: fast and deterministic."""

    def __init__(self, dimension: int = 64, name: str = "test:hash") -> None:
        self._dimension = dimension
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for text in texts:
            vec = [0.0] * self._dimension
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                vec[int.from_bytes(digest, "little") % self._dimension] += 1.0
            norm = math.sqrt(sum(v * v for v in vec)) or 1.0
            out.append([v / norm for v in vec])
        return out


class CountingEmbedder:
    """Wraps an embedder and counts the texts it embeds."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts = 0
        self.calls = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


def interview_text(interviewer: str, participant: str, pairs: list[tuple[str, str]]) -> str:
    """A plain-text transcript with ``Name:`` labels from (question, answer) pairs."""
    lines: list[str] = []
    for q, a in pairs:
        lines += [f"{interviewer}: {q}", "", f"{participant}: {a}", ""]
    return "\n".join(lines)


INTERVIEWS: dict[str, str] = {
    "acme-cfo.txt": interview_text(
        "Interviewer",
        "Dana",
        [
            (
                "What was month-end like before you bought it?",
                "Closing the books took eleven days because every invoice approval sat in "
                "someone's inbox. We paid late fees twice a quarter.",
            ),
            (
                "Why did you pick this vendor?",
                "The NetSuite integration worked on day one. Our auditors liked the approval trail.",
            ),
        ],
    ),
    "globex-clerk.txt": interview_text(
        "Interviewer",
        "Ravi",
        [
            (
                "What does a normal day look like?",
                "I key paper invoices into Sage and chase approvers by email. "
                "The purple stapler incident still haunts the whole team.",
            ),
            (
                "What changed after rollout?",
                "Approvals come back on the phone in minutes now, so I leave at five.",
            ),
        ],
    ),
    "initech-it.txt": interview_text(
        "Interviewer",
        "Mei",
        [
            (
                "How did the security review go?",
                "We needed SSO through Okta and a SOC 2 report before procurement would sign.",
            ),
            (
                "Any integration worries?",
                "Only the ERP sync. It runs hourly and has not failed since March.",
            ),
        ],
    ),
}
