"""Shared fixtures: no network, no real home folder, offline models.

Sockets are limited to loopback by pytest-socket (see ``addopts`` in
pyproject.toml), so a test that tries to reach a real LLM or a model hub
fails loudly; Python subprocesses (the CLI) get the same block through
tests/support/netblock/. Every test gets temporary HOME and XDG folders and
none of the settings' environment variables (tests/support/env.py). Helpers
live in tests/support/; conftest files hold fixtures only.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.demo import SAMPLE_STUDY
from assistant.generate import AnalyzeReport
from assistant.workspace import Workspace, find_workspace
from tests.support.corpus import copy_workspace, replay_settings
from tests.support.env import isolate
from tests.support.paths import SHARED_DATA


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp cache folder for the ONNX export of the local model, shared by the session."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, model_cache: Path
) -> None:
    """Temp home, offline models, no settings variables, network-blocked subprocesses.

    The ONNX export of the local model goes to one session-wide temp folder
    (``PERSONA_CACHE_DIR``), so it is made once per test run, not per test.
    """
    isolate(monkeypatch, tmp_path_factory.mktemp("home"))
    monkeypatch.setenv("PERSONA_CACHE_DIR", str(model_cache))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[object]:
    """A fresh, initialised workspace in a temp folder."""
    from assistant.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def shared_transcripts() -> Path:
    """The shared real-interview corpus; the test is skipped when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data/anthropic-interviewer is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed workspace folder holding the 12 ingested sample interviews."""
    from assistant.workspace import init_workspace
    from tests.extract.helpers import ingest_samples

    root = tmp_path_factory.mktemp("corpus") / "ws"
    ws = init_workspace(root, {"study": SAMPLE_STUDY})
    ingest_samples(ws)
    ws.close()
    return root


@pytest.fixture(scope="session")
def extracted_template(tmp_path_factory: pytest.TempPathFactory, corpus_template: Path) -> Path:
    """The corpus workspace after one extraction through replay."""
    from assistant.extract import extract_interviews
    from assistant.workspace import find_workspace

    root = tmp_path_factory.mktemp("extracted") / "ws"
    shutil.copytree(corpus_template, root)
    ws = find_workspace(root)
    outcomes = extract_interviews(ws, replay_settings())
    assert all(o.status == "extracted" for o in outcomes)
    ws.close()
    return root


@pytest.fixture
def corpus_ws(corpus_template: Path, tmp_path: Path) -> Iterator[object]:
    """A private copy of the ingested corpus (nothing extracted yet)."""
    yield from copy_workspace(corpus_template, tmp_path / "ws")


@pytest.fixture
def extracted_ws(extracted_template: Path, tmp_path: Path) -> Iterator[object]:
    """A private copy of the corpus with every interview extracted (replay)."""
    yield from copy_workspace(extracted_template, tmp_path / "ws")


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
    extracted_template: Path,
) -> tuple[Path, AnalyzeReport]:
    """A closed workspace after one `analyze` through replay, and its report."""
    root = tmp_path_factory.mktemp("generated") / "ws"
    shutil.copytree(extracted_template, root)
    ws = find_workspace(root)
    from assistant.generate import analyze

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
