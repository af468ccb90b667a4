"""Split a transcript into overlapping windows on turn boundaries, and describe it."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.llm.tokens import count_tokens
from assistant.models import SpeakerRole, Transcript, Turn


@dataclass(frozen=True)
class Window:
    """A run of consecutive turns sent to the model as one task."""

    index: int
    count: int
    first_turn: int
    last_turn: int
    text: str
    part: str = ""
    """Where a split put it: "" for a planned window, then "a"/"b" per split in two
    (an answer cut at the output limit splits its window, see :mod:`.split`)."""


def render_turns(turns: list[Turn]) -> str:
    """The turns as they appear in the normalised text (``Speaker: text``, blank lines)."""
    return "\n\n".join(f"{t.speaker}: {t.text}" for t in turns)


def split_windows(transcript: Transcript, window_tokens: int, overlap_turns: int) -> list[Window]:
    """One window when the transcript fits ``window_tokens``; else overlapping ones.

    Windows end on turn boundaries, each turn is in at least one window, and
    adjacent windows share ``overlap_turns`` turns (fewer when a window is that short).
    A single turn longer than the budget gets a window of its own.
    """
    turns = transcript.turns
    sizes = [count_tokens(f"{t.speaker}: {t.text}") + 1 for t in turns]
    if not turns or sum(sizes) <= window_tokens:
        last = turns[-1].index if turns else 0
        return [Window(0, 1, turns[0].index if turns else 0, last, transcript.text)]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end, used = start, 0
        while end < len(turns) and (end == start or used + sizes[end] <= window_tokens):
            used += sizes[end]
            end += 1
        spans.append((start, end))
        if end >= len(turns):
            break
        start = max(end - overlap_turns, start + 1)
    return [
        Window(i, len(spans), turns[a].index, turns[b - 1].index, render_turns(turns[a:b]))
        for i, (a, b) in enumerate(spans)
    ]


def speakers_line(transcript: Transcript) -> str:
    """Who speaks, with their role: ``Priya Raman (interviewer), Dana Whitfield (participant)``."""
    parts = []
    for label, role, _ in transcript.speakers():
        kind = role.value if role is not SpeakerRole.unknown else "role unknown"
        parts.append(f"{label} ({kind})")
    return ", ".join(parts) or "(no speaker labels)"


def scope_line(transcript: Transcript, window: Window) -> str:
    """What part of the interview a window is, and whether it is verbatim."""
    if window.part:
        scope = (
            f"turns {window.first_turn}-{window.last_turn} of {len(transcript.turns)} of a long "
            "interview (extract what this part supports)"
        )
    elif window.count == 1:
        scope = "the whole interview"
    else:
        scope = (
            f"part {window.index + 1} of {window.count} of a long interview (turns "
            f"{window.first_turn}-{window.last_turn} of {len(transcript.turns)}; parts overlap "
            "by a few turns)"
        )
    if not transcript.verbatim:
        scope += "; interviewer notes, NOT a verbatim transcript"
    return scope
