"""Interviewer detection: who asked, who answered.

Methods, in order of precedence (recorded as ``Transcript.role_method``):

``override``   a label given by the user (``assign_roles(t, interviewer=LABEL)``);
``metadata``   ``meta.interviewer`` names a speaker label (or every other
               speaker is a named participant);
``label``      label words: Interviewer, Q, AI, Assistant, Host, Moderator...
               mark interviewers; Interviewee, A, User, Participant, Customer,
               Guest... mark participants;
``questions``  the speaker with the largest share of turns ending in ``?``
               (ties broken by who speaks first);
``first_speaker`` nobody asks questions: the first speaker is the interviewer;
``none``       one speaker only, or interviewer notes: every role is unknown.

With three or more speakers one is the interviewer and the rest participants,
unless label words mark several interviewers. The ``Notes`` pseudo-speaker
(preamble or notes text) and ``Unattributed`` (verbatim text nobody is named
for: captions, undiarized ASR) always stay ``unknown``.
"""

from __future__ import annotations

import re

from assistant.errors import UsageError
from assistant.ingest.base import UNATTRIBUTED
from assistant.models import SpeakerRole, Transcript, Turn

NOTES_SPEAKER = "Notes"
UNROLED = frozenset({NOTES_SPEAKER, UNATTRIBUTED})
"""Pseudo-speakers that never get a role."""

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
_NUMBER_SUFFIX = re.compile(r"[\s#_-]*\d+$")


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


def _same_label(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def assign_roles(transcript: Transcript, interviewer: str | None = None) -> Transcript:
    """Return a copy of ``transcript`` with a role on every turn and the detection recorded.

    ``interviewer`` forces that speaker label (case-insensitive) to be the
    interviewer and every other speaker a participant; an unknown label raises
    :class:`~assistant.errors.UsageError` listing the speakers.
    """
    return _apply(transcript, *detect_roles(transcript, interviewer))


def set_roles(transcript: Transcript) -> None:
    """Detect roles and set them on ``transcript`` itself (its turns are changed in place).

    For a transcript its caller has just built and shares with nobody yet
    (``parse_file``): same result as :func:`assign_roles` without copying
    every turn, which is most of the cost on long transcripts.
    """
    roles, confidence, method = detect_roles(transcript)
    for t in transcript.turns:
        t.role = roles.get(t.speaker, SpeakerRole.unknown)
    transcript.role_confidence = confidence
    transcript.role_method = method


def detect_roles(transcript: Transcript, interviewer: str | None = None) -> Detection:
    """The role of each speaker label, the confidence and the method (see the module docstring)."""
    speakers = _speakers(transcript.turns)
    if interviewer is not None:
        match = next((s for s in speakers if _same_label(s, interviewer)), None)
        if match is None:
            listed = ", ".join(speakers) or "none"
            raise UsageError(f"no speaker labelled {interviewer!r} (speakers: {listed})")
        return _one_interviewer(speakers, match), 1.0, "override"
    if not transcript.verbatim or len(speakers) < 2:
        return dict.fromkeys(speakers, SpeakerRole.unknown), 0.0, "none"
    for detect in (_by_metadata, _by_labels, _by_questions):
        found = detect(transcript, speakers)
        if found is not None:
            return found
    return _one_interviewer(speakers, speakers[0]), 0.3, "first_speaker"


def _speakers(turns: list[Turn]) -> list[str]:
    seen: dict[str, None] = {}
    for t in turns:
        if t.speaker not in UNROLED:
            seen.setdefault(t.speaker, None)
    return list(seen)


def _one_interviewer(speakers: list[str], interviewer: str) -> dict[str, SpeakerRole]:
    return {
        s: SpeakerRole.interviewer if s == interviewer else SpeakerRole.participant
        for s in speakers
    }


Detection = tuple[dict[str, SpeakerRole], float, str]


def _by_metadata(transcript: Transcript, speakers: list[str]) -> Detection | None:
    meta = transcript.meta
    if meta.interviewer:
        match = next((s for s in speakers if _same_label(s, meta.interviewer)), None)
        if match is not None:
            return _one_interviewer(speakers, match), 1.0, "metadata"
    named = [s for s in speakers if any(_same_label(s, p.name) for p in meta.participants)]
    others = [s for s in speakers if s not in named]
    if named and len(others) == 1:
        return _one_interviewer(speakers, others[0]), 0.9, "metadata"
    return None


def _by_labels(transcript: Transcript, speakers: list[str]) -> Detection | None:
    implied = {s: label_role(s) for s in speakers}
    interviewers = [s for s in speakers if implied[s] is SpeakerRole.interviewer]
    participants = [s for s in speakers if implied[s] is SpeakerRole.participant]
    if interviewers:
        roles = {
            s: SpeakerRole.interviewer if s in interviewers else SpeakerRole.participant
            for s in speakers
        }
        return roles, 0.95 if participants else 0.85, "label"
    unlabelled = [s for s in speakers if s not in participants]
    if participants and len(unlabelled) == 1:
        return _one_interviewer(speakers, unlabelled[0]), 0.8, "label"
    return None


def _is_question(text: str) -> bool:
    return text.rstrip(" \"'”’)*_").endswith("?")


def _by_questions(transcript: Transcript, speakers: list[str]) -> Detection | None:
    asked: dict[str, int] = dict.fromkeys(speakers, 0)
    spoke: dict[str, int] = dict.fromkeys(speakers, 0)
    for t in transcript.turns:
        if t.speaker in spoke:
            spoke[t.speaker] += 1
            asked[t.speaker] += _is_question(t.text)
    share = {s: asked[s] / spoke[s] for s in speakers}
    ranked = sorted(speakers, key=lambda s: (-share[s], speakers.index(s)))
    top, second = share[ranked[0]], share[ranked[1]]
    if top == 0:
        return None
    confidence = round(min(0.95, 0.5 + (top - second)), 3)
    return _one_interviewer(speakers, ranked[0]), confidence, "questions"


def _apply(
    transcript: Transcript, roles: dict[str, SpeakerRole], confidence: float, method: str
) -> Transcript:
    turns = []
    for t in transcript.turns:
        role = roles.get(t.speaker, SpeakerRole.unknown)
        # Turns are immutable in practice: share the ones whose role stays.
        turns.append(t if t.role is role else t.model_copy(update={"role": role}))
    return transcript.model_copy(
        update={"turns": turns, "role_confidence": confidence, "role_method": method}
    )
