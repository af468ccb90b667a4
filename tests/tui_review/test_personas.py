"""Personas screen: cards, evidence, edit, add, approve, regeneration diff."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assistant import review
from assistant.workspace import Workspace
from tests.support.tui_review import PERSONA_KEY, PROVENANCE, persona_fields
from tests.tui_review.review_app import ReviewTestApp
from tui.screens.personas import PersonaCard, PersonasScreen
from tui.widgets.claims import ClaimRow, ClaimView, EvidenceRow
from tui.widgets.dialogs import ConfirmDialog, DiffScreen, EditDialog

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for workers and the messages they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_cards_and_evidence_quote(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cards = list(app.screen.query(PersonaCard))
        assert [c.item.key for c in cards] == [PERSONA_KEY]
        await pilot.press("enter")  # open the card: focus its first claim
        await settle(pilot)
        row = app.screen.focused
        assert isinstance(row, ClaimRow)
        assert row.claim.status == "supported"
        assert "SUPPORTED" in str(row.render())
        await pilot.press("enter")  # expand the evidence
        view = row.parent
        assert isinstance(view, ClaimView) and view.expanded
        await pilot.press("down")
        evidence = app.screen.focused
        assert isinstance(evidence, EvidenceRow)
        assert evidence.link.quote and evidence.link.quote in str(evidence.render())
        await pilot.press("j")
        await pilot.pause()
        assert app.opened and app.opened[0].interview_id == evidence.link.interview_id
        assert app.opened[0].start == evidence.link.start


async def test_assumption_is_marked(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list(app.screen.query(ClaimRow))
        assumption = next(r for r in rows if r.claim.status == "assumption")
        assert "ASSUMPTION" in str(assumption.render())


async def test_edit_add_and_approve_persist(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        claim_id = app.screen.focused.claim.id  # type: ignore[union-attr]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one(Input).value = "Needs an approval trail the auditors accept."
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one(Input).value = "Owns the close calendar"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("v")  # assumptions remain: a confirm dialog asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    item = review.get_item(review_ws, PERSONA_KEY)
    assert item.status == "approved"
    edited = item.claim(claim_id)
    assert edited is not None and edited.edited_by_user
    assert edited.text == "Needs an approval trail the auditors accept."
    added = [c for c in item.fields["goals"] if c.origin.source == "user"]
    assert [c.text for c in added] == ["Owns the close calendar"]
    assert added[0].status == "assumption"
    actions = [r.action for r in review.history(review_ws, PERSONA_KEY)]
    assert {"edit_claim", "add_claim", "set_status"} <= set(actions)


async def test_reject(review_ws: Workspace) -> None:
    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "x")
        await settle(pilot)
        card = app.screen.query_one(PersonaCard)
        assert card.item.status == "rejected"
    assert review.get_item(review_ws, PERSONA_KEY).status == "rejected"


def _regenerated(ws: Workspace, settings: object = None) -> None:
    """A new model version: the pain reworded, a trigger added."""
    fields = persona_fields(ws)
    fields["pains"] = [review.ClaimDraft(text="Chases approvers across email and chat.")]
    fields["triggers"] = [review.ClaimDraft(text="An audit finding.")]
    review.upsert_generated(ws, "persona", PERSONA_KEY, "Controller champion", fields, PROVENANCE)


def _shown(app: ReviewTestApp) -> str:
    return " ".join(str(s.render()) for s in app.screen.query("Static"))


async def _regenerate_and_decide(ws: Workspace, monkeypatch: object, key: str) -> review.ReviewItem:
    import tui.widgets.editor as editor

    calls: list[str] = []

    def generator(ws: Workspace, settings: object = None) -> None:
        calls.append("persona")
        _regenerated(ws, settings)

    monkeypatch.setattr(editor, "find_generator", lambda kind: generator)  # type: ignore[attr-defined]
    review.set_status(ws, PERSONA_KEY, "approved")  # touched: regeneration goes to pending
    app = ReviewTestApp(ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "g")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # the estimate first, nothing run yet
        assert "personas" in _shown(app) and "total" in _shown(app), _shown(app)
        assert calls == []
        await pilot.press("y")
        await settle(pilot)
        assert calls == ["persona"]
        assert isinstance(app.screen, DiffScreen)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Chases approvers across email and chat." in text
        assert "An audit finding." in text
        assert "Spends month-end chasing approvers by email." in text
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, DiffScreen)
    return review.get_item(ws, PERSONA_KEY)


async def test_regenerate_diff_keep(review_ws: Workspace, monkeypatch: object) -> None:
    item = await _regenerate_and_decide(review_ws, monkeypatch, "k")
    assert item.pending is None
    assert [c.text for c in item.fields["pains"]] == [
        "Spends month-end chasing approvers by email."
    ]
    assert "triggers" not in item.fields


async def test_regenerate_diff_accept(review_ws: Workspace, monkeypatch: object) -> None:
    item = await _regenerate_and_decide(review_ws, monkeypatch, "a")
    assert item.pending is None
    assert [c.text for c in item.fields["pains"]] == ["Chases approvers across email and chat."]
    assert [c.text for c in item.fields["triggers"]] == ["An audit finding."]
    assert item.status == "approved"


async def test_regenerate_declined_sends_nothing(review_ws: Workspace, monkeypatch: object) -> None:
    """Answering no to the estimate runs no generator and says nothing was sent."""
    import tui.widgets.editor as editor

    calls: list[str] = []
    monkeypatch.setattr(editor, "find_generator", lambda kind: lambda *a: calls.append(kind))  # type: ignore[attr-defined]
    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "g")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
    assert calls == []
    assert any("nothing was sent" in n for n in notes), notes


async def test_regenerate_reports_a_configuration_error(review_ws: Workspace) -> None:
    """The real generator runs; a bad persona.toml is reported, not swallowed."""
    config = review_ws.root / "persona.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[embeding]\n", encoding="utf-8")
    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
    assert any("Regeneration failed" in n and "embeding" in n for n in notes), notes


async def test_tag_filter_keeps_personas_and_claims_with_tagged_evidence(
    review_ws: Workspace,
) -> None:
    from assistant.tags import write_tags

    app = ReviewTestApp(review_ws, PersonasScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PersonasScreen)
        every = list(screen.items)
        claims = [c for c in every[0].claims() if any(e.insight_id for e in c.evidence)]
        insight = next(e.insight_id for e in claims[0].evidence if e.insight_id)
        assert insight is not None
        with review_ws.conn:
            write_tags(review_ws.conn, insight, ["zebra"])
        from assistant.selection import tag_marks

        assert tag_marks(review_ws, "zebra").insights == {insight}
        marked = {
            c.id for c in every[0].claims() if any(e.insight_id == insight for e in c.evidence)
        }

        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"zebra")
        from tui.widgets.tag_filter import TagFilter

        assert screen.query_one(TagFilter).value == "zebra", screen.focused
        await pilot.press("enter")
        await settle(pilot)
        assert {c.item.id for c in screen.query(PersonaCard)} == {
            p.id
            for p in every
            if any(e.insight_id == insight for c in p.claims() for e in c.evidence)
        }
        shown = {v.claim.id for v in screen.editor.claim_list.query(ClaimView)}
        assert shown == marked
        notes = [str(s.render()) for s in screen.editor.claim_list.query(".empty")]
        if len(marked) < len(every[0].claims()):
            assert any("without evidence tagged zebra hidden" in n for n in notes)

        await pilot.press("escape")
        await settle(pilot)
        assert len(list(screen.query(PersonaCard))) == len(every)
        shown = {v.claim.id for v in screen.editor.claim_list.query(ClaimView)}
        assert shown == {c.id for c in every[0].claims()}
