"""Small modal dialogs of the editing actions: pick one or several, find a quote.

Each returns its answer through ``dismiss`` (None when cancelled); the screen
that opened it calls the core with the answer. No dialog holds logic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from assistant import review
from assistant.highlights import find_passages
from assistant.review import EvidenceLink
from assistant.workspace import Workspace

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 1 2;
}}
{name} .hint {{ color: $text-muted; }}
{name} OptionList, {name} SelectionList {{ height: auto; max-height: 14; }}
"""


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of ``choices`` ((id, label) pairs): enter picks, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.dialog_title = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title)
            yield OptionList(*[Option(label, id=cid) for cid, label in self.choices])
            yield Static("enter picks · escape cancels", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.choices:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickManyDialog(ModalScreen[list[str] | None]):
    """Tick several of ``choices``: space ticks, ``ctrl+s`` (or enter on no list) confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "Confirm"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="PickManyDialog")

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.dialog_title = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title)
            yield SelectionList[str](*[(label, cid) for cid, label in self.choices])
            yield Static("space ticks · ctrl+s confirms · escape cancels", classes="hint")

    def action_confirm(self) -> None:
        picked = list(self.query_one(SelectionList).selected)
        if not picked:
            self.notify("Tick at least one (space), or escape to cancel.", severity="warning")
            return
        self.dismiss([str(p) for p in picked])

    def action_cancel(self) -> None:
        self.dismiss(None)


class LinkDialog(ModalScreen[EvidenceLink | None]):
    """Find quotes or transcript passages by their words and pick one to link to a claim.

    Enter in the box searches verified insight quotes (:func:`assistant.review.find_quotes`)
    and the transcripts (:func:`assistant.highlights.find_passages`); enter on a result
    returns it; escape cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="LinkDialog")

    def __init__(self, ws: Workspace, claim_text: str) -> None:
        super().__init__()
        self.ws = ws
        self.claim_text = claim_text
        self.found: list[EvidenceLink] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Link a quote to: {self.claim_text}")
            yield Input(placeholder="words the quote or passage says, then enter", id="link-query")
            yield OptionList(id="link-results")
            yield Static(
                "enter searches / links the highlighted quote · escape cancels", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="link-search")
    def search(self, words: str) -> None:
        ws = Workspace(self.ws.root)
        try:
            found = review.find_quotes(ws, words)
            quoted = {(link.interview_id, link.start, link.end) for link in found}
            for passage in find_passages(ws, words):
                if (passage.interview_id, passage.start, passage.end) not in quoted:
                    found.append(passage.evidence_link())
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, f"Finding quotes failed: {exc}", severity="error", timeout=8
            )
            return
        finally:
            ws.close()
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[EvidenceLink]) -> None:
        self.found = found
        options = self.query_one("#link-results", OptionList)
        options.clear_options()
        if not found:
            options.add_option(
                Option("no quote or transcript passage holds those words", disabled=True)
            )
            return
        for n, link in enumerate(found):
            who = link.speaker or "?"
            where = (
                f"{link.interview_id}"
                if link.insight_id
                else f"transcript {link.interview_id} turn {link.turn} ({link.status})"
            )
            options.add_option(Option(f"“{link.quote}” — {who} · {where}", id=str(n)))
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.found[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
