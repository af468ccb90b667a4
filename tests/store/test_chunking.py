"""Chunking by speaker turn: offsets, sentence splits, merging and context."""

from __future__ import annotations

from assistant.chunking import chunk_transcript, sentence_spans, split_text
from assistant.models import RawTurn, SpeakerRole, Transcript, build_turns


def make_transcript(raw: list[tuple[str, str]], interviewer: str = "Q") -> Transcript:
    text, turns = build_turns([RawTurn(speaker=s, text=t) for s, t in raw])
    for turn in turns:
        turn.role = (
            SpeakerRole.interviewer if turn.speaker == interviewer else SpeakerRole.participant
        )
    return Transcript(source="x.txt", format="txt", title="x", text=text, turns=turns)


LONG = " ".join(f"Sentence number {i} talks about invoices and approvals." for i in range(40))


def test_every_chunk_is_the_slice_of_the_normalised_text() -> None:
    t = make_transcript(
        [
            ("Q", "Why did you buy?"),
            ("A", LONG),
            ("A", "Short follow-up."),
            ("A", "Another short one!"),
            ("Q", "And then?"),
            ("A", "Then   we   expanded.\n\nTo two more entities."),
        ]
    )
    chunks = chunk_transcript(t, "iv", max_chars=300)
    assert chunks
    for c in chunks:
        assert t.text[c.char_start : c.char_end] == c.text
        assert 0 < len(c.text) <= 300
    assert [c.id for c in chunks] == sorted({c.id for c in chunks})


def test_long_turn_splits_at_sentence_boundaries() -> None:
    t = make_transcript([("Q", "Tell me."), ("A", LONG)])
    chunks = [c for c in chunk_transcript(t, "iv", max_chars=300) if c.turn_start == 1]
    assert len(chunks) > 1
    for c in chunks:
        assert len(c.text) <= 300
        assert c.text.startswith("Sentence number")
        assert c.text.endswith("approvals.")
    # Together the pieces cover the whole turn text, in order.
    assert " ".join(c.text for c in chunks) == t.turns[1].text


def test_short_adjacent_turns_of_one_speaker_merge() -> None:
    t = make_transcript([("Q", "Hi?"), ("A", "One."), ("A", "Two."), ("A", "Three."), ("Q", "Ok?")])
    chunks = chunk_transcript(t, "iv", max_chars=1000)
    assert [(c.turn_start, c.turn_end, c.speaker) for c in chunks] == [
        (0, 0, "Q"),
        (1, 3, "A"),
        (4, 4, "Q"),
    ]
    merged = chunks[1]
    assert merged.text == "One.\n\nA: Two.\n\nA: Three."


def test_merge_stops_at_the_limit() -> None:
    piece = "x" * 150 + "."
    t = make_transcript([("A", piece), ("A", piece), ("A", piece)])
    chunks = chunk_transcript(t, "iv", max_chars=330)
    assert [(c.turn_start, c.turn_end) for c in chunks] == [(0, 1), (2, 2)]


def test_participant_chunks_carry_the_preceding_question_as_context() -> None:
    t = make_transcript([("A", "Preamble."), ("Q", "What hurt most?"), ("A", "Late fees.")])
    chunks = chunk_transcript(t, "iv", max_chars=1000)
    assert chunks[0].context is None
    assert chunks[1].role == SpeakerRole.interviewer and chunks[1].context is None
    assert chunks[2].context == "What hurt most?"
    assert "What hurt" not in chunks[2].text
    assert [c.embeddable for c in chunks] == [True, False, True]


def test_one_huge_sentence_is_split_at_spaces() -> None:
    words = " ".join(["word"] * 200)  # 999 chars, no sentence end
    spans = split_text(words, 200)
    assert all(e - s <= 200 for s, e in spans)
    assert " ".join(words[s:e] for s, e in spans) == words


def test_sentence_spans() -> None:
    text = 'He said "yes." Then left! Why? Fine'
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        'He said "yes."',
        "Then left!",
        "Why?",
        "Fine",
    ]
