"""Generation fixtures: the extracted sample corpus, generated once per session (replay)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.generate import AnalyzeReport, analyze
from assistant.workspace import Workspace, find_workspace
from tests.corpus import replay_settings


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
    extracted_template: Path,
) -> tuple[Path, AnalyzeReport]:
    """A closed workspace after one `analyze` through replay, and its report."""
    root = tmp_path_factory.mktemp("generated") / "ws"
    shutil.copytree(extracted_template, root)
    ws = find_workspace(root)
    report = analyze(ws, replay_settings())
    ws.close()
    return root, report


@pytest.fixture
def generated_ws(generated: tuple[Path, AnalyzeReport], tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the generated workspace."""
    shutil.copytree(generated[0], tmp_path / "ws")
    ws = find_workspace(tmp_path / "ws")
    yield ws
    ws.close()
