"""What `persona demo` calls after extraction: themes → personas → ICP → messaging, offline."""

from __future__ import annotations

from typing import Any

from assistant.extract.demo import demo_settings
from assistant.generate.analyze import analyze
from assistant.generate.common import ProgressFn
from assistant.settings import Settings
from assistant.workspace import Workspace


def run_demo_generation(
    ws: Workspace, settings: Settings, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """Run the generation steps over the bundled sample corpus, replaying bundled cassettes.

    ``ws`` must hold the bundled sample interviews (extracted or not: extraction
    replays too). Returns :meth:`AnalyzeReport.to_json` (steps, calls, changes).
    """
    return analyze(ws, demo_settings(settings), progress=progress).to_json()
