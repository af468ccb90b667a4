"""Terminal-app fixtures: the app built by the factory with test settings.

The corpus workspaces (``corpus_ws``, ``extracted_ws``) come from tests/conftest.py."""

from __future__ import annotations

import pytest

from assistant.workspace import Workspace
from tests.support.corpus import replay_settings
from tests.support.store import HashEmbedder
from tests.support.tui import AppFactory
from tui.app import PersonaApp, make_app


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


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (through anyio's pytest plugin)."""
    return "asyncio"
