"""Messages posted by the review screens.

:class:`OpenTranscript` bubbles up to the app: the shell handles it by
opening the Interview screen on ``interview_id`` and scrolling to the quote
(``turn`` and the ``start``/``end`` character offsets into the transcript's
normalised text). The other messages carry worker results back to the UI
thread of the widget that started the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from assistant.review import PendingChanges, ReviewItem


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
