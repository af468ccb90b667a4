"""Terminal-app fixtures: the app built by the factory with test settings.

The corpus workspaces (``corpus_ws``, ``extracted_ws``) come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.workspace import Workspace
from tests.corpus import replay_settings
from tests.store.conftest import HashEmbedder
from tui.app import PersonaApp, make_app

SIZE = (120, 40)


AppFactory = Callable[..., PersonaApp]


@pytest.fixture
def app_for() -> AppFactory:
    """Build the app with replay settings, the hash embedder and no cursor blink."""

    def build(ws: Workspace, **kw: object) -> PersonaApp:
        kw.setdefault("settings", replay_settings())
        kw.setdefault("embedder", HashEmbedder())
        kw.setdefault("cursor_blink", False)
        kw.setdefault("pipeline", False)
        return make_app(ws, **kw)  # type: ignore[arg-type]

    return build


async def settle(app: PersonaApp) -> None:
    """Wait until every worker is done and the messages they posted are handled."""
    from textual.pilot import Pilot

    pilot = Pilot(app)
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (through anyio's pytest plugin)."""
    return "asyncio"
