"""A job's progress: bar, counts, ETA and LLM spend so far; hidden when idle."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tui.messages import JobProgress


def format_eta(seconds: float | None) -> str:
    """``ETA 1m05s``, or ``ETA …`` before the first item is done."""
    if seconds is None:
        return "ETA …"
    s = round(seconds)
    return f"ETA {s // 60}m{s % 60:02d}s" if s >= 60 else f"ETA {s}s"


def format_spend(spend: float | None, unknown: int) -> str:
    """LLM spend for people: ``$0.0123``, ``$0.0000 + 3 calls of unknown cost`` or ``unknown``."""
    if spend is None:
        return "spend unknown" if unknown else "spend $0.0000"
    return f"spend ${spend:.4f}" + (f" + {unknown} unknown" if unknown else "")


FINISHED_SHOWN_S = 10.0
"""How long the bar says how a job ended."""


class JobBar(Horizontal):
    """Shows what the running job does; ``update_progress`` takes a :class:`JobProgress`."""

    DEFAULT_CSS = """
    JobBar { height: 1; display: none; }
    JobBar.-running, JobBar.-finished { display: block; }
    JobBar.-finished ProgressBar { display: none; }
    JobBar.-failed #job-label { color: $error; text-style: bold; }
    JobBar #job-label { width: auto; padding: 0 1 0 0; }
    JobBar ProgressBar { width: auto; }
    JobBar #job-stats { width: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="job-label")
        yield ProgressBar(total=None, show_eta=False, id="job-bar")
        yield Label("", id="job-stats")

    def start(self, label: str, phase: str = "starting…") -> None:
        """Show the bar for a new job; ``phase`` says what happens before the first item."""
        self.remove_class("-finished", "-failed")
        self.add_class("-running")
        self.query_one("#job-label", Label).update(label)
        self.query_one("#job-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#job-stats", Label).update(f"{phase}  (c cancels)")

    def stage(self, label: str) -> None:
        """Rename the running job's stage."""
        self.query_one("#job-label", Label).update(label)

    def update_progress(self, msg: JobProgress) -> None:
        """Counts, ETA and spend from a progress message."""
        bar = self.query_one("#job-bar", ProgressBar)
        bar.update(total=max(msg.total, 1), progress=msg.done)
        eta = msg.elapsed_s / msg.done * (msg.total - msg.done) if msg.done else None
        parts = [f"{msg.done}/{msg.total}", format_eta(eta)]
        if msg.spend_usd is not None or msg.unknown_cost_calls:
            parts.append(format_spend(msg.spend_usd, msg.unknown_cost_calls))
        if msg.item:
            parts.append(msg.item)
        self.query_one("#job-stats", Label).update("  ".join(parts))

    def stop(self) -> None:
        """Hide the bar."""
        self.remove_class("-running", "-finished", "-failed")

    def finish(self, title: str, status: str) -> None:
        """Say how the job ended (``Analysis: Failed``) for a few seconds, then hide."""
        self.remove_class("-running")
        self.add_class("-finished")
        self.set_class(status == "failed", "-failed")
        self.query_one("#job-label", Label).update(title)
        self.query_one("#job-stats", Label).update("see the notification for details")
        self.set_timer(FINISHED_SHOWN_S, self._hide_finished)

    def _hide_finished(self) -> None:
        if not self.has_class("-running"):
            self.stop()
