"""Terminal-app fixtures: the sample corpus ingested (hash embedder) and extracted by replay
once per session, copied per test; the app built by the factory with test settings."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.extract import extract_interviews
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, find_workspace, init_workspace
from tests.extract.helpers import CASSETTES, ingest_samples
from tests.store.conftest import HashEmbedder
from tui.app import PersonaApp, make_app

SIZE = (120, 40)


def replay_settings() -> Settings:
    """Replay over the bundled cassettes: no network."""
    return load_settings({"llm": {"mode": "replay", "cassette_dir": str(CASSETTES)}})


@pytest.fixture(scope="session")
def tui_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed workspace with the 12 sample interviews ingested (nothing extracted)."""
    root = tmp_path_factory.mktemp("tui-corpus") / "ws"
    ws = init_workspace(root)
    ingest_samples(ws)
    ws.close()
    return root


@pytest.fixture(scope="session")
def tui_extracted(tmp_path_factory: pytest.TempPathFactory, tui_corpus: Path) -> Path:
    """The corpus after one extraction through replay."""
    root = tmp_path_factory.mktemp("tui-extracted") / "ws"
    shutil.copytree(tui_corpus, root)
    ws = find_workspace(root)
    assert all(o.status == "extracted" for o in extract_interviews(ws, replay_settings()))
    ws.close()
    return root


def _copy(template: Path, dest: Path) -> Iterator[Workspace]:
    shutil.copytree(template, dest)
    ws = find_workspace(dest)
    yield ws
    ws.close()


@pytest.fixture
def corpus_ws(tui_corpus: Path, tmp_path: Path) -> Iterator[Workspace]:
    yield from _copy(tui_corpus, tmp_path / "ws")


@pytest.fixture
def extracted_ws(tui_extracted: Path, tmp_path: Path) -> Iterator[Workspace]:
    yield from _copy(tui_extracted, tmp_path / "ws")


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
