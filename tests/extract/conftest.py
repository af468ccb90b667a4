"""Extraction fixtures: the sample corpus ingested once per session, copied per test.

Workspaces are copied as folders (SQLite closed first, so WAL is checkpointed),
which is much faster than ingesting again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.extract import extract_interviews
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, find_workspace, init_workspace
from tests.extract.helpers import CASSETTES, ingest_samples


def replay_settings(**llm: object) -> Settings:
    """Replay mode over the bundled cassettes (no network)."""
    return load_settings({"llm": {"mode": "replay", "cassette_dir": str(CASSETTES), **llm}})


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed workspace folder holding the 12 ingested sample interviews."""
    root = tmp_path_factory.mktemp("corpus") / "ws"
    ws = init_workspace(root)
    ingest_samples(ws)
    ws.close()
    return root


@pytest.fixture(scope="session")
def extracted_template(tmp_path_factory: pytest.TempPathFactory, corpus_template: Path) -> Path:
    """The corpus workspace after one extraction through replay."""
    root = tmp_path_factory.mktemp("extracted") / "ws"
    shutil.copytree(corpus_template, root)
    ws = find_workspace(root)
    outcomes = extract_interviews(ws, replay_settings())
    assert all(o.status == "extracted" for o in outcomes)
    ws.close()
    return root


def _copy(template: Path, dest: Path) -> Iterator[Workspace]:
    shutil.copytree(template, dest)
    ws = find_workspace(dest)
    yield ws
    ws.close()


@pytest.fixture
def corpus_ws(corpus_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the ingested corpus (nothing extracted yet)."""
    yield from _copy(corpus_template, tmp_path / "ws")


@pytest.fixture
def extracted_ws(extracted_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the corpus with every interview extracted (replay)."""
    yield from _copy(extracted_template, tmp_path / "ws")


@pytest.fixture
def llm_calls() -> Callable[[Workspace], int]:
    """Rows in the run log's llm_calls table."""

    def count(ws: Workspace) -> int:
        return int(ws.conn.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0])

    return count
