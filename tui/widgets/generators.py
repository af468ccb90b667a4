"""The core generator behind each review kind's "regenerate" action.

A generator runs as ``run(ws, settings)`` with the app's settings (demo mode
replays recorded fixtures) or, given None, the workspace's; it stores its
drafts through ``review.upsert_generated``.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.settings import Settings, load_settings
from assistant.workspace import Workspace

Generator = Callable[[Workspace, Settings | None], object]
"""``run(ws, settings=None)``: regenerate every item of one kind."""


def find_generator(kind: str) -> Generator:
    """The callable regenerating every item of ``kind`` (theme, persona, icp, messaging)."""
    from assistant import generate

    generators: dict[str, Callable[[Workspace, Settings], object]] = {
        "theme": generate.generate_themes,
        "persona": generate.generate_personas,
        "icp": generate.generate_icp,
        "messaging": generate.generate_messaging,
    }
    fn = generators[kind]

    def run(ws: Workspace, settings: Settings | None = None) -> object:
        return fn(ws, load_settings(ws.config_data()) if settings is None else settings)

    return run
