"""Ask: answer a question from retrieved participant quotes, with verified citations.

Flow: hybrid search over participant chunks → numbered passages → one
structured LLM task (``prompts/answer_question.md`` filling
:class:`~assistant.schemas.QuestionAnswer`) → each cited quote verified with
:func:`~assistant.evidence.verify_quote` against its interview's transcript,
as extraction quotes are. A citation of a passage that was not given, or whose
words are not found in a participant turn, is kept and marked unverified.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import UsageError
from assistant.models import EvidenceStatus
from assistant.resources import prompts_dir
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.embeddings import Embedder
    from assistant.search import SearchHit
    from assistant.settings import Settings
    from assistant.vectorstore import VectorStore

TASK = "answer_question"
DEMO_QUESTION = "How many business days did the month-end close take?"
"""The question the authored fixture answers over the sample corpus (demo mode)."""


def answer_prompt() -> Path:
    """The bundled prompt file of the task."""
    return prompts_dir() / "answer_question.md"


@dataclass
class CheckedCitation:
    """One citation of the answer and what the verifier found."""

    passage: int
    quote: str
    interview_id: str | None
    status: EvidenceStatus
    turn: int | None = None
    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    reason: str | None = None
    claimed_quote: str | None = None
    """The model's wording when it differs from the transcript's (``quote``)."""

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Answer:
    """An answer with its passages and checked citations."""

    question: str
    text: str
    passages: list[SearchHit]
    citations: list[CheckedCitation] = field(default_factory=list)
    model: str = ""
    fixture: bool = False
    cost_usd: float | None = None

    @property
    def verified(self) -> int:
        return sum(c.status == EvidenceStatus.verified for c in self.citations)

    @property
    def unverified(self) -> int:
        return sum(c.status == EvidenceStatus.unverified for c in self.citations)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "passages": [h.to_json() for h in self.passages],
            "model": self.model,
            "fixture": self.fixture,
            "cost_usd": self.cost_usd,
        }


def render_passages(hits: list[SearchHit]) -> str:
    """Numbered passages, one per hit: ``[n] interview · speaker (turn t): text``."""
    return "\n\n".join(
        f"[{n}] {h.interview_id} · {h.speaker} (turn {h.turn}): {h.text}"
        for n, h in enumerate(hits, 1)
    )


def check_citations(
    ws: Workspace, hits: list[SearchHit], citations: list[tuple[int, str]]
) -> list[CheckedCitation]:
    """Verify each (passage number, quote) against the cited passage's transcript.

    A located citation shows the transcript's own words and the speaker's name
    when known; the model's wording is kept as ``claimed_quote``.
    """
    from assistant.evidence import TranscriptIndex, verify_quote
    from assistant.library import load_transcript
    from assistant.library.speaker_names import shown_speaker, speaker_names

    names = speaker_names(ws.conn)
    indexes: dict[str, TranscriptIndex] = {}
    out: list[CheckedCitation] = []
    for number, quote in citations:
        if not 1 <= number <= len(hits):
            out.append(
                CheckedCitation(
                    number,
                    quote,
                    None,
                    EvidenceStatus.unverified,
                    reason=f"cites passage [{number}], which was not among the {len(hits)} given",
                )
            )
            continue
        iid = hits[number - 1].interview_id
        if iid not in indexes:
            indexes[iid] = TranscriptIndex(load_transcript(ws.conn, iid))
        r = verify_quote(indexes[iid], quote)
        shown = r.text or quote
        out.append(
            CheckedCitation(
                number,
                shown,
                iid,
                r.status,
                r.turn,
                shown_speaker(names, iid, r.speaker),
                r.start,
                r.end,
                r.reason,
                claimed_quote=quote if shown != quote else None,
            )
        )
    return out


def answer_question(
    ws: Workspace,
    settings: Settings,
    question: str,
    k: int = 8,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
    interviews: Collection[str] | None = None,
) -> Answer:
    """Answer ``question`` from the ``k`` best participant passages, citations verified.

    ``interviews``: search only these interview ids (a filter's selection).

    Raises :class:`~assistant.errors.UsageError` for an empty question or an
    empty workspace; LLM errors are the task's PersonaErrors (budget, missing
    fixture in replay mode, endpoint).
    """
    from assistant.llm.tasks import run_structured
    from assistant.schemas import QuestionAnswer
    from assistant.search import Searcher

    question = " ".join(question.split())
    if not question:
        raise UsageError("the question is empty: type what you want to know")
    hits = Searcher.open(ws, embedder=embedder, store=store).search(
        question, k=k, role="participant", interviews=interviews
    )
    if not hits and interviews is not None:
        raise UsageError(
            f"no participant passages in the {len(interviews)} interviews the filters keep"
        )
    if not hits:
        raise UsageError("no participant passages match: ingest interviews first (persona ingest)")
    variables = {"question": question, "passages": render_passages(hits)}
    value, usage = asyncio.run(
        run_structured(
            TASK, answer_prompt(), variables, QuestionAnswer, settings=settings, workspace=ws
        )
    )
    citations = check_citations(ws, hits, [(c.passage, c.quote) for c in value.citations])
    return Answer(
        question, value.answer, hits, citations, usage.model, usage.fixture, usage.cost_usd
    )
