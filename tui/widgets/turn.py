"""One transcript turn: timestamp, speaker coloured by role, text, optional highlighted quote."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from assistant.models import EvidenceStatus, Turn

ROLE_STYLES = {
    "participant": "bold green",
    "interviewer": "bold magenta",
    "unknown": "bold yellow",
}


def format_timestamp(seconds: float | None) -> str:
    """``[mm:ss]`` or ``[h:mm:ss]``; empty when the transcript has no times."""
    if seconds is None:
        return ""
    s = int(seconds)
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return f"[{h}:{m:02d}:{sec:02d}] " if h else f"[{m:02d}:{sec:02d}] "


class TurnView(Static):
    """A turn of the transcript; ``highlight(start, end)`` marks a quote span in it."""

    def __init__(self, turn: Turn) -> None:
        super().__init__(id=f"turn-{turn.index}", classes=f"turn role-{turn.role}")
        self.turn = turn
        self.span: tuple[int, int] | None = None
        self.quote_status = ""
        self.update(self.render_turn())

    def render_turn(self) -> Text:
        """The turn as rich text (quote span highlighted when set)."""
        t = self.turn
        text = Text()
        text.append(format_timestamp(t.start), style="dim")
        text.append(t.speaker, style=ROLE_STYLES.get(str(t.role), "bold"))
        text.append(f" ({t.role})\n", style="dim")
        body = Text(t.text)
        if self.span is not None:
            a = max(0, self.span[0] - t.char_start)
            b = min(len(t.text), self.span[1] - t.char_start)
            style = (
                "reverse yellow" if self.quote_status == EvidenceStatus.unverified else "reverse"
            )
            if b > a:
                body.stylize(style, a, b)
        text.append_text(body)
        return text

    def highlight(self, start: int | None, end: int | None, status: str) -> None:
        """Highlight the turn, and the span ``[start, end)`` of transcript text when given."""
        self.span = (start, end) if start is not None and end is not None else None
        self.quote_status = status
        self.add_class("-highlight")
        self.update(self.render_turn())

    def clear_highlight(self) -> None:
        self.span = None
        self.remove_class("-highlight")
        self.update(self.render_turn())
