"""Interviewer detection and overrides."""

from __future__ import annotations

import pytest

from assistant.errors import UsageError
from assistant.ingest import assign_roles, parse_file
from assistant.models import (
    InterviewMeta,
    Participant,
    RawTurn,
    SpeakerRole,
    Transcript,
    build_turns,
)

IV, P, U = SpeakerRole.interviewer, SpeakerRole.participant, SpeakerRole.unknown


def _transcript(pairs: list[tuple[str, str]], meta: InterviewMeta | None = None) -> Transcript:
    text, turns = build_turns([RawTurn(speaker=s, text=t) for s, t in pairs])
    return Transcript(
        source="x", format="txt", title="x", text=text, turns=turns, meta=meta or InterviewMeta()
    )


def _roles(t: Transcript) -> dict[str, SpeakerRole]:
    return {s: r for s, r, _ in t.speakers()}


def test_question_share_picks_the_interviewer():
    t = assign_roles(
        _transcript(
            [("Dana", "Hello."), ("Sam", "How do you close?"), ("Dana", "Slowly."), ("Sam", "Why?")]
        )
    )
    assert _roles(t) == {"Dana": P, "Sam": IV}
    assert t.role_method == "content"
    assert 0 < t.role_confidence < 0.6  # two turns each: too little to be sure


def test_equal_questions_first_speaker_wins_with_low_confidence():
    t = assign_roles(_transcript([("Kim", "Ok?"), ("Lou", "Sure?")]))
    assert _roles(t) == {"Kim": IV, "Lou": P}
    assert t.role_confidence < 0.1


def test_no_questions_falls_back_to_first_speaker():
    t = assign_roles(_transcript([("Sam", "Hi."), ("Dana", "Hello.")]))
    assert _roles(t) == {"Sam": IV, "Dana": P}
    assert t.role_method == "content"
    assert t.role_confidence < 0.5


def test_label_words_beat_questions():
    t = assign_roles(_transcript([("User", "Why?"), ("Assistant", "Because."), ("User", "Ok?")]))
    assert _roles(t) == {"User": P, "Assistant": IV}
    assert t.role_method == "label"


def test_participant_label_leaves_one_interviewer():
    t = assign_roles(_transcript([("Sam", "Hi."), ("Customer", "What?"), ("Sam", "Hi.")]))
    assert _roles(t) == {"Sam": IV, "Customer": P}
    assert t.role_method == "label"


def test_three_speakers_one_interviewer():
    t = assign_roles(
        _transcript(
            [("Sam", "Which tool?"), ("Dana", "Excel."), ("Lee", "And SAP."), ("Sam", "Why?")]
        )
    )
    assert _roles(t) == {"Sam": IV, "Dana": P, "Lee": P}


def test_metadata_interviewer_wins():
    meta = InterviewMeta(interviewer="dana")
    t = assign_roles(_transcript([("Interviewer", "Why?"), ("Dana", "Hi")], meta))
    assert _roles(t) == {"Interviewer": P, "Dana": IV}
    assert t.role_method == "metadata" and t.role_confidence >= 0.9


def test_named_participants_leave_the_interviewer():
    meta = InterviewMeta(participants=[Participant(name="Dana"), Participant(name="Lee")])
    t = assign_roles(_transcript([("Dana", "Why?"), ("Lee", "Hmm?"), ("Sam", "Ok.")], meta))
    assert _roles(t) == {"Dana": P, "Lee": P, "Sam": IV}
    assert t.role_method == "metadata"


def test_single_speaker_is_unknown():
    t = assign_roles(_transcript([("Dana", "Why?"), ("Dana", "Because.")]))
    assert _roles(t) == {"Dana": U}
    assert (t.role_method, t.role_confidence) == ("none", 0.0)


def test_override(write):
    t = parse_file(write("c.txt", "Interviewer: Hi?\nDana: Hello.\nInterviewer: Ok?\n"))
    assert _roles(t) == {"Interviewer": IV, "Dana": P}
    t2 = assign_roles(t, interviewer="DANA")
    assert _roles(t2) == {"Interviewer": P, "Dana": IV}
    assert (t2.role_method, t2.role_confidence) == ("override", 1.0)
    assert _roles(t) == {"Interviewer": IV, "Dana": P}  # the input is not mutated
    with pytest.raises(UsageError, match=r"no speaker labelled 'Bob'.*Interviewer, Dana"):
        assign_roles(t, interviewer="Bob")


def test_notes_speaker_stays_unknown():
    t = assign_roles(_transcript([("Notes", "Preamble"), ("Sam", "Why?"), ("Dana", "Yes.")]))
    assert _roles(t) == {"Notes": U, "Sam": IV, "Dana": P}
