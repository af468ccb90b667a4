"""Synthetic transcripts for the verifier tests, with roles set by hand."""

from __future__ import annotations

from assistant.models import RawTurn, SpeakerRole, Transcript, build_turns

I = SpeakerRole.interviewer  # noqa: E741
P = SpeakerRole.participant
U = SpeakerRole.unknown


def make_transcript(
    rows: list[tuple[str, SpeakerRole, str]], *, verbatim: bool = True
) -> Transcript:
    """A transcript of ``(speaker, role, text)`` rows; rows must not be empty text."""
    text, turns = build_turns([RawTurn(speaker=s, text=t) for s, _, t in rows])
    assert len(turns) == len(rows)
    for turn, (_, role, _) in zip(turns, rows, strict=True):
        turn.role = role
    return Transcript(
        source="synthetic.txt",
        format="txt" if verbatim else "notes",
        title="synthetic",
        verbatim=verbatim,
        text=text,
        turns=turns,
    )


INTERVIEW: list[tuple[str, SpeakerRole, str]] = [
    (
        "Interviewer",
        I,
        "Thanks for joining. Would you say the month-end close was a nightmare before you switched?",
    ),
    (
        "Dana",
        P,
        "Honestly, yes, month-end close was a nightmare. We were reconciling 4,000 invoices by hand every month, and it took our team of three about nine days to close the books.",
    ),
    ("Interviewer", I, "What made you start looking for a tool?"),
    (
        "Dana",
        P,
        "Our auditor flagged two duplicate payments — that was the trigger. After that the CFO said “we can’t keep doing this”.",
    ),
    (
        "Dana",
        P,
        "And the renewal of our old contract was coming up in March – so we had eight weeks.",
    ),
    ("Interviewer", I, "How did the rollout go?"),
    (
        "Dana",
        P,
        "The aha moment was the first week: the matching engine caught errors we had missed for years. Now we close in three days instead of nine.",
    ),
    ("Interviewer", I, "Anything else you want to add?"),
    (
        "Dana",
        P,
        "Our Zürich office pays suppliers in €, and the tool handled that fine. 我们的团队非常满意，每个月都省时间。",
    ),
    ("Interviewer", I, "Great, thanks."),
    (
        "Dana",
        P,
        "One more thing: the integration with NetSuite was the deciding factor for our IT lead.",
    ),
]
