"""The quote verifier on a table of good and bad quotes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assistant.evidence import (
    EvidenceStatus,
    MatchType,
    TranscriptIndex,
    VerifiedQuote,
    split_ellipsis,
    verify_quote,
    verify_quotes,
)
from assistant.evidence.normalize import normalize_text
from assistant.models import SpeakerRole, Transcript
from tests.evidence.sample import INTERVIEW, I, P, U, make_transcript

V, X, N = EvidenceStatus.verified, EvidenceStatus.unverified, EvidenceStatus.note


@dataclass(frozen=True)
class Case:
    quote: str
    status: EvidenceStatus
    match: MatchType | None = None
    turn: int | None = None
    reason: str | None = None  # substring of the reason
    located: str | None = None  # text the span must equal (exact/normalized) or overlap (fuzzy)


CASES: dict[str, Case] = {
    "exact": Case(
        "We were reconciling 4,000 invoices by hand every month",
        V,
        MatchType.exact,
        1,
        located="We were reconciling 4,000 invoices by hand every month",
    ),
    "exact-wrapped-in-quotes": Case(
        "“Our auditor flagged two duplicate payments”",
        V,
        MatchType.exact,
        3,
        located="Our auditor flagged two duplicate payments",
    ),
    "typo-fuzzy": Case(
        "We were reconcilling 4,000 invoces by hand evry month",
        V,
        MatchType.fuzzy,
        1,
        located="We were reconciling 4,000 invoices by hand every month",
    ),
    "punctuation-case-whitespace": Case(
        "HONESTLY yes   month end close was a\tnightmare!",
        V,
        MatchType.normalized,
        1,
        located="Honestly, yes, month-end close was a nightmare",
    ),
    "em-dash-as-hyphen": Case(
        "our auditor flagged two duplicate payments - that was the trigger",
        V,
        MatchType.normalized,
        3,
        located="Our auditor flagged two duplicate payments — that was the trigger",
    ),
    "straight-for-curly-quotes": Case(
        'the CFO said "we can\'t keep doing this"',
        V,
        MatchType.normalized,
        3,
        located="the CFO said “we can’t keep doing this",
    ),
    "en-dash-as-em-dash": Case(
        "coming up in March — so we had eight weeks",
        V,
        MatchType.normalized,
        4,
        located="coming up in March – so we had eight weeks",
    ),
    "paraphrase": Case(
        "Closing the books used to take us more than a week of manual reconciliation",
        X,
        reason="not found",
    ),
    "merged-non-adjacent": Case(
        "We were reconciling 4,000 invoices by hand every month. "
        "Now we close in three days instead of nine.",
        X,
        reason="stitched from non-adjacent turns 1 and 6",
    ),
    "merged-without-punctuation": Case(
        "it took our team of three about nine days to close the books "
        "the integration with NetSuite was the deciding factor",
        X,
        reason="stitched from non-adjacent turns 1 and 10",
    ),
    "merged-interviewer-and-participant": Case(
        "What made you start looking for a tool? Our auditor flagged two duplicate payments",
        X,
        reason="stitched from turns 2 and 3 of different speakers",
    ),
    "omission-without-ellipsis": Case(
        "The aha moment was the first week. Now we close in three days instead of nine.",
        X,
        reason="stitched: text left out without an ellipsis in turn 6",
    ),
    "interviewer-sentence": Case(
        "Would you say the month-end close was a nightmare before you switched?",
        X,
        MatchType.exact,
        0,
        reason="found only in interviewer turn 0",
        located="Would you say the month-end close was a nightmare before you switched?",
    ),
    "interviewer-words-participant-only-close": Case(
        "the month-end close was a nightmare",
        X,
        MatchType.exact,
        0,
        reason="found in interviewer turn 0; participant turn 1 only approximates",
    ),
    "fabricated": Case(
        "We evaluated Salesforce and HubSpot before choosing this vendor",
        X,
        reason="not found",
    ),
    "non-ascii-exact": Case(
        "Our Zürich office pays suppliers in €",
        V,
        MatchType.exact,
        8,
        located="Our Zürich office pays suppliers in €",
    ),
    "non-ascii-accent-dropped-fuzzy": Case(
        "our Zurich office pays suppliers in €",
        V,
        MatchType.fuzzy,
        8,
        located="Our Zürich office pays suppliers in €",
    ),
    "cjk-exact": Case("我们的团队非常满意", V, MatchType.exact, 8, located="我们的团队非常满意"),
    "cjk-punctuation": Case(
        "我们的团队非常满意,每个月都省时间!",
        V,
        MatchType.normalized,
        8,
        located="我们的团队非常满意，每个月都省时间",
    ),
    "ellipsis-same-turn": Case(
        "The aha moment was the first week... Now we close in three days instead of nine.",
        V,
        MatchType.exact,
        6,
        located="The aha moment was the first week: the matching engine caught errors we had "
        "missed for years. Now we close in three days instead of nine.",
    ),
    "ellipsis-adjacent-turns-same-speaker": Case(
        "that was the trigger … the renewal of our old contract was coming up in March",
        V,
        MatchType.exact,
        3,
    ),
    "ellipsis-non-adjacent": Case(
        "We were reconciling 4,000 invoices by hand … Now we close in three days",
        X,
        reason="stitched from non-adjacent turns 1 and 6",
    ),
    "ellipsis-wrong-order": Case(
        "Now we close in three days instead of nine... The aha moment was the first week",
        X,
        reason="out of order",
    ),
    "ellipsis-part-missing": Case(
        "The aha moment was the first week... we fired our old vendor",
        X,
        reason="part 2 of 2 not found",
    ),
    "short-ambiguous-first-participant": Case("was the", V, MatchType.exact, 3, located="was the"),
    "word-fragment-not-matched": Case("nightmar", X, reason="not found"),
}


@pytest.fixture(scope="module")
def index() -> TranscriptIndex:
    return TranscriptIndex(make_transcript(INTERVIEW))


def _check_span(transcript: Transcript, result: VerifiedQuote, case: Case) -> None:
    assert result.start is not None and result.end is not None
    turn = next(t for t in transcript.turns if t.index == result.turn)
    if case.status is V:
        assert turn.char_start <= result.start < result.end
    span = transcript.text[result.start : result.end]
    if case.located is None:
        return
    if result.match is MatchType.exact:
        assert span == case.located
    elif result.match is MatchType.normalized:
        assert span == case.located
        assert normalize_text(span) == normalize_text(case.quote.replace("...", " "))
    else:
        where = transcript.text.index(case.located)
        assert result.start < where + len(case.located) and where < result.end, span


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_verify_table(index: TranscriptIndex, case: Case) -> None:
    result = verify_quote(index, case.quote)
    assert result.quote == case.quote, "the quote text is never replaced"
    assert result.status is case.status, result.reason
    if case.reason is not None:
        assert result.reason is not None and case.reason in result.reason
    if case.status is V:
        assert result.reason is None
        assert result.role is SpeakerRole.participant
        assert result.speaker == "Dana"
        assert result.is_evidence
    else:
        assert not result.is_evidence
    assert result.match is case.match
    assert result.turn == case.turn
    if case.turn is not None:
        _check_span(index.transcript, result, case)
    else:
        assert result.start is None and result.end is None


def test_index_and_plain_transcript_agree(index: TranscriptIndex) -> None:
    quotes = [c.quote for c in CASES.values()]
    assert verify_quotes(index.transcript, quotes) == [verify_quote(index, q) for q in quotes]


def test_fuzzy_threshold_is_configurable(index: TranscriptIndex) -> None:
    quote = CASES["typo-fuzzy"].quote
    strict = verify_quote(index, quote, fuzzy_threshold=99)
    assert strict.status is X
    assert strict.reason is not None and "below fuzzy threshold" in strict.reason
    assert "< 99)" in strict.reason


def test_expected_role_none_accepts_interviewer(index: TranscriptIndex) -> None:
    quote = CASES["interviewer-sentence"].quote
    result = verify_quote(index, quote, expected_role=None)
    assert result.status is V and result.role is SpeakerRole.interviewer


def test_expected_role_interviewer_rejects_participant(index: TranscriptIndex) -> None:
    result = verify_quote(index, CASES["exact"].quote, expected_role=SpeakerRole.interviewer)
    assert result.status is X
    assert result.reason == "found only in participant turn 1"


def test_ellipsis_gap_limit(index: TranscriptIndex) -> None:
    quote = CASES["ellipsis-same-turn"].quote
    assert verify_quote(index, quote, max_gap=20).status is X


NOTES = [
    ("Notes", U, "Dana said close took nine days; CFO pushed for a tool after the audit."),
    ("Notes", U, "Chose us for the NetSuite integration."),
]


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("close took nine days", N),
        ("Chose us for the NetSuite integration", N),
        ("We loved the onboarding team", X),
    ],
    ids=["note-located", "note-exact", "note-not-found"],
)
def test_notes_transcript(quote: str, status: EvidenceStatus) -> None:
    transcript = make_transcript(NOTES, verbatim=False)
    result = verify_quote(transcript, quote)
    assert result.status is status
    assert not result.is_evidence
    if status is N:
        assert result.start is not None and result.end is not None
        assert transcript.text[result.start : result.end] == quote


def test_unknown_role_turns_give_unattributed_never_verified() -> None:
    rows = [("Unknown Speaker", U, "We switched because invoices took nine days to reconcile.")]
    quote = "invoices took nine days to reconcile"
    result = verify_quote(make_transcript(rows), quote)
    assert result.status is EvidenceStatus.unattributed
    assert not result.is_evidence
    assert (result.turn, result.text) == (0, quote)
    assert result.reason is not None and "speaker role unknown" in result.reason
    with_participant = [*rows, ("B", P, "I agree with that entirely, it was slow.")]
    result = verify_quote(make_transcript(with_participant), quote)
    assert result.status is EvidenceStatus.unattributed
    ellipsis = verify_quote(make_transcript(rows), "We switched … nine days to reconcile")
    assert ellipsis.status is EvidenceStatus.unattributed
    assert ellipsis.text == "We switched … nine days to reconcile"


ALTERED = {
    "inserted-not": (
        "We were not reconciling 4,000 invoices by hand every month",
        "altered: adds 'not'",
    ),
    "dropped-not": (
        "After that the CFO said we can keep doing this",
        "altered: drops 'not'",
    ),
    "changed-number": (
        "We were reconciling 5,000 invoices by hand every month",
        "altered: adds '5'",
    ),
    "inserted-clause": (
        "it took our team of three about nine days to close the books in Oracle",
        "altered: adds 'in', 'oracle'",
    ),
    "inserted-name": (
        "Our auditor Maria flagged two duplicate payments",
        "altered: adds 'maria'",
    ),
}


@pytest.mark.parametrize("case", list(ALTERED.values()), ids=list(ALTERED))
def test_fuzzy_match_with_altered_content_words_is_unverified(
    index: TranscriptIndex, case: tuple[str, str]
) -> None:
    quote, reason = case
    result = verify_quote(index, quote)
    assert result.status is X, result
    assert result.reason is not None and reason in result.reason
    assert result.quote == quote


@pytest.mark.parametrize(
    ("quote", "spoken"),
    [
        (
            "we were, um, reconciling 4000 invoices by hand every month",
            "We were reconciling 4,000 invoices by hand every month",
        ),
        (
            "Honestly yes the month end close was a nightmare",
            "Honestly, yes, month-end close was a nightmare",
        ),
        (
            "the CFO said we cannot keep doing this",
            "the CFO said “we can’t keep doing this",
        ),
    ],
    ids=["filler-and-number-format", "article-added", "spoken-form"],
)
def test_harmless_differences_verify_and_show_the_transcript_words(
    index: TranscriptIndex, quote: str, spoken: str
) -> None:
    result = verify_quote(index, quote)
    assert result.status is V, result.reason
    assert result.text == spoken
    assert result.start is not None
    assert index.transcript.text[result.start : result.end] == spoken


def test_located_quotes_carry_the_transcript_text(index: TranscriptIndex) -> None:
    ellipsis = verify_quote(index, CASES["ellipsis-same-turn"].quote)
    assert ellipsis.text == (
        "The aha moment was the first week … Now we close in three days instead of nine."
    )
    missing = verify_quote(index, CASES["fabricated"].quote)
    assert missing.text is None


@pytest.mark.parametrize(
    ("quote", "parts"),
    [
        ("a b c", ["a b c"]),
        ("one... two", ["one", "two"]),
        ("one … two [...] three (...) four", ["one", "two", "three", "four"]),
        ("...leading and trailing…", ["leading and trailing"]),
        ("version 4.5 is fine", ["version 4.5 is fine"]),
    ],
)
def test_split_ellipsis(quote: str, parts: list[str]) -> None:
    assert split_ellipsis(quote) == parts


def test_empty_quote(index: TranscriptIndex) -> None:
    result = verify_quote(index, " ... ")
    assert result.status is X and result.reason == "empty quote"


def test_a_batch_of_quotes_over_many_turns_verifies_each_one() -> None:
    """Many quotes over 200 turns (speed lives in benchmarks/, never in a unit test)."""
    rows = []
    for i in range(200):
        if i % 2:
            text = (
                f"In quarter {i} our team of {i} people spent {i * 3} hours on invoices, "
                f"and the vendor number {i} kept sending duplicate bills to office {i}."
            )
            rows.append(("Dana", P, text))
        else:
            rows.append(("Interviewer", I, f"Question {i}: how did that go for you?"))
    transcript = make_transcript(rows)
    quotes = [f"our team of {i} people spent {i * 3} hours on invoices" for i in range(1, 200, 8)]
    quotes += [f"OUR TEAM of {i} people, spent {i * 3} hours" for i in range(3, 200, 16)]
    quotes += [f"the vendor nmber {i} kept sending duplicte bills" for i in range(5, 200, 40)]
    quotes += ["We evaluated Salesforce and HubSpot. The board wanted a cheaper option."] * 5
    assert len(quotes) >= 45
    index = TranscriptIndex(transcript)
    results = verify_quotes(index, quotes)
    assert [r.status for r in results[:-5]] == [V] * (len(quotes) - 5)
    assert {r.status for r in results[-5:]} != {V}  # a quote nobody said is not verified


def test_quoted_phrases_in_claims_must_be_verbatim(index: TranscriptIndex) -> None:
    from assistant.evidence.quoted import check_quoted, quoted_phrases

    text = (
        "Dana calls it “a nightmare” and says “month-end close was a nightmare”; "
        'the CFO "can\'t keep doing this", nobody said "we loved the onboarding" and '
        "“What made you start looking for a tool”."
    )
    assert quoted_phrases(text) == [
        "a nightmare",
        "month-end close was a nightmare",
        "can't keep doing this",
        "we loved the onboarding",
        "What made you start looking for a tool",
    ]
    assert quoted_phrases("a “single” word in quotes is emphasis") == []
    problems = check_quoted(text, {"dana": index})
    assert problems == [
        "quotes “we loved the onboarding”, which is not verbatim in dana",
        "quotes “What made you start looking for a tool”: found only in interviewer turn 2",
    ]
    assert check_quoted("she said “month-end close”", {}) == [
        "quotes “month-end close” but cites no interview"
    ]
