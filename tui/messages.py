"""Messages that workers and widgets post back to the UI (thread-safe via ``post_message``).

Progress messages set ``can_replace`` so a flood of updates for one job
collapses into the latest one (the toolong pattern).

The review screens' messages carry worker results back to the UI thread of
the widget that started the worker. :class:`OpenTranscript` bubbles up to the
app: the shell handles it by opening the Interview screen on ``interview_id``
and scrolling to the quote (``turn`` and the ``start``/``end`` character
offsets into the transcript's normalised text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from assistant.review import PendingChanges, ReviewItem


@dataclass
class JobProgress(Message):
    """A job settled ``done`` of ``total`` items; ``spend_usd`` is the LLM spend so far."""

    job: str
    done: int
    total: int
    item: str
    elapsed_s: float
    spend_usd: float | None = None
    unknown_cost_calls: int = 0

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JobProgress) and message.job == self.job


@dataclass
class JobStage(Message):
    """A job moved to a new stage (``label`` says what it does now)."""

    job: str
    label: str


@dataclass
class JobFinished(Message):
    """A job ended: ``ok``, ``cancelled`` or ``failed``, with a one-line summary."""

    job: str
    status: str
    summary: str


@dataclass
class RowsLoaded(Message):
    """The library rows were read from the workspace."""

    rows: list[object]


@dataclass
class InterviewChanged(Message):
    """An interview's data changed (roles, insights); views showing it should reload."""

    interview_id: str | None = None


@dataclass
class InterviewLoaded(Message):
    """An interview's transcript and insights were read (``detail`` is an InterviewDetail)."""

    detail: object
    insights: list[object]
    analysis: object = None
    """The StoredAnalysis (summary, company facts, buying process), or None before extraction."""


@dataclass
class SpeakersToCheck(Message):
    """How many interviews' speaker attribution is unsure (the Library's banner)."""

    count: int


@dataclass
class SpeakersLoaded(Message):
    """The unsure interviews and one interview's speakers, for the speaker check screen."""

    items: list[Any]
    report: Any
    note: str = ""


@dataclass
class WorkFailed(Message):
    """A worker's core call failed; ``message`` says what to do next."""

    message: str


def work_failed(exc: Exception) -> WorkFailed:
    """A worker's failed core call: the error as it is, or (unexpected) how to check the set-up."""
    from assistant.errors import PersonaError

    if isinstance(exc, PersonaError):
        return WorkFailed(str(exc))
    return WorkFailed(f"unexpected {type(exc).__name__}: {exc}; run `persona doctor`")


@dataclass
class OpenTranscript(Message):
    """Show ``interview_id``'s transcript at a quote (posted on "jump to transcript")."""

    interview_id: str
    turn: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class ItemsLoaded(Message):
    """Review items read from the workspace (``extra`` holds screen-specific data)."""

    items: list[ReviewItem]
    extra: Any = None


@dataclass
class ItemChanged(Message):
    """An item after a core call changed it; ``note`` is what to tell the user."""

    item: ReviewItem
    note: str = ""


class ItemsRegenerated(Message):
    """A generator ran: the screen should reload its list of items."""


@dataclass
class PendingReady(Message):
    """A regenerated version is waiting: show the diff for ``item``."""

    item: ReviewItem
    pending: PendingChanges


@dataclass
class ReviewFailed(Message):
    """A core call failed: ``message`` says what happened and what to do next."""

    message: str
