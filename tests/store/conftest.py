"""Fixtures for storage, embedding and search tests.

The real model (all-MiniLM-L6-v2, offline) is loaded once per session; tests
that only need *some* vectors use :class:`HashEmbedder`, a tiny deterministic
bag-of-words embedder that implements the same protocol.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.embeddings import LocalEmbedder


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

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.texts = 0
        self.calls = 0

    @property
    def name(self) -> str:
        return self.inner.name  # type: ignore[attr-defined,no-any-return]

    @property
    def dimension(self) -> int:
        return self.inner.dimension  # type: ignore[attr-defined,no-any-return]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="session")
def local_embedder() -> LocalEmbedder:
    """The real local model, loaded once for the whole session."""
    embedder = LocalEmbedder()
    assert embedder.dimension == 384  # forces the load
    return embedder


@pytest.fixture
def counting() -> CountingEmbedder:
    return CountingEmbedder(HashEmbedder())


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


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A folder of three small labelled interviews."""
    folder = tmp_path / "interviews"
    folder.mkdir()
    for name, text in INTERVIEWS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
