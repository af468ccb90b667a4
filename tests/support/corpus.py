"""The sample corpus as test workspaces: replay settings and cheap copies.

The session fixtures in tests/conftest.py ingest the 12 sample interviews once
(with the fast hash embedder) and extract them once through replay; each test
gets a private copy of the closed workspace folder, which is much faster than
ingesting again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.demo import SAMPLE_STUDY
from assistant.llm.fake_server import Responder
from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, find_workspace
from tests.support.paths import FIXTURES

CASSETTES = FIXTURES / "cassettes"


def replay_settings(**llm: object) -> Settings:
    """Replay mode over the bundled cassettes (no network), with the samples' [study]."""
    return load_settings(
        {"llm": {"mode": "replay", "cassette_dir": str(CASSETTES), **llm}, "study": SAMPLE_STUDY}
    )


def copy_workspace(template: Path, dest: Path) -> Iterator[Workspace]:
    """Copy a closed workspace folder to ``dest`` and yield it open (closed afterwards)."""
    shutil.copytree(template, dest)
    ws = find_workspace(dest)
    yield ws
    ws.close()


@contextmanager
def authored_recording(
    responder: Responder, tasks: Sequence[str], dest: Path = CASSETTES
) -> Iterator[RecordingRun]:
    """Record cassettes of ``tasks`` with hand-written answers (model "authored-fixture").

    Starts the fake server answering with ``responder``, yields record-mode
    settings and a fresh workspace holding the ingested sample interviews, and
    on success copies each task's cassette into ``dest`` (fixtures/cassettes/).
    """
    from assistant.llm.fake_server import FakeLlmServer
    from assistant.workspace import init_workspace
    from tests.extract.helpers import ingest_samples

    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLlmServer(model="authored-fixture", responder=responder) as server,
    ):
        os.environ["OPENAI_API_KEY"] = "authoring-placeholder"
        recorded = Path(tmp) / "cassettes"
        settings = load_settings(
            {
                "llm": {
                    "base_url": server.base_url,
                    "server": "openai",
                    "mode": "record",
                    "cassette_dir": str(recorded),
                },
                "study": SAMPLE_STUDY,
            }
        )
        ws = init_workspace(Path(tmp) / "ws", {"study": SAMPLE_STUDY})
        try:
            ingest_samples(ws)
            yield RecordingRun(ws, settings)
        finally:
            ws.close()
        for task in tasks:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(recorded / f"{task}.json", dest / f"{task}.json")


@dataclass
class RecordingRun:
    """What :func:`authored_recording` yields: the workspace and record-mode settings."""

    ws: Workspace
    settings: Settings
