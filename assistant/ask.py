"""Ask: answer a question from retrieved participant quotes, with verified citations.

Flow: hybrid search over participant chunks → numbered passages → one
structured LLM task (``prompts/answer_question.md`` filling
:class:`~assistant.schemas.QuestionAnswer`) → each cited quote verified with
:func:`~assistant.evidence.verify_quote` against its interview's transcript,
as extraction quotes are. A citation of a passage that was not given, or whose
words are not found in a participant turn, is kept and marked unverified.

Citations are numbered 1..n in the order the answer first cites them
(:func:`renumber`), whatever rank retrieval gave their passages. Without a
model (no API key in live mode, or no recorded answer in replay mode, as in
the demo) the answer is the best matching passages, labelled
:data:`QUOTES_ONLY` with the reason.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import UsageError
from assistant.models import EvidenceStatus
from assistant.resources import prompts_dir
from assistant.study import with_study
from assistant.wording import count
from assistant.workspace import Workspace

if TYPE_CHECKING:
    from assistant.embeddings import Embedder
    from assistant.llm.task_results import Checked
    from assistant.schemas import QuestionAnswer
    from assistant.search import SearchHit
    from assistant.settings import Settings
    from assistant.vectorstore import VectorStore

TASK = "answer_question"
QUOTES_ONLY = "quotes only — set a model for a written answer"
"""The label of an answer made of retrieved quotes because no model could be asked."""
QUOTES_ONLY_K = 5
_MARK = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
DEMO_QUESTION = "How many business days did the month-end close take?"
"""The question the authored fixture answers over the sample corpus (demo mode)."""


def answer_prompt() -> Path:
    """The bundled prompt file of the task."""
    return prompts_dir() / "answer_question.md"


@dataclass
class CheckedCitation:
    """One citation of the answer and what the verifier found."""

    passage: int
    """The cited passage's rank in retrieval (``[passage]`` in the model's answer)."""
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
    number: int = 0
    """The citation's number in the answer: 1..n in the order the answer cites them."""

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
    quotes_only: str | None = None
    """Why no model wrote the answer (the answer is then :data:`QUOTES_ONLY`), else None."""

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
            "quotes_only": self.quotes_only,
        }


def render_passages(hits: list[SearchHit]) -> str:
    """Numbered passages, one per hit: ``[n] interview · speaker (turn t): text``."""
    return "\n\n".join(
        f"[{n}] {h.interview_id} · {h.speaker} (turn {h.turn}): {h.text}"
        for n, h in enumerate(hits, 1)
    )


def passage_check(count: int) -> Callable[[QuestionAnswer], Checked[QuestionAnswer]]:
    """A job check: every citation names one of the ``count`` passages given.

    A number outside 1..count is re-asked once; one still outside is kept and
    shown unverified with the reason (:func:`check_citations`).
    """

    def check(value: QuestionAnswer) -> Checked[QuestionAnswer]:
        wrong = sorted({c.passage for c in value.citations if not 1 <= c.passage <= count})
        problems = (
            [f"cited passages that were not given: {', '.join(f'[{n}]' for n in wrong)}"]
            if wrong
            else []
        )
        from assistant.llm.task_results import Checked

        return Checked(value, problems, [], f"cite only passages [1] to [{count}]")

    return check


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


def renumber(text: str, citations: list[CheckedCitation]) -> tuple[str, list[CheckedCitation]]:
    """Number citations 1..n in the order the answer first cites their passages.

    ``[3]`` markers in ``text`` become the new numbers; citations of passages
    the text never marks come last. Returns the new text and the citations in
    number order.
    """
    order: dict[int, int] = {}
    for match in _MARK.finditer(text):
        for n in match.group(1).split(","):
            order.setdefault(int(n), len(order) + 1)
    for c in citations:
        order.setdefault(c.passage, len(order) + 1)

    def mark(match: re.Match[str]) -> str:
        numbers = [order.get(int(n), int(n)) for n in match.group(1).split(",")]
        return "[" + ", ".join(str(n) for n in numbers) + "]"

    for c in citations:
        c.number = order[c.passage]
    return _MARK.sub(mark, text), sorted(citations, key=lambda c: c.number)


def quotes_answer(ws: Workspace, question: str, hits: list[SearchHit], reason: str) -> Answer:
    """The best matching participant passages as the answer, labelled :data:`QUOTES_ONLY`.

    Each passage is the transcript's own words (verified); ``reason`` says why
    no model was asked.
    """
    from assistant.library.speaker_names import shown_speaker, speaker_names

    names = speaker_names(ws.conn)
    best = hits[:QUOTES_ONLY_K]
    citations = [
        CheckedCitation(
            n,
            " ".join(h.text.split()),
            h.interview_id,
            EvidenceStatus.verified,
            h.turn,
            shown_speaker(names, h.interview_id, h.speaker),
            h.char_start,
            h.char_end,
            number=n,
        )
        for n, h in enumerate(best, 1)
    ]
    text = f"{QUOTES_ONLY}: the {len(best)} passages that best match the question ({reason})."
    return Answer(question, text, best, citations, quotes_only=reason)


def no_model_reason(settings: Settings) -> str | None:
    """Why no model can be asked with ``settings`` (None when one can be tried)."""
    llm = settings.llm
    if llm.mode != "replay" and llm.api_key is None:
        return "no API key is set: see docs/llm.md"
    return None


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

    Without a model (:func:`no_model_reason`, or replay mode with no recorded
    answer for this question) the answer is :func:`quotes_answer`.

    Raises :class:`~assistant.errors.UsageError` for an empty question or an
    empty workspace; other LLM errors are the task's PersonaErrors (budget,
    endpoint).
    """
    from assistant.llm.cassettes import MissingFixtureError
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
            f"no participant passages in the {count(len(interviews), 'interview')} the filters keep"
        )
    if not hits:
        raise UsageError("no participant passages match: ingest interviews first (persona ingest)")
    reason = no_model_reason(settings)
    if reason is not None:
        return quotes_answer(ws, question, hits, reason)
    variables = with_study({"question": question, "passages": render_passages(hits)}, settings)
    try:
        value, usage = asyncio.run(
            run_structured(
                TASK,
                answer_prompt(),
                variables,
                QuestionAnswer,
                settings=settings,
                workspace=ws,
                check=passage_check(len(hits)),
            )
        )
    except MissingFixtureError:
        return quotes_answer(ws, question, hits, "no recorded answer for this question")
    checked = check_citations(ws, hits, [(c.passage, c.quote) for c in value.citations])
    text, citations = renumber(value.answer, checked)
    return Answer(question, text, hits, citations, usage.model, usage.fixture, usage.cost_usd)
