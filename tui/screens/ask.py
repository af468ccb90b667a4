"""Ask: a question box; the answer cites retrieved quotes, each citation verified.

Citations are numbered 1..n in the order the answer cites them; ``1``…``9``
(or Enter on a citation in the list) open the transcript at the quote.
"""

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
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.ask import DEMO_QUESTION
from assistant.workspace import Workspace
from tui.messages import OpenTranscript, WorkFailed, work_failed
from tui.screens import apply_cursor_blink
from tui.widgets.evidence import evidence_line
from tui.widgets.footer import AppFooter


@dataclass
class Answered(Message):
    """The worker's answer (an ``assistant.ask.Answer``)."""

    answer: object


def render_answer(answer: object, demo: bool = False) -> Text:
    """Answer text and where it came from (model, or the quotes-only label)."""
    from assistant.ask import QUOTES_ONLY, Answer
    from assistant.demo import NEEDS_LIVE_MODEL

    assert isinstance(answer, Answer)
    if answer.quotes_only:
        out = Text(f"{QUOTES_ONLY}\n", style="bold yellow")
        out.append(f"No written answer: {answer.quotes_only}.\n", style="yellow")
        if demo:
            out.append(f"A written answer to any question: {NEEDS_LIVE_MODEL}.\n", style="yellow")
        out.append(
            "These are the participant passages that best match the question; "
            "Enter or 1…9 opens one in its transcript.",
            style="dim",
        )
        return out
    out = Text(answer.text + "\n\n")
    out.append(
        f"Citations: {answer.verified} verified, {answer.unverified} unverified"
        f" · model {answer.model}" + (" (replayed fixture)" if answer.fixture else ""),
        style="dim",
    )
    return out


def citation_prompt(citation: object) -> Text:
    """One citation of the list: its number, badge, quote, speaker and interview."""
    from assistant.ask import CheckedCitation

    assert isinstance(citation, CheckedCitation)
    c = citation
    ev = {"quote": c.quote, "status": c.status, "speaker": c.speaker, "turn": c.turn}
    ev["reason"] = c.reason
    line = evidence_line(ev, c.number)
    line.append(f"  ({c.interview_id or 'no interview'})", style="dim")
    return line


class AskScreen(Screen[None]):
    """Ask a question about what customers said."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_question", "Question"),
        Binding("escape", "cancel", "Cancel / leave the box", show=False),
        *(
            Binding(str(n), f"open_citation({n})", f"Open citation {n}", show=False)
            for n in range(1, 10)
        ),
    ]
    PALETTE = (
        ("Ask: question", "Type a question about the interviews", "focus_question"),
        ("Ask: cancel", "Stop waiting for the answer", "cancel"),
        ("Ask: open citation 1", "Show the first citation in its transcript", "open_citation(1)"),
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
        yield Input(
            placeholder="Only interviews with this tag (optional, as `persona ask --tag`)",
            id="ask-tag",
        )
        hint = (
            "Demo: Enter asks the suggested question (its answer is recorded); other "
            "questions get the best matching quotes."
            if demo
            else "The answer is built from retrieved participant quotes and cites them; "
            "citations are checked against the transcripts."
        )
        yield Label(hint, id="ask-hint")
        with VerticalScroll(id="answer"):
            yield Static("", id="answer-text")
            yield OptionList(id="citations", classes="-hidden")
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
        self.query_one("#citations", OptionList).add_class("-hidden")
        self.query_one("#answer-text", Static).update(
            "Searching the interviews (the first search loads the embedding model), "
            "then asking the model… (Esc cancels)"
        )
        self.ask(event.value, self.query_one("#ask-tag", Input).value.strip() or None)

    @on(Input.Submitted, "#ask-tag")
    def _tag_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#ask-box", Input).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ask")
    def ask(self, question: str, tag: str | None = None) -> None:
        """Retrieve, answer and verify through the core (``tag``: only its interviews)."""
        from assistant.ask import answer_question
        from assistant.selection import InterviewFilter, select_interviews
        from tui.app import PersonaApp

        app = self.app
        assert isinstance(app, PersonaApp)
        ws = Workspace(self.ws.root)
        try:
            interviews = set(select_interviews(ws, InterviewFilter(tag=tag))) if tag else None
            answer = answer_question(
                ws, app.settings, question, embedder=app.embedder, interviews=interviews
            )
            self.post_message(Answered(answer))
        except Exception as exc:
            self.post_message(work_failed(exc))
        finally:
            ws.close()

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        from assistant.ask import Answer

        answer = message.answer
        assert isinstance(answer, Answer)
        self.answer = answer
        self.query_one("#answer-text", Static).update(
            render_answer(answer, demo=bool(getattr(self.app, "demo", False)))
        )
        citations = self.query_one("#citations", OptionList)
        citations.clear_options()
        for n, c in enumerate(answer.citations):
            citations.add_option(Option(citation_prompt(c), id=str(n)))
        citations.set_class(not answer.citations, "-hidden")
        if answer.citations:
            citations.highlighted = 0
            citations.focus()

    @on(OptionList.OptionSelected, "#citations")
    def _citation_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_index(int(str(event.option.id)))

    def action_open_citation(self, number: int) -> None:
        """Open citation ``number`` (as numbered in the answer) in its transcript."""
        from assistant.ask import Answer

        answer = self.answer
        if not isinstance(answer, Answer) or not answer.citations:
            self.notify("No answer with citations yet: ask a question first (Enter).")
            return
        index = next((i for i, c in enumerate(answer.citations) if c.number == number), None)
        if index is None:
            self.notify(f"The answer has no citation {number}.", severity="warning")
            return
        self.open_index(index)

    def open_index(self, index: int) -> None:
        """Show the citation at ``index`` in its transcript, at the quote."""
        from assistant.ask import Answer

        answer = self.answer
        assert isinstance(answer, Answer)
        c = answer.citations[index]
        if c.interview_id is None or c.turn is None:
            self.notify(
                f"Citation {c.number} was not found in a transcript: {c.reason or 'unverified'}",
                severity="warning",
            )
            return
        self.post_message(OpenTranscript(c.interview_id, c.turn, c.start, c.end))

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#citations", OptionList).add_class("-hidden")
        shown = getattr(self.app, "explain", str)(message.message)
        self.query_one("#answer-text", Static).update(Text(shown, style="red"))
        self.notify(message.message, title="Ask", severity="error", timeout=10)
