"""Accounts: each account's interviews, firmographics and buying committee (DMU)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from assistant.models import EvidenceStatus
from assistant.wording import count
from assistant.workspace import Workspace
from tui.widgets.footer import AppFooter

COLUMNS = ("Account", "Interviews", "Industry", "Employees", "Revenue", "Segment", "Committee")


@dataclass
class AccountsLoaded(Message):
    """Accounts (AccountOverview objects) and identity warnings were read."""

    accounts: list[Any]
    warnings: list[str]


def committee_text(overview: Any) -> Text:
    """The buying committee of one account: interviewees, then people others named."""
    text = Text(f"{overview.name}\n", style="bold")
    for w in overview.record.warnings:
        text.append(f"⚠ {w}\n", style="yellow")
    for m in overview.committee:
        role = m.dmu_role.replace("_", " ")
        text.append(f"{role}: ", style="bold")
        text.append(m.name)
        if m.interviewed:
            text.append("  interviewed\n", style="green")
            continue
        text.append("\n")
        for mention in m.mentions:
            quote = next(
                (e for e in mention.evidence if e.get("status") == EvidenceStatus.verified), None
            )
            said = f"“{quote['quote']}”" if quote else "(no verified quote)"
            text.append(f"   {mention.attribution} ({mention.interview_id}): ", style="dim")
            text.append(f"{said}\n")
    return text


class AccountsScreen(Screen[None]):
    """Every account with its buying committee (the `persona accounts` data)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "reload", "Refresh")]
    PALETTE = (("Accounts: refresh", "Read the accounts again", "reload"),)

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.accounts: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="accounts-total")
        with Horizontal(id="accounts-body"):
            yield DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="committee-pane"):
                yield Static("Select an account to see its buying committee.", id="committee")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts")
    def load(self) -> None:
        """Read the accounts through the core (as `persona accounts` does)."""
        from assistant.accounts import load_identity
        from assistant.committee import account_overviews

        ws = Workspace(self.ws.root)
        try:
            self.post_message(
                AccountsLoaded(account_overviews(ws), load_identity(ws.conn).warnings)
            )
        finally:
            ws.close()

    @on(AccountsLoaded)
    def _loaded(self, message: AccountsLoaded) -> None:
        self.accounts = message.accounts
        table = self.query_one(DataTable)
        table.clear()
        for o in message.accounts:
            r = o.record
            roles = sorted({m.dmu_role for m in o.committee})
            table.add_row(
                r.company,
                str(len(r.interviews)),
                r.industry or "—",
                r.employees.describe() if r.employees else "—",
                r.revenue.describe() if r.revenue else "—",
                r.segment or "—",
                f"{len(o.committee)} people: " + ", ".join(x.replace("_", " ") for x in roles),
                key=r.company,
            )
        interviews = sum(len(o.record.interviews) for o in message.accounts)
        total = f"{count(len(message.accounts), 'account')}, {count(interviews, 'interview')}"
        if message.warnings:
            total += " · ⚠ " + "; ".join(message.warnings)
        self.query_one("#accounts-total", Label).update(total)
        if message.accounts:
            self.show(message.accounts[0].name)

    @on(DataTable.RowHighlighted, "#accounts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show(str(event.row_key.value))

    def show(self, name: str) -> None:
        """Show one account's buying committee."""
        overview = next((o for o in self.accounts if o.name == name), None)
        if overview is not None:
            self.query_one("#committee", Static).update(committee_text(overview))
