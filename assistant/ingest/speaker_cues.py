"""Speaker cues: the label words, pitch and interview phrases that attribution reads, and label helpers.

The tables here are data; :mod:`assistant.ingest.roles` scores speakers with them.
"""

from __future__ import annotations

import re

from assistant.errors import UsageError
from assistant.ingest.base import UNATTRIBUTED
from assistant.models import SpeakerRole, Turn

NOTES_SPEAKER = "Notes"
UNROLED = frozenset({NOTES_SPEAKER, UNATTRIBUTED})
"""Pseudo-speakers detection never gives a role (a person may still assign ``Unattributed``)."""

INTERVIEWER_WORDS = frozenset(
    {
        "interviewer",
        "q",
        "ai",
        "assistant",
        "host",
        "moderator",
        "researcher",
        "facilitator",
        "ux researcher",
        "user researcher",
    }
)
PARTICIPANT_WORDS = frozenset(
    {
        "interviewee",
        "a",
        "user",
        "participant",
        "customer",
        "guest",
        "respondent",
        "client",
        "human",
        "candidate",
    }
)
UNATTRIBUTED_WORDS = frozenset({"unknown speaker", "unattributed", "unknown", "speaker"})
"""Labels that name nobody: a transcript whose only label is one of them is undiarized."""

_NUMBER_SUFFIX = re.compile(r"[\s#_-]*\d+$")
_WORD = re.compile(r"[a-z']+")

PITCH_PHRASES = (
    "we're building",
    "we are building",
    "we're developing",
    "we are developing",
    "we're working on",
    "we are working on",
    "we're creating",
    "we're making",
    "we built",
    "we're a team",
    "we're students",
    "we are students",
    "our product",
    "our solution",
    "our app",
    "our platform",
    "our prototype",
    "our idea",
    "our startup",
    "our project",
    "our research",
    "our tool",
    "our service",
    "would you use",
    "would you pay",
    "would you be willing",
    "would you buy",
    "would that be useful",
    "would that help",
    "would it help",
    "how much would you",
    "if there was a",
    "if there were a",
    "imagine a",
)
INTERVIEW_PHRASES = (
    "tell me about",
    "tell me more",
    "can you tell",
    "could you tell",
    "can you describe",
    "could you describe",
    "walk me through",
    "can you walk",
    "what do you",
    "how do you",
    "do you use",
    "have you ever",
    "how often do you",
    "what was the",
    "what would you",
    "why did you",
    "thank you for",
    "thanks for taking",
    "thanks for joining",
    "that makes sense",
    "that's interesting",
    "that's really interesting",
    "got it",
    "i'm curious",
    "one more question",
    "last question",
    "follow up",
)


_PITCH = re.compile("|".join(re.escape(p) for p in PITCH_PHRASES))
_INTERVIEW = re.compile("|".join(re.escape(p) for p in INTERVIEW_PHRASES))


def label_key(label: str) -> str:
    """Lower-cased label without a trailing number: ``Interviewer 2`` → ``interviewer``."""
    return _NUMBER_SUFFIX.sub("", " ".join(label.lower().split())) or label.lower()


def label_role(label: str) -> SpeakerRole:
    """The role a label word implies, or unknown for names."""
    key = label_key(label)
    if key in INTERVIEWER_WORDS:
        return SpeakerRole.interviewer
    if key in PARTICIPANT_WORDS:
        return SpeakerRole.participant
    return SpeakerRole.unknown


def is_unattributed_label(label: str) -> bool:
    """True for labels that name nobody (``Unknown Speaker``, ``Unattributed``)."""
    key = " ".join(label.lower().split())
    return key in UNATTRIBUTED_WORDS or key.startswith("unknown")


def same_label(a: str, b: str) -> bool:
    """Labels compared without case and extra spaces."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def speaker_labels(turns: list[Turn]) -> list[str]:
    """Distinct speaker labels in order of first appearance (``Notes`` left out)."""
    seen: dict[str, None] = {}
    for t in turns:
        if t.speaker != NOTES_SPEAKER:
            seen.setdefault(t.speaker, None)
    return list(seen)


def match_label(labels: list[str], wanted: str) -> str:
    """The label equal to ``wanted`` (case-insensitive); an unknown one raises, listing labels."""
    found = next((s for s in labels if same_label(s, wanted)), None)
    if found is None:
        listed = ", ".join(labels) or "none"
        raise UsageError(f"no speaker labelled {wanted!r} (speakers: {listed})")
    return found
