"""Find the draft generators of the core, if they are installed.

The generators (``assistant.generate.themes``, ``.personas``, ``.icp``,
``.messaging``) are imported only when a regenerate action runs, and a
missing one is reported, not raised.
A generator is called as ``fn(ws, settings)`` (or ``fn(ws)`` when it takes
one parameter) with the app's settings when it has them (demo mode replays
recorded fixtures), else the workspace's; it stores its drafts through
``review.upsert_generated``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from assistant.workspace import Workspace

GENERATORS: dict[str, tuple[str, str]] = {
    "theme": ("assistant.generate.themes", "generate_themes"),
    "persona": ("assistant.generate.personas", "generate_personas"),
    "icp": ("assistant.generate.icp", "generate_icp"),
    "messaging": ("assistant.generate.messaging", "generate_messaging"),
}

Generator = Callable[..., Any]
"""``run(ws, settings=None)``: regenerate every item of one kind."""


def find_generator(kind: str) -> Generator | None:
    """A callable regenerating every item of ``kind``, or None when not available."""
    module_name, name = GENERATORS.get(kind, ("", ""))
    if not module_name:
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    fn = getattr(module, name, None)
    if not callable(fn):
        return None

    def run(ws: Workspace, settings: Any = None) -> Any:
        try:
            params = sum(
                p.default is inspect.Parameter.empty and p.kind is not p.KEYWORD_ONLY
                for p in inspect.signature(fn).parameters.values()
            )
        except (TypeError, ValueError):
            params = 2
        if params <= 1:
            return fn(ws)
        if settings is None:
            from assistant.settings import load_settings

            settings = load_settings(ws.config_data())
        return fn(ws, settings)

    return run
