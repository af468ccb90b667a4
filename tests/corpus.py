"""The sample corpus as test workspaces: replay settings and cheap copies.

The session fixtures in tests/conftest.py ingest the 12 sample interviews once
(with the fast hash embedder) and extract them once through replay; each test
gets a private copy of the closed workspace folder, which is much faster than
ingesting again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace, find_workspace

CASSETTES = Path(__file__).resolve().parent.parent / "fixtures" / "cassettes"


def replay_settings(**llm: object) -> Settings:
    """Replay mode over the bundled cassettes (no network)."""
    return load_settings({"llm": {"mode": "replay", "cassette_dir": str(CASSETTES), **llm}})


def copy_workspace(template: Path, dest: Path) -> Iterator[Workspace]:
    """Copy a closed workspace folder to ``dest`` and yield it open (closed afterwards)."""
    shutil.copytree(template, dest)
    ws = find_workspace(dest)
    yield ws
    ws.close()
