"""Every screen of the app, and how a test opens it (the key-map and 80×24 tests).

:data:`OPENERS` maps a name to a coroutine that opens that screen in a running
:class:`~tui.app.PersonaApp` over the seeded review workspace
(``tests/tui_review/conftest.py``). :func:`screen_classes` lists every Screen
class of ``tui``; the tests check that each one has an opener, so a new
screen is checked as soon as it lands.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

import tui
from assistant import review
from assistant.workspace import Workspace
from tests.support.corpus import replay_settings
from tests.support.store import HashEmbedder
from tests.support.tui import settle
from tests.support.tui_review import PERSONA_KEY, PROVENANCE, persona_fields
from tui.app import PersonaApp, make_app

Opener = Callable[[PersonaApp, Workspace, Pilot[None]], Awaitable[None]]

INTERVIEW = "northwind-cfo"


def build_app(ws: Workspace) -> PersonaApp:
    """The app as the tests run it: replayed fixtures, hash embedder, no blink."""
    return make_app(
        ws,
        settings=replay_settings(),
        embedder=HashEmbedder(),
        cursor_blink=False,
        pipeline=False,
    )


def _section(mode: str) -> Opener:
    async def open_section(app: PersonaApp, ws: Workspace, pilot: Pilot[None]) -> None:
        app.action_goto(mode)
        await settle(app)

    return open_section


def _push(make: Callable[[Workspace], Screen[Any]]) -> Opener:
    async def open_pushed(app: PersonaApp, ws: Workspace, pilot: Pilot[None]) -> None:
        app.push_screen(make(ws))
        await settle(app)

    return open_pushed


def _over_loaded_library(make: Callable[[Workspace], Screen[Any]]) -> Opener:
    """Push ``make(ws)`` once the Library under it has shown its rows (its count label
    is filled by a worker, which raced the snapshot)."""
    push = _push(make)

    async def open_over_library(app: PersonaApp, ws: Workspace, pilot: Pilot[None]) -> None:
        from textual.widgets import Label

        for _ in range(50):
            if " of " in str(app.screen.query_one("#library-empty", Label).render()):
                break
            await pilot.pause(0.1)
        await push(app, ws, pilot)

    return open_over_library


def _item(ws: Workspace, kind: str) -> review.ReviewItem:
    return review.list_items(ws, kind)[0]


def _interview(ws: Workspace) -> Screen[Any]:
    from tui.screens.interview import InterviewScreen

    return InterviewScreen(ws, INTERVIEW)


def _speaker_check(ws: Workspace) -> Screen[Any]:
    from tui.screens.speakers import SpeakerCheckScreen

    return SpeakerCheckScreen(ws)


def _speaker_picker(ws: Workspace) -> Screen[Any]:
    from tui.screens.interview import SpeakerPicker

    return SpeakerPicker([("Interviewer", "interviewer", 12), ("Dana", "participant", 11)])


def _name_picker(ws: Workspace) -> Screen[Any]:
    from tui.screens.speakers import NamePicker

    return NamePicker("Speaker 2", ["Dana Whitfield", "Sam Ortiz"])


def _item_modal(ws: Workspace) -> Screen[Any]:
    from tui.screens.messaging import MESSAGING_FIELDS
    from tui.widgets.item_modal import ItemModal

    return ItemModal(ws, _item(ws, "messaging"), field_order=MESSAGING_FIELDS)


def _edit_dialog(ws: Workspace) -> Screen[Any]:
    from tui.widgets.dialogs import EditDialog

    return EditDialog("Edit claim (evidence stays linked)", "Owns the close calendar")


def _confirm(ws: Workspace) -> Screen[Any]:
    from tui.widgets.dialogs import ConfirmDialog

    return ConfirmDialog(
        "Draft messaging: Controller champion → economic buyer: estimate",
        ["step       calls  input  output  cost", "messaging      1  3,120   1,250  unknown"],
        "Draft it?",
    )


def _diff(ws: Workspace) -> Screen[Any]:
    from tui.widgets.dialogs import DiffScreen

    review.set_status(ws, PERSONA_KEY, "approved")
    fields = persona_fields(ws)
    fields["pains"] = [review.ClaimDraft(text="Chases approvers across email and chat.")]
    review.upsert_generated(ws, "persona", PERSONA_KEY, "Controller champion", fields, PROVENANCE)
    item = review.get_item(ws, PERSONA_KEY)
    assert item.pending is not None
    return DiffScreen(item, item.pending)


def _theme_quotes(ws: Workspace) -> Screen[Any]:
    from tui.widgets.theme_quotes import ThemeQuotesScreen

    return ThemeQuotesScreen(_item(ws, "theme"))


def _highlight(ws: Workspace) -> Screen[Any]:
    from assistant.library import get_interview
    from tui.widgets.highlight import HighlightDialog

    turns = get_interview(ws, INTERVIEW).transcript.turns
    turn = next(t for t in turns if "nine business days" in t.text)
    at = turn.text.index("Our close took nine business days.")
    return HighlightDialog(turn, (at, at + len("Our close took nine business days.")))


def _choice(ws: Workspace) -> Screen[Any]:
    from tui.widgets.pickers import ChoiceDialog

    return ChoiceDialog("Merge “Manual approvals” into…", [("theme-1", "Audit or board push")])


def _pick_many(ws: Workspace) -> Screen[Any]:
    from tui.widgets.pickers import PickManyDialog

    return PickManyDialog("Insights to move", [("a:i1", "Approvals stall"), ("b:i2", "Audit")])


def _link(ws: Workspace) -> Screen[Any]:
    from tui.widgets.pickers import LinkDialog

    return LinkDialog(ws, "Spends month-end chasing approvers by email.")


async def _icp(app: PersonaApp, ws: Workspace, pilot: Pilot[None]) -> None:
    """The ICP screen once its statistics are shown (they load in a second worker)."""
    from textual.widgets import Static

    await _section("icp")(app, ws, pilot)
    for _ in range(50):
        if "computing" not in str(app.screen.query_one("#icp-stats-text", Static).render()):
            # the longer text may bring a scrollbar, which re-wraps the panes: let it settle
            await pilot.pause(0.2)
            await settle(app)
            await pilot.wait_for_scheduled_animations()
            # on a loaded machine the first claim's focus can land before that re-wrap and
            # leave the claims scrolled a few lines: show them from the top, as they open
            from tui.widgets.claims import ClaimList

            app.screen.query_one(ClaimList).scroll_home(animate=False)
            await settle(app)
            return
        await pilot.pause(0.1)
        await settle(app)
    raise AssertionError("the ICP statistics never finished loading")


async def _help(app: PersonaApp, ws: Workspace, pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")
    await settle(app)


async def _library(app: PersonaApp, ws: Workspace, pilot: Pilot[None]) -> None:
    await settle(app)


OPENERS: dict[str, Opener] = {
    "LibraryScreen": _library,
    "RunsScreen": _section("runs"),
    "AskScreen": _section("ask"),
    "SearchScreen": _section("search"),
    "ThemesScreen": _section("themes"),
    "PersonasScreen": _section("personas"),
    "IcpScreen": _icp,
    "MessagingScreen": _section("messaging"),
    "AccountsScreen": _section("accounts"),
    "SegmentsScreen": _section("segments"),
    "InterviewScreen": _push(_interview),
    "SpeakerCheckScreen": _push(_speaker_check),
    "SpeakerPicker": _push(_speaker_picker),
    "NamePicker": _push(_name_picker),
    "HelpScreen": _help,
    "ItemModal": _over_loaded_library(_item_modal),
    "EditDialog": _push(_edit_dialog),
    "ConfirmDialog": _push(_confirm),
    "DiffScreen": _push(_diff),
    "ThemeQuotesScreen": _push(_theme_quotes),
    "TagsScreen": _section("tags"),
    "HighlightDialog": _push(_highlight),
    "ChoiceDialog": _push(_choice),
    "PickManyDialog": _push(_pick_many),
    "LinkDialog": _push(_link),
}
"""Screen class name → how to open it."""


def screen_classes() -> set[str]:
    """The names of every Screen subclass defined in the ``tui`` package."""
    names: set[str] = set()
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Screen) and obj.__module__ == info.name:
                names.add(name)
    return names
