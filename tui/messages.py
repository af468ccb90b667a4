"""Messages that workers post back to the UI (thread-safe via ``post_message``).

Progress messages set ``can_replace`` so a flood of updates for one job
collapses into the latest one (the toolong pattern).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


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


@dataclass
class WorkFailed(Message):
    """A worker's core call failed; ``message`` says what to do next."""

    message: str
