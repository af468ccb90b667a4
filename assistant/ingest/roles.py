"""Speaker roles: who asked, who answered — per speaker, several interviewers allowed.

Every speaker label gets a role (interviewer, participant, observer or
unknown), a confidence (0–1) and the method that decided it, recorded as a
:class:`~assistant.models.SpeakerAttribution` on the transcript. Methods, in
order of precedence:

``override``  the user set the role (``persona speakers ID --interviewer A``);
``metadata``  ``meta.interviewer`` names the label, or a participant of the
              metadata has that name;
``label``     label words: Interviewer, Q, AI, Host, Moderator... mark
              interviewers; Interviewee, A, User, Customer, Guest... mark
              participants;
``content``   a score per speaker from what they say (see :func:`score_speakers`):
              share of turns asking a question, pitch or solution-description
              language ("we're building", "our product", "would you use"),
              interview phrases ("tell me about", "walk me through"),
              "you" against "I/my", turn length against the others, and a
              small first-speaker bonus. A speaker scoring above one half is
              an interviewer, so several interviewers are found; at least
              one speaker stays a participant and one an interviewer. A
              catch-all label (``Unknown Speaker``) beside named ones stays
              ``unknown`` (method ``label``): anyone may be behind it;
``none``      one speaker only (undiarized: ``Unknown Speaker``, captions),
              or interviewer notes: the role is unknown, and quotes located in
              those turns are ``unattributed`` until the user assigns them.

The ``Notes`` pseudo-speaker always stays ``unknown``; so does ``Unattributed``
(verbatim text nobody is named for: captions, undiarized ASR) until a person
assigns it. The transcript's
``role_confidence`` is the lowest confidence among speakers who hold a real
share of the talk (5 % of the words); ``role_method`` is the method of
that weakest speaker. Interviews below :data:`REVIEW_CONFIDENCE` are listed by
``persona speakers --review``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assistant.ingest.speaker_cues import (
    _INTERVIEW,
    _PITCH,
    _WORD,
    UNROLED,
    is_unattributed_label,
    label_key,
    label_role,
    match_label,
    same_label,
    speaker_labels,
)
from assistant.models import SpeakerAttribution, SpeakerRole, Transcript, Turn

STATS_TURNS = 400
"""Turns per speaker whose words feed the content score."""
REVIEW_CONFIDENCE = 0.5
"""Interviews whose attribution confidence is below this need a speaker check."""
# --------------------------------------------------------------------------- content score


@dataclass(frozen=True)
class SpeakerStats:
    """What one speaker said, reduced to the cues the content score uses."""

    label: str
    turns: int
    words: int
    question_share: float  # turns with a question mark / turns
    pitch: int  # pitch or solution-description phrases
    interview: int  # interview phrases
    you_rate: float  # "you/your" per word
    i_rate: float  # "I/my/me" per word
    first: bool


def _stats(turns: list[Turn], labels: list[str]) -> dict[str, SpeakerStats]:
    by: dict[str, list[str]] = {s: [] for s in labels}
    for t in turns:
        if t.speaker in by:
            by[t.speaker].append(t.text)
    first = next((t.speaker for t in turns if t.speaker in by), None)
    out: dict[str, SpeakerStats] = {}
    for label, texts in by.items():
        # Word cues are read from a speaker's first turns only: enough to judge, and a
        # 40,000-turn file stays fast. Turn counts and lengths use every turn.
        lower = " ".join(texts[:STATS_TURNS]).lower().replace("’", "'")
        words = _WORD.findall(lower)
        n = max(1, len(words))
        scale = len(texts) / max(1, min(len(texts), STATS_TURNS))
        out[label] = SpeakerStats(
            label=label,
            turns=len(texts),
            words=round(len(words) * scale),
            question_share=sum("?" in t for t in texts) / max(1, len(texts)),
            pitch=round(len(_PITCH.findall(lower)) * scale),
            interview=round(len(_INTERVIEW.findall(lower)) * scale),
            you_rate=sum(w in ("you", "your", "you're", "yours") for w in words) / n,
            i_rate=sum(w in ("i", "my", "me", "i'm", "i've", "mine") for w in words) / n,
            first=label == first,
        )
    return out


def _clip(x: float, bound: float) -> float:
    return max(-bound, min(bound, x))


def score_speakers(
    turns: list[Turn], labels: list[str], stats: dict[str, SpeakerStats] | None = None
) -> dict[str, float]:
    """Probability (0–1) that each speaker is an interviewer, from what they say."""
    stats = stats if stats is not None else _stats(turns, labels)
    lengths = sorted(s.words / max(1, s.turns) for s in stats.values())
    median = lengths[len(lengths) // 2] if lengths else 1.0
    out: dict[str, float] = {}
    for label, s in stats.items():
        per_turn = s.words / max(1, s.turns)
        z = 3.0 * (s.question_share - 0.3)
        z += 0.8 * min(3.0, (2 * s.pitch + s.interview) / max(1.0, s.turns / 4))
        z += _clip(30.0 * (s.you_rate - s.i_rate), 2.0)
        z += _clip(1.2 * math.log2(max(1.0, median) / max(1.0, per_turn)), 2.0)
        z += 0.5 if s.first else 0.0
        if label_key(label) in ("you", "me"):  # the recorder of a meeting copy-paste
            z += 1.0
        out[label] = 1 / (1 + math.exp(-z))
    return out


def _content_confidence(p: float, stats: SpeakerStats) -> float:
    certainty = abs(p - 0.5) * 2
    evidence = min(1.0, (stats.turns + 1) / 4) * min(1.0, stats.words / 25)
    return round(min(0.95, certainty * evidence), 3)


# --------------------------------------------------------------------------- assignment


def assign_roles(
    transcript: Transcript,
    interviewer: str | None = None,
    *,
    roles: Mapping[str, SpeakerRole] | None = None,
) -> Transcript:
    """Return a copy of ``transcript`` with a role on every turn and each speaker's attribution.

    ``roles`` fixes the role of the labels it names (case-insensitive; method
    ``override``); the others are detected. ``interviewer`` (kept for stored
    single-interviewer choices) makes that label the interviewer and every
    other speaker a participant. An unknown label raises
    :class:`~assistant.errors.UsageError` listing the speakers.
    """
    labels = speaker_labels(transcript.turns)
    fixed: dict[str, SpeakerRole] = {}
    if interviewer is not None:
        chosen = match_label(labels, interviewer)
        fixed = {
            s: SpeakerRole.interviewer if s == chosen else SpeakerRole.participant for s in labels
        }
    for wanted, role in (roles or {}).items():
        fixed[match_label(labels, wanted)] = role
    found = _detect(transcript, labels, fixed)
    if fixed and transcript.verbatim and len(labels) >= 2:
        _one_of_each(transcript, labels, fixed, found)
    return _apply(transcript, found)


def _one_of_each(
    transcript: Transcript,
    labels: list[str],
    fixed: dict[str, SpeakerRole],
    found: dict[str, SpeakerAttribution],
) -> None:
    """After the user fixed some roles, keep one interviewer and one participant if the
    detected speakers allow it: ``--interviewer A`` in a two-person interview makes B
    the participant."""
    free = [s for s in labels if s not in fixed and found[s].role is not SpeakerRole.unknown]
    roles = {a.role for a in found.values()}
    if not free:
        return
    scores = score_speakers(transcript.turns, labels)
    for wanted, pick in (
        (SpeakerRole.participant, min(free, key=lambda s: scores[s])),
        (SpeakerRole.interviewer, max(free, key=lambda s: scores[s])),
    ):
        if wanted not in roles and len(free) > 0:
            found[pick] = found[pick].model_copy(
                update={"role": wanted, "confidence": 0.5, "method": "content"}
            )
            free = [s for s in free if s != pick]
            roles = {a.role for a in found.values()}
            if not free:
                return


def _detect(
    transcript: Transcript, labels: list[str], fixed: dict[str, SpeakerRole]
) -> dict[str, SpeakerAttribution]:
    out: dict[str, SpeakerAttribution] = {}
    every = Counter(t.speaker for t in transcript.turns)  # one pass, not one per label
    counts = {s: every[s] for s in labels}

    def put(label: str, role: SpeakerRole, confidence: float, method: str) -> None:
        out[label] = SpeakerAttribution(
            label=label, role=role, confidence=confidence, method=method, turns=counts[label]
        )

    for label, role in fixed.items():
        put(label, role, 1.0, "override")
    for label in labels:
        if label not in out and label in UNROLED:
            put(label, SpeakerRole.unknown, 0.0, "none")
    rest = [s for s in labels if s not in out]
    if not rest:
        return out
    if not transcript.verbatim or len([s for s in labels if s not in UNROLED]) < 2:
        for s in rest:
            role = label_role(s) if transcript.verbatim else SpeakerRole.unknown
            put(s, role, 0.0 if role is SpeakerRole.unknown else 0.5, "none")
        return out
    meta = transcript.meta
    for s in rest:
        if meta.interviewer and same_label(s, meta.interviewer):
            put(s, SpeakerRole.interviewer, 1.0, "metadata")
        elif any(same_label(s, p.name) for p in meta.participants):
            put(s, SpeakerRole.participant, 0.95, "metadata")
    rest = [s for s in labels if s not in out]
    named = [s for s, a in out.items() if a.method == "metadata"]
    if named and not meta.interviewer and len(rest) == 1:  # everyone else is a named participant
        put(rest[0], SpeakerRole.interviewer, 0.9, "metadata")
        return out
    if meta.interviewer and any(a.method == "metadata" for a in out.values()):
        # The metadata names the interviewer: the others answer, unless they clearly ask too.
        scores = score_speakers(transcript.turns, labels)
        for s in rest:
            if scores[s] >= 0.85 and counts[s] >= 3:
                put(s, SpeakerRole.interviewer, round(scores[s], 3), "content")
            else:
                put(s, SpeakerRole.participant, 0.9, "metadata")
        return out
    implied = {s: label_role(s) for s in rest}
    if any(r is SpeakerRole.interviewer for r in implied.values()):
        both = any(r is SpeakerRole.participant for r in implied.values())
        for s in rest:
            if implied[s] is SpeakerRole.interviewer:
                put(s, SpeakerRole.interviewer, 0.95 if both else 0.85, "label")
            elif implied[s] is SpeakerRole.participant or not is_unattributed_label(s):
                put(s, SpeakerRole.participant, 0.95 if both else 0.85, "label")
    else:
        for s in rest:
            if implied[s] is SpeakerRole.participant:
                put(s, SpeakerRole.participant, 0.9, "label")
        unlabelled = [s for s in rest if s not in out]
        if len(unlabelled) == 1 and len(unlabelled) < len(rest):
            put(unlabelled[0], SpeakerRole.interviewer, 0.8, "label")
    rest = [s for s in labels if s not in out]
    if rest:
        _by_content(transcript, labels, rest, out, put)
    return out


Put = Callable[[str, SpeakerRole, float, str], None]


def _by_content(
    transcript: Transcript,
    labels: list[str],
    rest: list[str],
    out: dict[str, SpeakerAttribution],
    put: Put,
) -> None:
    for s in [s for s in rest if is_unattributed_label(s)]:
        # A catch-all label (Otter's "Unknown Speaker") may hold anyone's words: its
        # quotes stay unattributed until a person says who it is.
        put(s, SpeakerRole.unknown, 0.0, "label")
        rest = [r for r in rest if r != s]
    if not rest:
        return
    stats = _stats(transcript.turns, labels)
    scores = score_speakers(transcript.turns, labels, stats)
    known = {s: a.role for s, a in out.items() if a.role is not SpeakerRole.unknown}
    roles = {
        s: SpeakerRole.interviewer if scores[s] >= 0.5 else SpeakerRole.participant for s in rest
    }
    everyone = {**known, **roles}
    if SpeakerRole.participant not in everyone.values():  # somebody is being interviewed
        lowest = min(rest, key=lambda s: scores[s])
        roles[lowest] = SpeakerRole.participant
    elif SpeakerRole.interviewer not in everyone.values():  # and somebody asks
        highest = max(rest, key=lambda s: scores[s])
        roles[highest] = SpeakerRole.interviewer
    for s in rest:
        confidence = _content_confidence(scores[s], stats[s])
        if (roles[s] is SpeakerRole.interviewer) != (scores[s] >= 0.5):
            confidence = min(confidence, 0.4)  # forced by the one-of-each rule
        put(s, roles[s], confidence, "content")


def _apply(transcript: Transcript, found: dict[str, SpeakerAttribution]) -> Transcript:
    turns = []
    for t in transcript.turns:
        role = found[t.speaker].role if t.speaker in found else SpeakerRole.unknown
        # Turns are immutable in practice: share the ones whose role stays.
        turns.append(t if t.role is role else t.model_copy(update={"role": role}))
    attributions = list(found.values())
    order = {s: i for i, s in enumerate(speaker_labels(transcript.turns))}
    attributions.sort(key=lambda a: order[a.label])
    confidence, method = overall(attributions, transcript.turns)
    return transcript.model_copy(
        update={
            "turns": turns,
            "speaker_roles": attributions,
            "role_confidence": confidence,
            "role_method": method,
        }
    )


def overall(attributions: list[SpeakerAttribution], turns: list[Turn]) -> tuple[float, str]:
    """The interview's confidence and method: those of its weakest speaker that matters."""
    if not attributions:
        return 0.0, "none"
    words = {a.label: 0 for a in attributions}
    for t in turns:
        if t.speaker in words:
            words[t.speaker] += len(t.text.split())
    total_words = max(1, sum(words.values()))
    weighty = [a for a in attributions if words[a.label] / total_words >= 0.05] or attributions
    weakest = min(weighty, key=lambda a: a.confidence)
    return weakest.confidence, weakest.method


def set_roles(transcript: Transcript) -> None:
    """Detect roles and set them on ``transcript`` itself (its turns are changed in place).

    For a transcript its caller has just built and shares with nobody yet
    (``parse_file``): same result as :func:`assign_roles` without copying
    every turn.
    """
    labels = speaker_labels(transcript.turns)
    found = _detect(transcript, labels, {})
    for t in transcript.turns:
        t.role = found[t.speaker].role if t.speaker in found else SpeakerRole.unknown
    order = {s: i for i, s in enumerate(labels)}
    attributions = sorted(found.values(), key=lambda a: order[a.label])
    transcript.speaker_roles = attributions
    transcript.role_confidence, transcript.role_method = overall(attributions, transcript.turns)
