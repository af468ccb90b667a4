"""Extraction fixtures. The corpus workspaces (``corpus_ws``, ``extracted_ws`` and
their session templates) come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.workspace import Workspace


@pytest.fixture
def llm_calls() -> Callable[[Workspace], int]:
    """Rows in the run log's llm_calls table."""

    def count(ws: Workspace) -> int:
        return int(ws.conn.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0])

    return count
