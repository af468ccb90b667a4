"""Output-token caps: how many tokens each call may answer with.

A call's cap is ``base + per_input × input tokens`` of its task
(``[output_tokens]``), never above ``[llm] max_output_tokens`` (what the model
can give in one answer). The defaults come from the answers in
``fixtures/authored/`` with headroom (see docs/llm.md, "Output budgets").

An answer cut at its cap (``finish_reason=length``) is never silently used:
extraction splits the window in two and asks again for each half
(:mod:`assistant.extract.split`); other tasks retry once with twice the cap
when the model allows more (:func:`larger_cap`), else fail with a message
naming the limit.
"""

from __future__ import annotations

import math
import zlib

from assistant.settings import Settings


def output_cap(settings: Settings, task: str, input_tokens: int) -> int:
    """The output-token cap of one ``task`` call with ``input_tokens`` of input."""
    base, per_input = settings.output_tokens.rule(task)
    wanted = base + math.ceil(per_input * max(0, input_tokens))
    return max(1, min(settings.llm.max_output_tokens, wanted))


def larger_cap(settings: Settings, cap: int) -> int | None:
    """The cap of the one retry after a cut answer: twice ``cap`` within the model's
    limit, or None when ``cap`` is already the limit."""
    bigger = min(settings.llm.max_output_tokens, 2 * cap)
    return bigger if bigger > cap else None


RUNAWAY_TAIL = 4000
"""Characters at the end of a cut answer checked for repetition."""
RUNAWAY_RATIO = 0.1
"""A tail that compresses below this share of its size repeats itself (varied JSON
answers compress to about 0.25-0.4)."""


def is_runaway(text: str) -> bool:
    """True when a cut answer ends in a loop: its last :data:`RUNAWAY_TAIL` characters
    compress to under :data:`RUNAWAY_RATIO` of their size."""
    tail = text[-RUNAWAY_TAIL:].encode("utf-8")
    if len(tail) < RUNAWAY_TAIL // 2:
        return False
    return len(zlib.compress(tail, 9)) < RUNAWAY_RATIO * len(tail)
