"""Property tests: real substrings of participant turns always verify."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.evidence import EvidenceStatus, MatchType, TranscriptIndex, verify_quote
from assistant.evidence.normalize import normalize_text
from assistant.evidence.wording import FILLERS, MINOR_WORDS, NEGATIONS
from tests.evidence.sample import I, P, make_transcript

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüçñ0123456789"
words = st.builds(
    lambda core, tail: core + tail,
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.sampled_from(["", "", "", ",", ".", "?", "%", "€", "’s", "-based"]),
)
turn_words = st.lists(words, min_size=5, max_size=40)


@st.composite
def turn_and_slice(draw: st.DrawFn) -> tuple[list[str], int, int]:
    ws = draw(turn_words)
    i = draw(st.integers(0, len(ws) - 5))
    j = draw(st.integers(i + 5, len(ws)))
    return ws, i, j


def _transcript(ws: list[str]) -> TranscriptIndex:
    rows = [
        ("Interviewer", I, "Tell me about the last time that happened."),
        ("Participant", P, " ".join(ws)),
        ("Interviewer", I, "Thanks."),
    ]
    return TranscriptIndex(make_transcript(rows))


@settings(max_examples=150, deadline=None)
@given(turn_and_slice())
def test_substring_of_five_words_verifies_exactly(data: tuple[list[str], int, int]) -> None:
    ws, i, j = data
    index = _transcript(ws)
    quote = " ".join(ws[i:j])
    turn = index.turns[1]
    expected = turn.char_start + len(" ".join(ws[:i])) + (1 if i else 0)
    result = verify_quote(index, quote)
    assert result.status is EvidenceStatus.verified
    assert result.match is MatchType.exact
    assert result.turn == 1
    assert result.start is not None and result.end is not None
    assert index.transcript.text[result.start : result.end] == quote
    # The first occurrence is taken; the slice can only repeat earlier text.
    assert result.start <= expected


@st.composite
def noisy(draw: st.DrawFn) -> tuple[list[str], int, int, str]:
    ws, i, j = draw(turn_and_slice())
    out = []
    for k, w in enumerate(ws[i:j]):
        flips = draw(st.lists(st.booleans(), min_size=len(w), max_size=len(w)))
        out.append("".join(c.swapcase() if f else c for c, f in zip(w, flips, strict=True)))
        if k < j - i - 1:
            out.append(draw(st.sampled_from([" ", "  ", "\t", "\n", " \n "])))
    return ws, i, j, "".join(out)


@settings(max_examples=150, deadline=None)
@given(noisy())
def test_case_and_whitespace_noise_still_verifies(data: tuple[list[str], int, int, str]) -> None:
    ws, _, _, quote = data
    index = _transcript(ws)
    result = verify_quote(index, quote)
    assert result.status is EvidenceStatus.verified
    assert result.match in (MatchType.exact, MatchType.normalized)
    assert result.start is not None and result.end is not None
    located = index.transcript.text[result.start : result.end]
    assert normalize_text(located) == normalize_text(quote)


# ---------------------------------------------------------------- altered and stitched quotes

CONTENT = "abcdefghijklmnopqrstuvwxyz"
content_words = st.text(alphabet=CONTENT, min_size=3, max_size=9).filter(
    lambda w: w not in FILLERS and w not in MINOR_WORDS and w not in NEGATIONS
)
content_turn = st.lists(content_words, min_size=8, max_size=30)


def _two_participant_turns(a: list[str], b: list[str]) -> TranscriptIndex:
    rows = [
        ("Interviewer", I, "Tell me about the last time that happened."),
        ("Participant", P, " ".join(a) + "."),
        ("Interviewer", I, "And then what did you do?"),
        ("Participant", P, " ".join(b) + "."),
    ]
    return TranscriptIndex(make_transcript(rows))


@st.composite
def slice_of(draw: st.DrawFn, ws: list[str], least: int = 5) -> list[str]:
    i = draw(st.integers(0, len(ws) - least))
    j = draw(st.integers(i + least, len(ws)))
    return ws[i:j]


@settings(max_examples=150, deadline=None)
@given(st.data(), content_turn, content_turn, st.booleans(), st.sampled_from([" ", ". ", ", "]))
def test_spans_joined_from_two_turns_never_verify(
    data: st.DataObject, a: list[str], b: list[str], a_first: bool, glue: str
) -> None:
    index = _two_participant_turns(a, b)
    left, right = data.draw(slice_of(a)), data.draw(slice_of(b))
    if not a_first:
        left, right = right, left
    quote = " ".join(left) + glue + " ".join(right)
    if normalize_text(quote) in normalize_text(index.transcript.text):
        return  # the two slices happen to be one passage already
    result = verify_quote(index, quote)
    assert result.status is not EvidenceStatus.verified, result


@settings(max_examples=150, deadline=None)
@given(st.data(), content_turn, content_words)
def test_a_content_word_inserted_into_a_true_span_never_verifies(
    data: st.DataObject, ws: list[str], extra: str
) -> None:
    index = _two_participant_turns(ws, ["nothing", "else", "to", "add", "here", "today"])
    span = data.draw(slice_of(ws))
    at = data.draw(st.integers(0, len(span)))
    quote = " ".join([*span[:at], extra, *span[at:]])
    if normalize_text(quote) in normalize_text(index.transcript.text):
        return  # the inserted word made another true span
    result = verify_quote(index, quote)
    assert result.status is not EvidenceStatus.verified, result
    if result.match is MatchType.fuzzy:
        assert result.reason is not None and result.reason.startswith("altered")


SPOKEN_FILLERS = ["um,", "uh", "you know,", "Uhm...", "I mean,", "erm", "Mm,"]


@st.composite
def turn_with_fillers(draw: st.DrawFn) -> tuple[list[str], list[str], str]:
    """Words, the same words with fillers and punctuation as spoken, and a clean quote.

    Words are distinct: in a run of one repeated word any alignment is as good as another.
    """
    ws = draw(st.lists(content_words, min_size=10, max_size=30, unique=True))
    i = draw(st.integers(0, len(ws) - 10))
    j = draw(st.integers(i + 10, len(ws)))
    spoken: list[str] = []
    for k, w in enumerate(ws):
        if i < k < j and draw(st.booleans()):
            spoken.append(draw(st.sampled_from(SPOKEN_FILLERS)))
        spoken.append(w + draw(st.sampled_from(["", "", "", ",", "."])))
    cased = [w.upper() if draw(st.booleans()) else w for w in ws[i:j]]
    quote = " ".join(cased)
    return ws[i:j], spoken, quote


@settings(max_examples=150, deadline=None)
@given(turn_with_fillers())
def test_true_span_with_fillers_and_punctuation_verifies_as_spoken(
    data: tuple[list[str], list[str], str],
) -> None:
    words, spoken, quote = data
    index = _two_participant_turns(spoken, ["nothing", "else", "to", "add", "here", "today"])
    result = verify_quote(index, quote)
    assert result.status is EvidenceStatus.verified, result
    assert result.start is not None and result.end is not None
    assert result.text == index.transcript.text[result.start : result.end]
    shown = normalize_text(result.text).split()
    assert [w for w in shown if w not in FILLERS and w not in {"you", "know", "i", "mean"}] == [
        w.lower() for w in words
    ]
    assert result.match is not MatchType.fuzzy
