"""Review-screen fixtures: the sample corpus extracted by replay, plus review items.

The workspace is built once per session (ingest, replayed extraction, then
``upsert_generated`` for two themes, a persona, an ICP and two messaging
items, with evidence taken from verified extraction quotes) and copied per
test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.workspace import Workspace, find_workspace
from tests.support.tui_review import seed_review_items


@pytest.fixture(scope="session")
def review_template(tmp_path_factory: pytest.TempPathFactory, extracted_template: Path) -> Path:
    """A closed workspace: the samples ingested and extracted, review items seeded."""
    root = tmp_path_factory.mktemp("tui-review") / "ws"
    shutil.copytree(extracted_template, root)
    ws = find_workspace(root)
    seed_review_items(ws)
    ws.close()
    return root


@pytest.fixture
def review_ws(review_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the seeded workspace."""
    shutil.copytree(review_template, tmp_path / "ws")
    ws = find_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (through anyio's pytest plugin)."""
    return "asyncio"
