"""Shared bits of the generation tests and the authored-cassette recorder."""

from __future__ import annotations

import json
import re
from typing import Any

from assistant.llm.fake_server import Responder
from tests.extract.helpers import AUTHORED, CASSETTES, authored_responder, user_text

TASKS = ("name_themes", "draft_personas", "draft_icp", "draft_messaging")
__all__ = ["AUTHORED", "CASSETTES", "TASKS", "generation_responder"]


def _load(task: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((AUTHORED / task / f"{name}.json").read_text("utf-8"))
    return data


def generation_responder() -> Responder:
    """Answer generation requests with the authored objects (extraction as in tests/extract).

    Recognised by their user message: theme ids (``<theme id=...>``), ``Role:``,
    the ``<statistics>`` block, ``Roles to write for:``.
    """
    extraction = authored_responder()
    names = _load("name_themes", "themes")

    def respond(body: dict[str, Any]) -> dict[str, Any] | str:
        text = user_text(body)
        if "<clusters>" in text:
            ids = re.findall(r'<theme id="([^"]+)"', text)
            missing = [i for i in ids if i not in names]
            assert not missing, f"no authored name for {missing}"
            return {"themes": [{"theme_id": i, **names[i]} for i in ids]}
        if "<statistics>" in text:
            return _load("draft_icp", "icp")
        if m := re.search(r"^Roles to write for: (\w+)", text, re.M):
            return _load("draft_messaging", m.group(1))
        if m := re.search(r"^Role: (\w+)", text, re.M):
            return _load("draft_personas", m.group(1))
        return extraction(body)

    return respond
