"""Speaker check: the Library's banner, and fixing roles with keys in one screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Label

from assistant.library import ingest_paths
from assistant.library.speaker_listing import speakers_report
from assistant.workspace import Workspace
from tests.support.store import HashEmbedder
from tests.support.tui import SIZE, AppFactory, settle
from tui.screens.library import LibraryScreen
from tui.screens.speakers import SpeakerCheckScreen

pytestmark = pytest.mark.anyio

GROUP = Path(__file__).resolve().parents[2] / "fixtures" / "group-interviews"
UNDIARIZED = """\
Unknown Speaker  0:00
Thanks for joining. How do you track pallet shortages today?

Unknown Speaker  0:05
We write every short pallet on the bill of lading and type it up at the end of the shift.
"""


async def test_banner_and_keys_fix_roles(
    workspace: Workspace, app_for: AppFactory, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "dock-a.txt").write_text(UNDIARIZED, encoding="utf-8")
    (src / "dock-b.txt").write_text(UNDIARIZED.replace("pallet", "crate"), encoding="utf-8")
    (src / "group.txt").write_text(
        (GROUP / "otter-two-interviewers.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    embedder = HashEmbedder()
    assert all(r.status == "ingested" for r in ingest_paths(workspace, [src], embedder=embedder))
    app = app_for(workspace, embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        banner = library.query_one("#speaker-check", Label)
        assert not banner.has_class("-hidden")
        assert "2 interviews need a speaker check" in str(banner.render())
        await pilot.press("k")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, SpeakerCheckScreen)
        assert [i.interview_id for i in screen.items] == ["dock-a", "dock-b"]
        assert screen.report.interview_id == "dock-a"
        screen.query_one("#check-table", DataTable).focus()
        await pilot.press("2")  # the only speaker of dock-a answers
        await settle(app)
        assert speakers_report(workspace, "dock-a").speakers[0].role == "participant"
        assert [i.interview_id for i in screen.items] == ["dock-b"]
        assert "quotes changed status" in str(screen.query_one("#check-result", Label).render())
        await pilot.press("escape")
        await settle(app)
        assert app.screen is library
        assert "1 interview needs a speaker check" in str(banner.render())
        # The same label everywhere: dock-a's speaker takes dock-b's role too.
        await pilot.press("k")
        await settle(app)
        again = app.screen
        assert isinstance(again, SpeakerCheckScreen)
        again.query_one("#check-table", DataTable).focus()
        await pilot.press("3", "e")
        await settle(app)
        roles = {
            iid: speakers_report(workspace, iid).speakers[0].role for iid in ("dock-a", "dock-b")
        }
        assert roles == {"dock-a": "observer", "dock-b": "observer"}
        assert not again.items


async def test_name_a_speaker_from_the_metadata(
    workspace: Workspace, app_for: AppFactory, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "clinic.txt").write_text(
        (GROUP / "otter-three-interviewers.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (src / "clinic.meta.yaml").write_text(
        "participants:\n  - name: Marcus Lee\n    title: Office Manager\n", encoding="utf-8"
    )
    embedder = HashEmbedder()
    assert all(r.status == "ingested" for r in ingest_paths(workspace, [src], embedder=embedder))
    app = app_for(workspace, embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        app.push_screen(SpeakerCheckScreen(workspace, "clinic"))
        await settle(app)
        screen = app.screen
        assert isinstance(screen, SpeakerCheckScreen)
        assert screen.items == []  # nothing unsure; the interview was asked for by id
        table = screen.query_one("#check-table", DataTable)
        table.focus()
        labels = [s.label for s in screen.report.speakers]
        table.move_cursor(row=labels.index("Speaker 4"))
        await pilot.press("n")
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        four = next(
            s for s in speakers_report(workspace, "clinic").speakers if s.label == "Speaker 4"
        )
        assert four.shown_as == "Marcus Lee (Office Manager)"
        assert "Speaker 4 = Marcus Lee (Office Manager)" in str(
            table.get_row_at(labels.index("Speaker 4"))[0]
        )
