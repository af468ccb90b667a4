"""Library: navigate, filter, open, add files, run and cancel analysis."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.widgets import DataTable

from assistant.workspace import Workspace
from tests.support.paths import SAMPLE_TRANSCRIPTS
from tests.support.tui import SIZE, AppFactory, settle
from tui.screens.interview import InterviewScreen
from tui.screens.library import FILTER_DEBOUNCE_S, LibraryScreen
from tui.widgets.dialogs import ConfirmDialog

pytestmark = pytest.mark.anyio


async def test_navigate_filter_and_open(extracted_ws: Workspace, app_for: AppFactory) -> None:
    app = app_for(extracted_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert len(screen.shown) == 12
        assert all(r.status == "extracted" for r in screen.rows)
        assert sum(r.unverified for r in screen.rows) == 4  # the four authored bad quotes
        await pilot.press("slash", *"keystone")
        await pilot.pause(FILTER_DEBOUNCE_S + 0.2)  # the filter runs once typing pauses
        assert [r.id for r in screen.shown] == ["keystone-ap-clerk", "keystone-cfo"]
        await pilot.press("escape")  # clears the filter, focus back on the table
        await pilot.pause(FILTER_DEBOUNCE_S + 0.2)
        assert len(screen.shown) == 12
        assert isinstance(app.focused, DataTable)
        await pilot.press("down", "down")
        expected = screen.selected_id()
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview_id == expected
        await pilot.press("escape")
        assert app.screen is screen


async def test_add_files_ingests(workspace: Workspace, app_for: AppFactory) -> None:
    app = app_for(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and not screen.rows
        await pilot.press("o")
        box = screen.query_one("#add-path")
        box.value = str(SAMPLE_TRANSCRIPTS)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app)
        assert len(screen.rows) == 12
        assert {r.status for r in screen.rows} == {"ingested"}


async def test_run_analysis(corpus_ws: Workspace, app_for: AppFactory) -> None:
    """x shows the estimate first; nothing is sent until the user says yes."""
    app = app_for(corpus_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("x")
        await settle(app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        shown = "\n".join(dialog.lines)
        assert "extraction     12" in shown and "total" in shown  # app_for: no pipeline
        await pilot.press("n")
        await settle(app)
        assert isinstance(app.screen, LibraryScreen)
        assert corpus_ws.conn.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0] == 0
        await pilot.press("x")
        await settle(app)
        await pilot.press("y")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert {r.status for r in screen.rows} == {"extracted"}
        n = corpus_ws.conn.execute("SELECT COUNT(*) FROM llm_calls WHERE fixture = 1").fetchone()
        assert n[0] == 12


async def test_cancel_analysis(
    corpus_ws: Workspace, app_for: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job stops between interviews; finished ones are kept."""
    import assistant.extract as extract

    started, release = threading.Event(), threading.Event()
    real = extract.extract_interviews

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(extract, "extract_interviews", slow)
    app = app_for(corpus_ws)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("x")
        await settle(app)
        await pilot.press("y")
        assert started.wait(10)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.query_one("#jobbar").has_class("-running")
        await pilot.press("c")
        release.set()
        await settle(app)
        for _ in range(100):  # a cancelled thread worker ends after the item in progress
            if not screen.query_one("#jobbar").has_class("-running"):
                break
            await pilot.pause(0.1)
        notes = [n.message for n in app._notifications]
        assert not screen.query_one("#jobbar").has_class("-running")
        extracted = [r for r in screen.rows if r.status == "extracted"]
    assert len(extracted) == 1
    assert any("cancelled after" in n for n in notes)


def test_ingest_shows_format_and_what_needs_attention(workspace: Workspace) -> None:
    from assistant.ingest.registry import NOTES_WARNING
    from assistant.library.overview import load_rows
    from tests.support.paths import FIXTURES
    from tests.support.store import HashEmbedder
    from tui.workers import ingest_job, ingest_summary

    formats = FIXTURES / "formats"
    files = [formats / "notes.md", formats / "srt__whisper.srt", formats / "vtt.vtt"]
    out = ingest_job(workspace, files, lambda *_a: None, lambda: False, HashEmbedder())
    summary = ingest_summary(out)
    assert summary.startswith("3 files ingested or current (3 new, 0 updated, 0 duplicate")
    assert f"notes.md: ingested as notes — notes, not verbatim  warning: {NOTES_WARNING}" in summary
    assert "srt__whisper.srt: ingested as srt — verbatim, not diarized" in summary
    assert "vtt.vtt" not in summary  # diarized verbatim, no warnings: nothing to look at
    rows = {r.id: r.format for r in load_rows(workspace.conn)}
    assert rows == {"notes": "notes", "srt-whisper": "srt · not diarized", "vtt": "vtt"}
