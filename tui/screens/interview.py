"""Interview: the transcript beside its insights; selecting an insight lands on its quote.

``[`` and ``]`` move a turn cursor through the transcript; ``h`` opens the
highlight dialog on that turn (on a quote landed on, the quote is marked
already) and saves the passage as an insight added by you.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.extract.store import StoredInsight
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import InterviewLoaded, WorkFailed
from tui.widgets.evidence import evidence_counts, evidence_line
from tui.widgets.find import FindBox, Found
from tui.widgets.footer import AppFooter
from tui.widgets.highlight import HighlightDialog, HighlightRequest
from tui.widgets.turn import TurnView


class SpeakerPicker(ModalScreen[str | None]):
    """Choose which speaker is the interviewer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, speakers: list[tuple[str, str, int]]) -> None:
        super().__init__()
        self.speakers = speakers

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Who is the interviewer? (Enter picks, Esc cancels)")
            yield OptionList(
                *[
                    Option(f"{label}  ({role}, {count(n, 'turn')})", id=label)
                    for label, role, n in self.speakers
                ],
                id="speakers",
            )

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class InterviewScreen(Screen[None]):
    """One interview: transcript (left), insights and the selected insight's quotes (right)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "find", "Find"),
        Binding("n", "next_quote", "Next quote"),
        Binding("w", "set_interviewer", "Set interviewer"),
        Binding("h", "highlight", "Highlight"),
        Binding("left_square_bracket", "turn(-1)", "Previous turn"),
        Binding("right_square_bracket", "turn(1)", "Next turn"),
        Binding("tab", "app.focus_next", "Switch pane", show=False),
    ]
    PALETTE = (
        ("Interview: next quote", "Jump to the next quote of the insight", "next_quote"),
        (
            "Interview: set interviewer",
            "Change which speaker is the interviewer",
            "set_interviewer",
        ),
        ("Interview: back", "Return to the library", "app.pop_screen"),
        ("Interview: find", "Find a phrase in the transcript", "find"),
        (
            "Interview: highlight",
            "Make a passage of the current turn an insight (kind, statement, tags)",
            "highlight",
        ),
    )

    def __init__(
        self, ws: Workspace, interview_id: str, focus: dict[str, Any] | None = None
    ) -> None:
        """Open ``interview_id``; ``focus`` ({turn, start, end, status}) is a quote to land on."""
        super().__init__()
        self.ws = ws
        self.interview_id = interview_id
        self.focus_quote = focus
        self.detail: Any = None
        self.insights: list[Any] = []
        self.current: Any = None
        self.quote_index = 0
        self.highlighted_turn: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(self.interview_id, id="interview-title")
        with Horizontal(id="interview-body"):
            yield VerticalScroll(Static("Loading…"), id="transcript")
            with Vertical(id="side"):
                yield OptionList(id="insights")
                yield Static("", id="evidence")
                with VerticalScroll(id="extraction-pane"):
                    yield Static("", id="extraction")
        yield FindBox()
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = self.interview_id
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load(self) -> None:
        """Read the interview and its insights with a private connection."""
        from assistant.errors import PersonaError
        from assistant.extract import list_insights
        from assistant.extract.store import list_analyses
        from assistant.library import get_interview

        ws = Workspace(self.ws.root)
        try:
            detail = get_interview(ws, self.interview_id)
            insights = list_insights(ws, interview_id=detail.summary.id)
            analyses = list_analyses(ws.conn, detail.summary.id)
            analysis = analyses[0] if analyses else None
            self.post_message(InterviewLoaded(detail, list(insights), analysis))
        except PersonaError as exc:
            self.post_message(WorkFailed(f"{exc}"))
        finally:
            ws.close()

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.notify(message.message, title="Interview", severity="error", timeout=8)

    @on(InterviewLoaded)
    async def _loaded(self, message: InterviewLoaded) -> None:
        self.detail = message.detail
        self.insights = list(message.insights)
        t = self.detail.transcript
        self.query_one(FindBox).transcript = t
        meta = t.meta
        who = ", ".join(
            f"{p.name}" + (f" ({p.dmu_role})" if p.dmu_role else "") for p in meta.participants
        )
        bits = [t.title, who, str(meta.date or ""), "" if t.verbatim else "interviewer notes"]
        self.query_one("#interview-title", Label).update(" · ".join(b for b in bits if b))
        from assistant.extract.report import analysis_lines

        panel = analysis_lines(message.analysis, [], with_insights=False)  # type: ignore[arg-type]
        self.query_one("#extraction", Static).update(Text("\n".join(panel).strip()))
        pane = self.query_one("#transcript", VerticalScroll)
        await pane.remove_children()
        await pane.mount_all([TurnView(turn) for turn in t.turns])
        if self.focus_quote is not None:
            self.call_after_refresh(self.show_quote, self.focus_quote)
        options = self.query_one("#insights", OptionList)
        options.clear_options()
        if not self.insights:
            options.add_option(
                Option("No insights yet: run analysis (x) in the Library.", disabled=True)
            )
            return
        for ins in self.insights:
            assert isinstance(ins, StoredInsight)
            prompt = Text()
            prompt.append(f"{ins.kind:<11} ", style="bold")
            if ins.added_by_user:
                prompt.append("added by you ", style="bold cyan")
            prompt.append_text(evidence_counts(ins.evidence))
            prompt.append(ins.statement)
            options.add_option(Option(prompt, id=ins.id))
        options.focus()

    @on(OptionList.OptionSelected, "#insights")
    def _insight_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_insight(str(event.option.id), 0)

    def open_insight(self, insight_id: str, quote_index: int = 0) -> None:
        """Show an insight's quotes and land on quote ``quote_index`` in the transcript."""
        ins = next((i for i in self.insights if i.id == insight_id), None)
        if ins is None:
            return
        self.current = ins
        self.quote_index = quote_index % max(1, len(ins.evidence))
        lines = Text(f"{ins.statement}\n", style="bold")
        for n, ev in enumerate(ins.evidence, 1):
            line = evidence_line(ev, n)
            if n - 1 == self.quote_index:
                line.stylize("underline", 0, 3)
            lines.append_text(line)
            lines.append("\n")
        self.query_one("#evidence", Static).update(lines)
        if ins.evidence:
            self.show_quote(ins.evidence[self.quote_index])

    def show_quote(self, ev: dict[str, Any]) -> None:
        """Scroll to the quote's turn and highlight the quote in it."""
        for view in self.query(".-highlight").results(TurnView):
            view.clear_highlight()
        turn = ev.get("turn")
        if turn is None:
            self.highlighted_turn = None
            self.notify(
                f"This quote was not found in the transcript: {ev.get('reason') or 'unverified'}",
                severity="warning",
            )
            return
        view = self.query_one(f"#turn-{turn}", TurnView)
        view.highlight(ev.get("start"), ev.get("end"), str(ev.get("status")))
        self.highlighted_turn = int(turn)
        self.query_one("#transcript", VerticalScroll).scroll_to_widget(
            view, animate=False, top=True
        )

    def action_find(self) -> None:
        """Open the find box (Enter there steps through the matches)."""
        self.query_one(FindBox).open()

    def action_back(self) -> None:
        """Close the find box, or go back to where the interview was opened from."""
        box = self.query_one(FindBox)
        if box.is_open:
            box.close()
            self.query_one("#transcript").focus()
            return
        self.app.pop_screen()

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.match is None:
            self.notify(f"“{message.phrase}” is not in this transcript.", severity="warning")
            return
        m = message.match
        self.show_quote({"turn": m.turn, "start": m.start, "end": m.end, "status": "verified"})
        self.query_one(FindBox).border_title = f"match {message.number} of {message.total}"

    def action_turn(self, step: int) -> None:
        """Move the turn cursor (the turn a highlight is made in) and show it."""
        if self.detail is None or not self.detail.transcript.turns:
            return
        indexes = [t.index for t in self.detail.transcript.turns]
        now = self.highlighted_turn
        pos = indexes.index(now) + step if now in indexes else (0 if step > 0 else -1)
        turn = indexes[max(0, min(len(indexes) - 1, pos))]
        self.show_quote({"turn": turn, "start": None, "end": None, "status": ""})

    def action_highlight(self) -> None:
        """Mark a passage of the current turn and make it an insight added by you."""
        if self.detail is None:
            return
        if self.highlighted_turn is None:
            self.notify("Pick a turn first: [ and ] move through the turns.", severity="warning")
            return
        turn = next(t for t in self.detail.transcript.turns if t.index == self.highlighted_turn)
        view = self.query_one(f"#turn-{turn.index}", TurnView)
        span = None
        if view.span is not None and view.span[0] is not None and view.span[1] is not None:
            # a search hit may run past the turn: mark only this turn's part
            size = len(turn.text)
            a = max(0, min(size, view.span[0] - turn.char_start))
            b = max(0, min(size, view.span[1] - turn.char_start))
            span = (a, b) if b > a else None
        self.app.push_screen(HighlightDialog(turn, span), self._highlight_chosen)

    def _highlight_chosen(self, request: HighlightRequest | None) -> None:
        if request is not None:
            self.save_highlight(request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="highlight")
    def save_highlight(self, request: HighlightRequest) -> None:
        """Store the highlight through the core, then reload the insights."""
        from assistant.errors import PersonaError
        from assistant.highlights import add_highlight

        ws = Workspace(self.ws.root)
        try:
            done = add_highlight(
                ws,
                self.interview_id,
                turn=request.turn,
                start=request.start,
                end=request.end,
                kind=request.kind,
                statement=request.statement,
                tags=request.tags,
            )
        except PersonaError as exc:
            self.post_message(WorkFailed(f"Not saved: {exc}"))
            return
        finally:
            ws.close()
        note = f"Added {done.insight.id} (added by you)."
        for warning in done.warnings:
            note += f" Warning: {warning}"
        self.app.call_from_thread(self.notify, note, timeout=8)
        self.app.call_from_thread(self.load)

    def action_next_quote(self) -> None:
        if self.current is None:
            self.notify("Select an insight first (Enter on the list).")
            return
        self.open_insight(self.current.id, self.quote_index + 1)

    def action_set_interviewer(self) -> None:
        if self.detail is None:
            return
        speakers = [(s, str(r), n) for s, r, n in self.detail.transcript.speakers()]
        self.app.push_screen(SpeakerPicker(speakers), self._interviewer_chosen)

    def _interviewer_chosen(self, label: str | None) -> None:
        if label:
            self.notify(f"Making {label} the interviewer (re-embedding changed chunks)…")
            self.set_interviewer(label)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roles")
    def set_interviewer(self, label: str) -> None:
        """Change the interviewer through the core, then reload."""
        from assistant.errors import PersonaError
        from assistant.library import set_interviewer

        ws = Workspace(self.ws.root)
        try:
            set_interviewer(
                ws, self.interview_id, label, embedder=getattr(self.app, "embedder", None)
            )
        except PersonaError as exc:
            self.post_message(WorkFailed(f"Could not change the interviewer: {exc}"))
            return
        except Exception as exc:
            self.post_message(
                WorkFailed(
                    f"Could not change the interviewer: {type(exc).__name__}: {exc}; "
                    "run `persona doctor`"
                )
            )
            return
        finally:
            ws.close()
        self.app.call_from_thread(self.load)
