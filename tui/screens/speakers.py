"""Speaker check: fix who is who in every unsure interview from one place.

Left: the interviews whose speaker attribution is unsure. Right: the selected
interview's speakers with role, confidence, method and a sample line. Keys
on a speaker: ``i`` interviewer, ``p`` participant, ``o`` observer, ``u``
unknown; ``a`` gives the speaker's current role to that label in every
interview that has it; ``n`` says which participant of the metadata the
label is (quotes then show the person's name and title). Each change goes through the core
(:func:`assistant.library.speakers.set_speakers`), which re-checks the
interview's quotes; the screen only shows the result.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, OptionList
from textual.widgets.option_list import Option

from assistant.models import SpeakerRole
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import SpeakersLoaded, WorkFailed
from tui.widgets.footer import AppFooter

KEY_ROLES = {
    "i": SpeakerRole.interviewer,
    "p": SpeakerRole.participant,
    "o": SpeakerRole.observer,
    "u": SpeakerRole.unknown,
}


class NamePicker(ModalScreen[str | None]):
    """Choose which participant of the metadata a speaker label is."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, label: str, people: list[str]) -> None:
        super().__init__()
        self.label = label
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(f"Who is {self.label}? (Enter picks, Esc cancels)")
            yield OptionList(*[Option(p, id=p) for p in self.people], id="people")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class SpeakerCheckScreen(Screen[None]):
    """Interviews needing a speaker check, and their speakers, side by side."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("1", "set_role('i')", "Interviewer"),
        Binding("2", "set_role('p')", "Participant"),
        Binding("3", "set_role('o')", "Observer"),
        Binding("4", "set_role('u')", "Unknown"),
        Binding("e", "apply_everywhere", "Same label everywhere"),
        Binding("n", "name_speaker", "Name"),
        Binding("tab", "app.focus_next", "Switch pane", show=False),
    ]

    DEFAULT_CSS = """
    SpeakerCheckScreen #check-body { height: 1fr; }
    SpeakerCheckScreen #check-interviews { width: 45%; }
    SpeakerCheckScreen #check-speakers { width: 55%; }
    """

    def __init__(self, ws: Workspace, interview_id: str | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.items: list[Any] = []
        self.report: Any = None
        self.wanted = interview_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="check-title")
        with Horizontal(id="check-body"):
            with Vertical(id="check-interviews"):
                yield DataTable(id="check-list", cursor_type="row")
            with Vertical(id="check-speakers"):
                yield DataTable(id="check-table", cursor_type="row")
                yield Label("", id="check-result")
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = "Speaker check"
        interviews = self.query_one("#check-list", DataTable)
        interviews.add_columns("Interview", "Confidence", "Unsure")
        speakers = self.query_one("#check-table", DataTable)
        speakers.add_columns("Label", "Role", "Conf.", "Method", "Turns", "Sample")
        self.load()

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="speakers")
    def load(self, interview_id: str | None = None, note: str = "") -> None:
        """Read the unsure interviews and one interview's speakers (private connection)."""
        from assistant.errors import PersonaError
        from assistant.library.speaker_listing import needing_review, speakers_report

        ws = Workspace(self.ws.root)
        try:
            items = needing_review(ws)
            iid = interview_id or self.wanted or (items[0].interview_id if items else None)
            report = speakers_report(ws, iid) if iid else None
            self.post_message(SpeakersLoaded(list(items), report, note))
        except PersonaError as exc:
            self.post_message(WorkFailed(str(exc)))
        finally:
            ws.close()

    @on(SpeakersLoaded)
    def _loaded(self, message: SpeakersLoaded) -> None:
        self.items = list(message.items)
        self.report = message.report
        self.wanted = None
        interviews = self.query_one("#check-list", DataTable)
        interviews.clear()
        for item in self.items:
            interviews.add_row(
                item.title[:40], f"{item.confidence:.2f}", ", ".join(item.unsure) or "-"
            )
        title = self.query_one("#check-title", Label)
        if not self.items:
            title.update("Every interview's speakers are attributed with confidence.")
        else:
            title.update(
                f"{count(len(self.items), 'interview')} {'needs' if len(self.items) == 1 else 'need'} a speaker check. i/p/o/u set the role of "
                "the selected speaker; a applies it to that label in every interview."
            )
        self._fill_speakers()
        if message.note:
            self.query_one("#check-result", Label).update(message.note)
        ids = [i.interview_id for i in self.items]
        if self.report is not None and self.report.interview_id in ids:
            interviews.move_cursor(row=ids.index(self.report.interview_id))

    def _fill_speakers(self) -> None:
        table = self.query_one("#check-table", DataTable)
        table.clear()
        if self.report is None:
            return
        for s in self.report.speakers:
            who = s.label if s.shown_as == s.label else f"{s.label} = {s.shown_as}"
            table.add_row(who, s.role, f"{s.confidence:.2f}", s.method, str(s.turns), s.sample[:60])

    @on(DataTable.RowHighlighted, "#check-list")
    def _interview_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.cursor_row
        if 0 <= row < len(self.items):
            iid = self.items[row].interview_id
            if self.report is None or self.report.interview_id != iid:
                self.load(iid)

    def selected_label(self) -> str | None:
        table = self.query_one("#check-table", DataTable)
        if self.report is None or not 0 <= table.cursor_row < len(self.report.speakers):
            return None
        return str(self.report.speakers[table.cursor_row].label)

    # ------------------------------------------------------------------ changes

    def action_set_role(self, key: str) -> None:
        label = self.selected_label()
        if label is None:
            self.notify("Select a speaker first (Tab to the speakers table).")
            return
        self.change(self.report.interview_id, {label: KEY_ROLES[key]}, everywhere=False)

    def action_name_speaker(self) -> None:
        label = self.selected_label()
        if label is None:
            self.notify("Select a speaker first (Tab to the speakers table).")
            return
        people = list(self.report.participants)
        if not people:
            self.notify(
                "This interview's metadata names no participant: add one with "
                "`persona ingest FILE --participant 'Name; Title; role'`.",
                severity="warning",
            )
            return
        iid = self.report.interview_id

        def chosen(name: str | None) -> None:
            if name:
                self.change(iid, {}, everywhere=False, names={label: name})

        self.app.push_screen(NamePicker(label, people), chosen)

    def action_apply_everywhere(self) -> None:
        label = self.selected_label()
        if label is None:
            self.notify("Select a speaker first (Tab to the speakers table).")
            return
        role = next(s.role for s in self.report.speakers if s.label == label)
        self.change(self.report.interview_id, {label: SpeakerRole(role)}, everywhere=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roles")
    def change(
        self,
        iid: str,
        roles: dict[str, SpeakerRole],
        everywhere: bool,
        names: dict[str, str] | None = None,
    ) -> None:
        """Apply the roles through the core and reload with what changed."""
        from assistant.errors import PersonaError
        from assistant.library.speakers import set_role_everywhere, set_speakers

        ws = Workspace(self.ws.root)
        embedder = getattr(self.app, "embedder", None)
        try:
            if everywhere:
                ((label, role),) = roles.items()
                reports = set_role_everywhere(ws, label, role, embedder=embedder)
            else:
                reports = [set_speakers(ws, iid, roles, names, embedder=embedder)]
        except PersonaError as exc:
            self.post_message(WorkFailed(f"Could not change the speakers: {exc}"))
            return
        finally:
            ws.close()
        moved = sum(r.evidence_changed for r in reports)
        note = f"{count(len(reports), 'interview')} updated; {count(moved, 'quote')} changed status"
        self.app.call_from_thread(self.load, iid, note)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.notify(message.message, title="Speakers", severity="error", timeout=8)
