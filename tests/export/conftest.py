"""Export fixtures: the sample corpus ingested and extracted by replay once per session,
plus review items created directly (the generators are tested elsewhere)."""

from __future__ import annotations

import pytest

from assistant.workspace import Workspace
from tests.support.export import add_items


@pytest.fixture
def items_ws(extracted_ws: Workspace) -> Workspace:
    """The extracted corpus with personas, an ICP, messaging and a theme."""
    add_items(extracted_ws)
    return extracted_ws
