"""The core generator behind each review kind's "regenerate" action.

A generator runs as ``run(ws, settings)`` with the app's settings (demo mode
replays recorded fixtures) or, given None, the workspace's; it stores its
drafts through ``review.upsert_generated``. Regenerating asks the model again
(``reuse=False``): an answer kept from an earlier run is not given back.
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

    generators: dict[str, Callable[..., object]] = {
        "theme": generate.generate_themes,
        "persona": generate.generate_personas,
        "icp": generate.generate_icp,
        "messaging": generate.generate_messaging,
    }
    fn = generators[kind]

    def run(ws: Workspace, settings: Settings | None = None) -> object:
        chosen = load_settings(ws.config_data()) if settings is None else settings
        return fn(ws, chosen, reuse=False)

    return run


def regeneration_estimate(
    ws: Workspace, settings: Settings | None, kind: str, embedder: object = None
) -> list[str]:
    """The estimate lines of regenerating ``kind`` (no LLM call), with the same
    settings the generator would use; a configuration error raises."""
    from assistant.embeddings import Embedder
    from assistant.generate import estimate_regeneration
    from assistant.llm.budget import estimate_lines

    chosen = load_settings(ws.config_data()) if settings is None else settings
    model = embedder if isinstance(embedder, Embedder) else None
    return estimate_lines(estimate_regeneration(ws, chosen, kind, model))
