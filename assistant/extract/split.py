"""Split a window whose answer was cut at the output limit, and say why one cannot be.

An extraction answer cut at its output cap (``finish_reason=length``) never
fails the interview by itself: the window is split in two at the turn boundary
nearest its middle and each half is asked again (:mod:`.pipeline` runs the
halves as a further round and records each split in the run log). Only a single
turn that needs more output than the model allows fails, with a message saying
so; so does an answer that repeats itself until the cap (a runaway answer:
asking again with less input would only pay for the same loop), and a window
still cut after :data:`MAX_SPLITS` splits.
"""

from __future__ import annotations

from assistant.extract.windows import Window, render_turns
from assistant.llm.task_results import OutputLengthError
from assistant.llm.tokens import count_tokens
from assistant.models import Transcript

MAX_SPLITS = 3
"""Most times one planned window is split in two (into at most 8 pieces)."""


def split_window(transcript: Transcript, window: Window) -> tuple[Window, Window] | None:
    """Two halves of ``window`` at the turn boundary nearest its token midpoint, or
    None when it holds a single turn."""
    turns = [t for t in transcript.turns if window.first_turn <= t.index <= window.last_turn]
    if len(turns) < 2:
        return None
    sizes = [count_tokens(f"{t.speaker}: {t.text}") + 1 for t in turns]
    half = sum(sizes) / 2
    best, used = 1, 0
    for k in range(1, len(turns)):
        used += sizes[k - 1]
        if abs(used - half) < abs(sum(sizes[:best]) - half):
            best = k
    first, second = turns[:best], turns[best:]
    return (
        Window(window.index, window.count, first[0].index, first[-1].index,
               render_turns(first), window.part + "a"),
        Window(window.index, window.count, second[0].index, second[-1].index,
               render_turns(second), window.part + "b"),
    )  # fmt: skip


def split_note(iid: str, window: Window, halves: tuple[Window, Window], limit: int) -> str:
    """The run-log note of one split."""
    a, b = halves
    return (
        f"{iid}: the answer for turns {window.first_turn}-{window.last_turn} was cut at the "
        f"output limit of {limit} tokens (finish_reason=length); split in two and asked again "
        f"for turns {a.first_turn}-{a.last_turn} and {b.first_turn}-{b.last_turn}"
    )


def unsplittable_message(transcript: Transcript, window: Window, exc: OutputLengthError) -> str:
    """Why a cut answer fails its interview: a runaway, one turn too long, or too many splits."""
    span = f"turns {window.first_turn}-{window.last_turn}"
    if exc.repetitive:
        return (
            f"the model's answer for {span} repeated itself until the output limit of "
            f"{exc.limit} tokens (a runaway answer, finish_reason=length); nothing from it was "
            "kept: try again, or use another model"
        )
    if window.first_turn == window.last_turn:
        turn = next(t for t in transcript.turns if t.index == window.first_turn)
        size = count_tokens(turn.text)
        return (
            f"turn {turn.index} ({turn.speaker}, {size:,} tokens) alone needs more than the "
            f"output limit of {exc.limit} tokens (finish_reason=length even for this one turn): "
            "raise [output_tokens] extract_interview and [llm] max_output_tokens if the model "
            "allows longer answers, or use a model with a larger output limit"
        )
    return (
        f"the answer for {span} was still cut at the output limit of {exc.limit} tokens after "
        f"splitting its window {MAX_SPLITS} times (finish_reason=length): raise [output_tokens] "
        "extract_interview or [llm] max_output_tokens if the model allows longer answers"
    )
