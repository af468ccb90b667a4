"""ICP: the canvas (four groups, disqualifiers, neighbourhoods) beside code-computed caveats.

Left, the ICP draft's claims by group, each with its support counts and
evidence (``enter``), editable (``e``, ``n``) and approvable (``a``, ``x``);
right, the evidence base and the caveats computed by
``assistant.icp_stats.compute_icp_statistics`` (never written by a model).
``/`` filters by a tag: only the claims it marks are shown
(:func:`assistant.selection.tag_marks`); ``escape`` clears the filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from assistant import review
from assistant.icp_stats import THIN_ACCOUNTS, Caveat, IcpStatistics, compute_icp_statistics
from assistant.schemas import ICP_CLAIM_FIELDS
from assistant.wording import count
from assistant.workspace import Workspace
from tui.messages import ItemsLoaded, ItemsRegenerated, ReviewFailed
from tui.widgets.editor import ItemEditor, failure
from tui.widgets.footer import AppFooter
from tui.widgets.tag_filter import TagFilter, TagFiltered, marks_of

ICP_FIELDS = ("summary", *ICP_CLAIM_FIELDS)
ICP_TITLES = {
    "summary": "Summary",
    "firmographics": "Firmographics",
    "challenges_and_goals": "Challenges and goals",
    "tech_stack": "Tech stack",
    "behaviours": "Behaviours",
    "disqualifiers": "Disqualifiers",
    "neighbourhoods": "Neighbourhoods",
}
SEVERITY_STYLE = {"warning": "bold black on yellow", "info": "bold black on cyan"}


@dataclass
class IcpEvidence:
    """The statistics, and the fit of the drafted criteria when they are known."""

    stats: IcpStatistics
    fit: Caveat | None = None


def load_evidence(ws: Workspace) -> IcpEvidence:
    """Statistics and fit from the generator's report, else the statistics alone."""
    from assistant.generate.icp import icp_report

    report = icp_report(ws)
    if report is None:
        return IcpEvidence(compute_icp_statistics(ws))
    return IcpEvidence(report.statistics, report.fit.caveat())


def statistics_text(evidence: IcpEvidence) -> Text:
    """The evidence base, the strongest attribute values, the fit and the caveats."""
    stats = evidence.stats
    scored = sum(a.score is not None for a in stats.accounts)
    text = Text("Evidence base\n", style="bold")
    text.append(
        f"{count(len(stats.accounts), 'account')}, {count(stats.interviews, 'interview')}, "
        f"{scored} with metrics.\n"
        f"Best accounts ({stats.best_rule}): {', '.join(stats.best_accounts) or 'none'}.\n"
    )
    lifted = sorted(
        (s for s in stats.attributes if s.lift is not None and s.best_with),
        key=lambda s: (-(s.lift or 0), s.attribute, s.value),
    )[:6]
    if lifted:
        text.append("\nMost over-represented among the best\n", style="bold")
        for s in lifted:
            text.append(
                f"• {s.attribute.replace('_', ' ')} = {s.value}: lift {s.lift:.2f}, "
                f"{count(len(s.accounts), 'account')}\n"
            )
    text.append("\nCaveats\n", style="bold")
    caveats = [*stats.caveats, *([evidence.fit] if evidence.fit else [])]
    thin = [c for c in caveats if c.kind == "thin_evidence"]
    for caveat in caveats:
        if caveat.kind == "thin_evidence":
            continue
        text.append(f" {caveat.severity} ", style=SEVERITY_STYLE[caveat.severity])
        text.append(f" {caveat.message}\n")
    if thin:
        text.append(" warning ", style=SEVERITY_STYLE["warning"])
        values = ", ".join(f"{c.attribute}={c.value}" for c in thin)
        text.append(f" resting on {count(THIN_ACCOUNTS, 'account')} or fewer: {values}\n")
    if not caveats:
        text.append("none\n", style="dim")
    return text


class IcpScreen(TagFiltered, Screen[None]):
    """Review the ICP draft against the statistics computed from account data."""

    TITLE = "ICP"
    PALETTE = (
        ("ICP: edit claim", "Edit the selected claim's text", "editor('edit')"),
        ("ICP: add claim", "Add a claim to the selected claim's field", "editor('add')"),
        ("ICP: approve", "Approve this draft", "editor('approve')"),
        ("ICP: reject", "Reject this draft", "editor('reject')"),
        ("ICP: regenerate", "Draft it again; your edits are kept", "editor('regenerate')"),
        ("ICP: review changes", "Side-by-side diff of a regenerated version", "editor('diff')"),
        ("ICP: reload", "Read the items again", "reload"),
        ("ICP: tag filter", "Show only the claims a tag marks", "tag_filter"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", "Reload"),
        Binding("slash", "tag_filter", "Tag filter"),
        Binding("escape", "clear_tag_filter", "Clear tag filter", show=False),
    ]

    DEFAULT_CSS = """
    IcpScreen #icp-editor { width: 3fr; }
    IcpScreen #icp-stats { width: 2fr; min-width: 30; border-left: solid $primary; padding: 0 1; }
    """

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws

    def compose(self) -> ComposeResult:
        yield Header()
        yield TagFilter()
        with Horizontal():
            yield ItemEditor(
                self.ws,
                field_order=ICP_FIELDS,
                field_titles=ICP_TITLES,
                show_empty=True,
                kind="icp",
                id="icp-editor",
            )
            with VerticalScroll(id="icp-stats"):
                yield Static("computing the statistics…", id="icp-stats-text")
        yield AppFooter()

    @property
    def editor(self) -> ItemEditor:
        return self.query_one("#icp-editor", ItemEditor)

    def on_mount(self) -> None:
        self.load()

    async def action_editor(self, action: str) -> None:
        """Run an editor action (edit, add, approve, reject, regenerate, diff)."""
        await self.editor.run_action(action)

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="icp-load")
    def load(self) -> None:
        """Read the ICP item and compute the statistics; the tag filter picks the claims."""
        tag_filter = self.query_one(TagFilter)
        try:
            items = review.list_items(self.ws, "icp")
            marks, refused = marks_of(self.ws, tag_filter.tag)
            if refused:  # a tag nothing carries: say so, show every claim
                self.post_message(ReviewFailed(refused))
                self.app.call_from_thread(setattr, tag_filter, "tag", None)
            self.post_message(ItemsLoaded(items, (load_evidence(self.ws), marks)))
        except Exception as exc:
            self.post_message(ReviewFailed(failure("Loading the ICP", exc)))

    async def on_items_loaded(self, message: ItemsLoaded) -> None:
        evidence: IcpEvidence = message.extra[0]
        self.editor.claim_list.marks = message.extra[1]
        self.query_one("#icp-stats-text", Static).update(statistics_text(evidence))
        await self.editor.show(message.items[0] if message.items else None)
        if self.focused is None:
            self.editor.claim_list.focus_claim()

    def on_items_regenerated(self, message: ItemsRegenerated) -> None:
        self.load()

    def on_review_failed(self, message: ReviewFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)
