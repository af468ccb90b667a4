"""An interview analysis with every quote checked against its transcript.

The model's :class:`~assistant.schemas.InterviewAnalysis` is turned into
:class:`CheckedAnalysis`: each quote becomes an :class:`Evidence` carrying the
verifier's result (status, match, score, turn, span, actual speaker). Only
``verified`` quotes count as evidence; ``unverified`` ones are kept and shown,
``note`` ones come from interviewer notes, ``unattributed`` ones from turns
whose speaker role is unknown. When a quote is found in a turn of
another speaker than the model claimed, it stays verified and the actual
speaker is recorded next to the claimed one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant.evidence import EvidenceStatus, TranscriptIndex, VerifiedQuote, verify_quote
from assistant.schemas import InterviewAnalysis, QuoteRef


@dataclass
class Evidence:
    """One quote offered by the model and what the verifier found."""

    quote: str
    claimed_speaker: str | None
    result: VerifiedQuote

    @property
    def status(self) -> str:
        return self.result.status.value

    @property
    def shown(self) -> str:
        """The quote as displayed: the transcript's words when located, else the claim."""
        return self.result.text or self.quote

    def key(self) -> tuple[Any, ...]:
        """Identity for de-duplication: the located span, else the quote text."""
        r = self.result
        if r.start is not None and r.end is not None:
            return ("span", r.start, r.end)
        return ("text", self.quote.strip().lower())

    def to_json(self) -> dict[str, Any]:
        """The `persona insights --json` evidence shape (plus role, reason, claimed speaker).

        ``quote`` is the transcript's own words where the quote was located (what
        every display shows); ``claimed_quote`` is the model's wording.
        """
        r = self.result
        return {
            "quote": self.shown,
            "claimed_quote": self.quote,
            "status": r.status.value,
            "match": r.match.value if r.match is not None else None,
            "score": r.score,
            "turn": r.turn,
            "speaker": r.speaker,
            "start": r.start,
            "end": r.end,
            "role": r.role.value if r.role is not None else None,
            "claimed_speaker": self.claimed_speaker,
            "reason": r.reason,
        }


@dataclass
class CheckedInsight:
    """An insight with checked evidence."""

    kind: str
    statement: str
    intensity: str | None
    metric: dict[str, Any] | None
    speaker: str
    dmu_role: str | None
    evidence: list[Evidence]


@dataclass
class CheckedFact:
    """A company fact with checked evidence."""

    group: str
    attribute: str
    value: str
    evidence: list[Evidence]


@dataclass
class CheckedAnalysis:
    """Everything extracted from one interview, every quote checked.

    ``buying_process`` is the model's BuyingProcess as JSON with each item's
    ``quotes`` replaced by ``evidence``: a list of :meth:`Evidence.to_json` objects.
    """

    summary: str
    insights: list[CheckedInsight]
    facts: list[CheckedFact]
    buying_process: dict[str, Any]
    windows: int = 1

    def statuses(self) -> Iterator[str]:
        """The status of every quote: insights, company facts, buying process."""
        for insight in self.insights:
            yield from (e.status for e in insight.evidence)
        for fact in self.facts:
            yield from (e.status for e in fact.evidence)
        yield from (e["status"] for e in evidence_json(self.buying_process))

    def counts(self) -> dict[str, int]:
        """Quotes per status: ``verified``, ``unverified``, ``note``."""
        return count_statuses(self.statuses())


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status (every status present, zero included)."""
    out = {s.value: 0 for s in EvidenceStatus}
    for status in statuses:
        out[status] += 1
    return out


def evidence_json(node: Any) -> Iterator[dict[str, Any]]:
    """Every evidence object inside a checked buying-process JSON tree."""
    if isinstance(node, list):
        for item in node:
            yield from evidence_json(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence" and isinstance(value, list):
                yield from value
            else:
                yield from evidence_json(value)


class QuoteChecker:
    """Verifies quotes of one transcript (indexed once) and checks the claimed speaker."""

    def __init__(self, index: TranscriptIndex, fuzzy_threshold: float) -> None:
        self.index = index
        self.fuzzy_threshold = fuzzy_threshold

    def check(self, quote: str, claimed_speaker: str | None) -> Evidence:
        result = verify_quote(self.index, quote, fuzzy_threshold=self.fuzzy_threshold)
        if (
            result.status is not EvidenceStatus.unverified
            and claimed_speaker
            and result.speaker is not None
            and result.speaker != claimed_speaker
            and result.reason is None
        ):
            result = result.model_copy(
                update={"reason": f"said by {result.speaker}, not {claimed_speaker} as claimed"}
            )
        return Evidence(quote, claimed_speaker, result)

    def refs(self, quotes: list[QuoteRef]) -> list[Evidence]:
        return [self.check(q.quote, q.speaker) for q in quotes]


def _check_tree(node: Any, checker: QuoteChecker) -> Any:
    """Replace every ``{"quote", "speaker"}`` list under ``quotes`` keys with evidence JSON."""
    if isinstance(node, list):
        return [_check_tree(item, checker) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "quotes" and isinstance(value, list):
            evs = [checker.check(q["quote"], q.get("speaker")) for q in value]
            out["evidence"] = [e.to_json() for e in evs]
        else:
            out[key] = _check_tree(value, checker)
    return out


def check_analysis(analysis: InterviewAnalysis, checker: QuoteChecker) -> CheckedAnalysis:
    """Verify every quote of a model's analysis against the transcript."""
    insights = [
        CheckedInsight(
            kind=i.kind.value,
            statement=i.statement,
            intensity=i.intensity.value if i.intensity is not None else None,
            metric=i.metric.model_dump() if i.metric is not None else None,
            speaker=i.speaker,
            dmu_role=i.dmu_role.value if i.dmu_role is not None else None,
            evidence=checker.refs(i.quotes),
        )
        for i in analysis.insights
    ]
    facts = [
        CheckedFact(f.group.value, f.attribute, f.value, checker.refs(f.quotes))
        for f in analysis.company_facts
    ]
    bp = _check_tree(analysis.buying_process.model_dump(mode="json"), checker)
    return CheckedAnalysis(analysis.summary, insights, facts, bp)
