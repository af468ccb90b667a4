"""Pilot tests of the editing actions: highlight, tags, theme merge, claim delete, link,
approve with assumptions, back to draft, and an edit refused after another process's."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, TextArea

from assistant import review
from assistant.export import export_workspace
from assistant.extract import list_insights
from assistant.generate.theme_edits import members
from assistant.generate.themes import current_theme_keys
from assistant.highlights import add_highlight
from assistant.library import get_interview
from assistant.workspace import Workspace
from tests.support.screens import build_app
from tests.support.tui import settle
from tests.support.tui_review import PERSONA_KEY
from tui.app import PersonaApp
from tui.screens.interview import InterviewScreen
from tui.screens.tags import TagsScreen
from tui.screens.themes import ThemesScreen
from tui.widgets.claims import ClaimRow
from tui.widgets.dialogs import ConfirmDialog, EditDialog
from tui.widgets.highlight import HighlightDialog
from tui.widgets.pickers import ChoiceDialog, LinkDialog

pytestmark = pytest.mark.anyio
SIZE = (120, 40)
IID = "northwind-cfo"


def _notes(app: PersonaApp) -> list[str]:
    """Record every notification the app shows."""
    seen: list[str] = []
    show = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(message)
        show(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


async def test_highlight_becomes_an_insight_in_the_export(review_ws: Workspace) -> None:
    turns = get_interview(review_ws, IID).transcript.turns
    target = next(t for t in turns if "nine business days" in t.text)
    app = build_app(review_ws)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InterviewScreen(review_ws, IID))
        await settle(app)
        for _ in range([t.index for t in turns].index(target.index) + 1):
            await pilot.press("right_square_bracket")  # the turn cursor
        await pilot.press("h")
        await settle(app)
        dialog = app.screen
        assert isinstance(dialog, HighlightDialog) and dialog.turn.index == target.index
        assert app.screen.focused is dialog.query_one(TextArea)
        for _ in range(9):
            await pilot.press("shift+right")  # mark the first nine characters
        dialog.query_one("#statement", Input).value = "Month-end is the pain"
        dialog.query_one("#tags", Input).value = "close, accruals"
        await pilot.press("ctrl+s")
        await settle(app)
        assert isinstance(app.screen, InterviewScreen)
        options = app.screen.query_one("#insights", OptionList)
        assert any("added by you" in str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count))  # fmt: skip
    mine = [i for i in list_insights(review_ws, IID) if i.added_by_user]
    assert len(mine) == 1
    ins = mine[0]
    assert ins.evidence[0]["quote"] == target.text[:9].strip()
    assert ins.evidence[0]["status"] == "verified" and ins.tags == ["accruals", "close"]
    out = review_ws.root / "exports"
    export_workspace(review_ws, ["csv", "json"], out)
    rows = list(csv.DictReader(io.StringIO((out / "insights.csv").read_text("utf-8"))))
    row = next(r for r in rows if r["id"] == ins.id)
    assert (row["origin"], row["tags"]) == ("added by you", "accruals; close")
    assert row["first_verified_quote"] == target.text[:9].strip()
    export_workspace(review_ws, ["md"], out)
    appendix = (out / "evidence.md").read_text("utf-8")
    assert f"{ins.id} (added by you)" in appendix


async def test_tags_screen_renames_a_tag(review_ws: Workspace) -> None:
    turns = get_interview(review_ws, IID).transcript.turns
    turn = next(t for t in turns if "nine business days" in t.text)
    add_highlight(
        review_ws, IID, turn=turn.index, quote="nine business days", kind="pain",
        statement="Slow close", tags=["close"],
    )  # fmt: skip
    app = build_app(review_ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("number_sign")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, TagsScreen)
        assert screen.query_one("#tags", DataTable).row_count == 1
        assert screen.query_one("#tag-quotes", OptionList).option_count == 1
        await pilot.press("e")
        await settle(app)
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one(Input).value = "month-end close"
        await pilot.press("enter")
        await settle(app)
    from assistant.tags import list_tags

    assert [c.tag for c in list_tags(review_ws)] == ["month-end close"]


async def test_theme_merge_survives_regeneration(generated_ws: Workspace) -> None:
    keys = current_theme_keys(generated_ws)
    app = build_app(generated_ws)
    async with app.run_test(size=SIZE) as pilot:
        notes = _notes(app)
        app.action_goto("themes")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        themes = screen.data.themes
        row = next(
            n for n, t in enumerate(themes)
            if sum(o.kind == t.kind for o in themes) > 1
        )  # fmt: skip
        source = themes[row].item
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("c")
        await settle(app)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        options = dialog.query_one(OptionList)
        if options.highlighted is None:
            await pilot.press("down")
        assert options.highlighted is not None
        target_id = dialog.choices[options.highlighted][0]
        await pilot.press("enter")
        await settle(app)
        merged = review.get_item(generated_ws, target_id)
        union = set(members(merged))
        assert set(members(source)) <= union, notes
        assert source.key not in current_theme_keys(generated_ws)
        await pilot.press("g")  # cluster and name the themes again (replayed)
        await settle(app)
        assert isinstance(app.screen, ConfirmDialog)  # the estimate, then yes
        await pilot.press("y")
        await settle(app)
        assert isinstance(app.screen, ThemesScreen)
        shown = {t.item.id for t in app.screen.data.themes}
    assert source.id not in shown and target_id in shown
    assert source.key not in current_theme_keys(generated_ws)
    assert len(current_theme_keys(generated_ws)) == len(keys) - 1
    assert set(members(review.get_item(generated_ws, target_id))) == union
    assert review.get_item(generated_ws, source.id).status == "rejected"


async def open_link_dialog(app: PersonaApp, pilot: Any) -> ClaimRow:
    """Open the first persona, focus an assumption and press k: the link dialog is open."""
    app.action_goto("personas")
    await settle(app)
    await pilot.press("enter")
    await settle(app)
    assumption = next(r for r in app.screen.query(ClaimRow) if r.claim.status == "assumption")
    assumption.focus()
    await pilot.press("k")
    await settle(app)
    assert isinstance(app.screen, LinkDialog)
    return assumption


async def test_link_approve_unapprove_and_delete_claims(review_ws: Workspace) -> None:
    app = build_app(review_ws)
    async with app.run_test(size=SIZE) as pilot:
        assumption = await open_link_dialog(app, pilot)
        app.screen.query_one(Input).value = "nine business days"
        await pilot.press("enter")
        await settle(app)
        assert app.screen.query_one(OptionList).option_count >= 1
        await pilot.press("enter")
        await settle(app)
        linked = review.get_item(review_ws, PERSONA_KEY).claim(assumption.claim.id)
        assert linked is not None and linked.status == "supported"
        # approve: no assumption left now, so no question; then back to draft
        await pilot.press("v")
        await settle(app)
        assert not isinstance(app.screen, ConfirmDialog)
        assert review.get_item(review_ws, PERSONA_KEY).status == "approved"
        await pilot.press("u")
        await settle(app)
        assert review.get_item(review_ws, PERSONA_KEY).status == "draft"
        # delete a claim, confirmed
        victim = next(r for r in app.screen.query(ClaimRow) if r.claim.id != linked.id)
        victim.focus()
        await pilot.press("delete")
        await settle(app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app)
    item = review.get_item(review_ws, PERSONA_KEY)
    assert item.claim(victim.claim.id) is None
    assert [r.action for r in review.history(review_ws, PERSONA_KEY)][-1] == "remove_claim"


async def test_delete_after_another_process_edited_keeps_both(review_ws: Workspace) -> None:
    app = build_app(review_ws)
    async with app.run_test(size=SIZE) as pilot:
        notes = _notes(app)
        app.action_goto("personas")
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        row = app.screen.focused
        assert isinstance(row, ClaimRow)
        other = Workspace(review_ws.root)  # another process edits the claim meanwhile
        try:
            review.edit_claim(other, PERSONA_KEY, row.claim.id, "Edited in another window")
        finally:
            other.close()
        await pilot.press("delete")
        await settle(app)
        await pilot.press("y")
        await settle(app)
        assert any("changed after you opened it" in n for n in notes), notes
    kept = review.get_item(review_ws, PERSONA_KEY).claim(row.claim.id)
    assert kept is not None and kept.text == "Edited in another window"


async def test_link_a_claim_to_a_transcript_passage(review_ws: Workspace) -> None:
    """A participant's words that no insight quotes yet can be linked straight from the
    transcript: the matched sentence becomes the claim's verified evidence."""
    words = "gives you your mornings back"
    assert review.find_quotes(review_ws, words) == []
    app = build_app(review_ws)
    async with app.run_test(size=SIZE) as pilot:
        assumption = await open_link_dialog(app, pilot)
        app.screen.query_one(Input).value = words
        await pilot.press("enter")
        await settle(app)
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await settle(app)
    linked = review.get_item(review_ws, PERSONA_KEY).claim(assumption.claim.id)
    assert linked is not None and linked.status == "supported"
    link = linked.evidence[-1]
    assert link.insight_id is None and link.interview_id == "cedar-ridge-ap-specialist"
    assert link.quote == "I'd tell her it gives you your mornings back."
    assert link.status == "verified"
    assert [r.action for r in review.history(review_ws, PERSONA_KEY)][-1] == "link_evidence"
