"""The Persona Assistant terminal app: factory, navigation, palette, demo entry point.

Top-level sections are Textual *modes* (each keeps its own screen stack):
Library, Runs and Ask live here; Themes, Personas, ICP and Messaging are
imported lazily from ``tui.screens.<name>`` when first opened. Build the app
with :func:`make_app` (tests pass test settings and a fast embedder).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from assistant.models import EvidenceStatus
from assistant.workspace import Workspace
from tui.messages import OpenTranscript

if TYPE_CHECKING:
    from assistant.embeddings import Embedder
    from assistant.settings import Settings

DEMO_NOTE = "Demo: model responses are replayed recorded fixtures (authored-fixture), offline."

SECTIONS: dict[str, tuple[str, str, str]] = {
    # mode: (title, module, class)
    "library": ("Library", "tui.screens.library", "LibraryScreen"),
    "runs": ("Runs", "tui.screens.runs", "RunsScreen"),
    "ask": ("Ask", "tui.screens.ask", "AskScreen"),
    "themes": ("Themes", "tui.screens.themes", "ThemesScreen"),
    "personas": ("Personas", "tui.screens.personas", "PersonasScreen"),
    "icp": ("ICP", "tui.screens.icp", "IcpScreen"),
    "messaging": ("Messaging", "tui.screens.messaging", "MessagingScreen"),
    "accounts": ("Accounts", "tui.screens.accounts", "AccountsScreen"),
    "segments": ("Segments", "tui.screens.segments", "SegmentsScreen"),
    "tags": ("Tags", "tui.screens.tags", "TagsScreen"),
    "search": ("Search", "tui.screens.search", "SearchScreen"),
}


class PersonaApp(App[None]):
    """Review interviews, evidence and drafts of one workspace."""

    CSS_PATH = "persona.tcss"
    TITLE = "Persona Assistant"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "goto('library')", "Library"),
        Binding("t", "goto('themes')", "Themes", show=False),
        Binding("p", "goto('personas')", "Personas", show=False),
        Binding("i", "goto('icp')", "ICP", show=False),
        Binding("m", "goto('messaging')", "Messaging", show=False),
        Binding("b", "goto('accounts')", "Accounts", show=False),
        Binding("s", "goto('segments')", "Segments", show=False),
        Binding("f", "goto('search')", "Search"),
        Binding("number_sign", "goto('tags')", "Tags", show=False),
        Binding("a", "goto('ask')", "Ask"),
        Binding("r", "goto('runs')", "Runs", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+t", "toggle_dark", "Dark/light", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
    ]
    """The app-wide key map (docs/tui.md); screens bind none of these keys
    (tests/tui/test_keymap.py)."""

    def __init__(
        self,
        ws: Workspace,
        *,
        demo: bool = False,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        cursor_blink: bool = True,
        autorun: bool = True,
        pipeline: bool = True,
    ) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.ws = ws
        self.demo = demo
        self.embedder = embedder
        self.cursor_blink = cursor_blink
        self.autorun = autorun
        self._settings = settings
        self.sub_title = f"{ws.root.name}" + (
            " · demo (replayed fixtures, offline)" if demo else ""
        )

    @property
    def settings(self) -> Settings:
        """The workspace settings (replay over bundled fixtures in demo mode), loaded once."""
        if self._settings is None:
            from assistant.settings import load_settings

            settings = load_settings(self.ws.config_data())
            if self.demo:
                from assistant.demo import demo_settings

                settings = demo_settings(settings)
            self._settings = settings
        return self._settings

    def regeneration_settings(self, kind: str) -> Settings:
        """Settings to regenerate ``kind``: the demo replays its recorded alternative answer
        (:func:`assistant.demo.regeneration_settings`)."""
        if not self.demo:
            return self.settings
        from assistant.demo import regeneration_settings

        return regeneration_settings(self.settings, kind)

    def explain(self, message: str) -> str:
        """``message`` as this app shows it: in demo mode a replay error becomes plain words
        (:func:`assistant.demo.demo_message`)."""
        if not self.demo:
            return message
        from assistant.demo import demo_message

        return demo_message(message)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification passes :meth:`explain` (the demo's boundary for errors)."""
        super().notify(
            self.explain(message), title=title, severity=severity, timeout=timeout, markup=markup
        )

    def on_mount(self) -> None:
        for mode in ("library", "runs", "ask"):
            self.add_mode(mode, self._factory(mode))
        self.switch_mode("library")

    def _factory(self, mode: str) -> Callable[[], Screen[None]]:
        _, module, name = SECTIONS[mode]
        cls = getattr(importlib.import_module(module), name)
        return partial(cls, self.ws)

    def action_goto(self, mode: str) -> None:
        """Open a section (a mode) at its own screen; review screens are imported on first use.

        Screens pushed over the section (an interview opened from it) are closed,
        so ``l`` always shows the Library itself.
        """
        if mode not in self._modes:
            self.add_mode(mode, self._factory(mode))
        if self.current_mode != mode:
            self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def on_open_transcript(self, message: OpenTranscript) -> None:
        """A review screen asked to show a quote in its transcript."""
        from tui.screens.interview import InterviewScreen

        focus: dict[str, object] = {
            "turn": message.turn,
            "start": message.start,
            "end": message.end,
            "status": EvidenceStatus.verified,
        }
        self.push_screen(InterviewScreen(self.ws, message.interview_id, focus=focus))

    def action_help(self) -> None:
        """Show the keys of the current screen and the app."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_dark(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Palette entries: every section, help, theme, and the current screen's actions."""
        yield from super().get_system_commands(screen)
        for mode, (title, _, _) in SECTIONS.items():
            yield SystemCommand(
                f"Go to {title}",
                f"Open the {title} screen",
                partial(self.action_goto, mode),
            )
        yield SystemCommand("Help: keys", "Show the keys of this screen", self.action_help)
        yield SystemCommand("Toggle dark/light", "Switch the colour theme", self.action_toggle_dark)
        for title, help_text, action in getattr(screen, "PALETTE", ()):
            yield SystemCommand(title, help_text, partial(screen.run_action, action))


def make_app(
    ws: Workspace,
    *,
    demo: bool = False,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    cursor_blink: bool = True,
    autorun: bool = True,
    pipeline: bool = True,
) -> PersonaApp:
    """Build the app for a workspace.

    ``settings`` (default: the workspace's, replayed fixtures in demo mode) and
    ``embedder`` (default: the configured model, loaded in a worker when needed)
    let tests run fast and offline; ``autorun=False`` stops demo mode from
    starting the pipeline by itself; ``pipeline=False`` stops "run analysis"
    after extraction (no themes, personas, ICP or messaging).
    """
    return PersonaApp(
        ws,
        demo=demo,
        settings=settings,
        embedder=embedder,
        cursor_blink=cursor_blink,
        autorun=autorun,
        pipeline=pipeline,
    )


def run_app(ws: Workspace, *, demo: bool = False) -> None:
    """Open the app on a workspace (blocks until the user quits)."""
    try:
        make_app(ws, demo=demo).run()
    finally:
        ws.close()


def run_demo_app(directory: Path | None) -> None:
    """`persona demo`: copy the samples into a new workspace and open the app in demo mode.

    The app ingests the samples and extracts them by replaying the recorded
    fixtures in workers, with progress on screen; nothing touches the network.
    """
    from assistant.demo import prepare_demo_workspace

    root = prepare_demo_workspace(directory)
    run_app(Workspace(root), demo=True)
