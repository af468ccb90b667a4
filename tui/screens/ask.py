"""Ask: a question box; the answer cites retrieved quotes, each citation verified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Header, Input, Label, Static

from assistant.ask import DEMO_QUESTION
from assistant.workspace import Workspace
from tui.messages import WorkFailed
from tui.screens import apply_cursor_blink
from tui.widgets.evidence import evidence_line
from tui.widgets.footer import AppFooter


@dataclass
class Answered(Message):
    """The worker's answer (an ``assistant.ask.Answer``)."""

    answer: object


def render_answer(answer: object) -> Text:
    """Answer text, then each citation with its verification badge and interview."""
    from assistant.ask import Answer

    assert isinstance(answer, Answer)
    out = Text(answer.text + "\n\n")
    out.append(
        f"Citations: {answer.verified} verified, {answer.unverified} unverified"
        f" · model {answer.model}" + (" (replayed fixture)" if answer.fixture else "") + "\n",
        style="dim",
    )
    for c in answer.citations:
        ev = {
            "quote": c.quote,
            "status": c.status,
            "speaker": c.speaker,
            "turn": c.turn,
            "reason": c.reason,
        }
        line = evidence_line(ev, c.passage)
        line.append(f"  ({c.interview_id or 'no interview'})", style="dim")
        out.append_text(line)
        out.append("\n")
    return out


class AskScreen(Screen[None]):
    """Ask a question about what customers said."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_question", "Question"),
        Binding("escape", "cancel", "Cancel / leave the box", show=False),
    ]
    PALETTE = (
        ("Ask: question", "Type a question about the interviews", "focus_question"),
        ("Ask: cancel", "Stop waiting for the answer", "cancel"),
    )

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.answer: object = None

    def compose(self) -> ComposeResult:
        demo = bool(getattr(self.app, "demo", False))
        yield Header()
        yield Input(
            value=DEMO_QUESTION if demo else "",
            placeholder="Ask about the interviews, e.g. why did customers switch? (Enter asks)",
            suggester=SuggestFromList([DEMO_QUESTION]),
            id="ask-box",
        )
        hint = (
            "Demo: press Enter to ask the suggested question (answer replayed from a fixture)."
            if demo
            else "The answer is built from retrieved participant quotes and cites them; "
            "citations are checked against the transcripts."
        )
        yield Label(hint, id="ask-hint")
        with VerticalScroll(id="answer"):
            yield Static("", id="answer-text")
        yield AppFooter()

    def on_mount(self) -> None:
        apply_cursor_blink(self)
        self.query_one("#ask-box", Input).focus()

    def action_focus_question(self) -> None:
        self.query_one("#ask-box", Input).focus()

    def action_cancel(self) -> None:
        """Stop waiting for an answer; with none pending, leave the box (keys work again).

        A finished answer is never discarded.
        """
        running = [w for w in self.workers if w.group == "ask" and not w.is_finished]
        if running:
            self.workers.cancel_group(self, "ask")
            self.query_one("#answer-text", Static).update(
                "Cancelled: press / and Enter to ask again."
            )
        self.query_one("#answer", VerticalScroll).focus()

    @on(Input.Submitted, "#ask-box")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify("Type a question first.", severity="warning")
            return
        self.query_one("#answer-text", Static).update(
            "Searching the interviews and asking the model… (Esc cancels)"
        )
        self.ask(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ask")
    def ask(self, question: str) -> None:
        """Retrieve, answer and verify through the core."""
        from assistant.ask import answer_question
        from assistant.errors import PersonaError
        from tui.app import PersonaApp

        app = self.app
        assert isinstance(app, PersonaApp)
        ws = Workspace(self.ws.root)
        try:
            answer = answer_question(ws, app.settings, question, embedder=app.embedder)
            self.post_message(Answered(answer))
        except PersonaError as exc:
            self.post_message(WorkFailed(str(exc)))
        except Exception as exc:
            self.post_message(
                WorkFailed(f"unexpected {type(exc).__name__}: {exc}; run `persona doctor`")
            )
        finally:
            ws.close()

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        self.answer = message.answer
        self.query_one("#answer-text", Static).update(render_answer(message.answer))

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#answer-text", Static).update(Text(message.message, style="red"))
        self.notify(message.message, title="Ask", severity="error", timeout=10)
