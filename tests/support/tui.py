"""Helpers of the tests/tui/ tests (fixtures in tests/tui/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

from tui.app import PersonaApp

SIZE = (120, 40)


AppFactory = Callable[..., PersonaApp]


async def settle(app: PersonaApp) -> None:
    """Wait until every worker is done and the messages they posted are handled."""
    from textual.pilot import Pilot

    pilot = Pilot(app)
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()
