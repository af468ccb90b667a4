"""Property tests: real substrings of participant turns always verify."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.evidence import EvidenceStatus, MatchType, TranscriptIndex, verify_quote
from assistant.evidence.normalize import normalize_text
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
