"""What `persona demo` calls: extract and summarise the sample interviews offline.

The bundled cassettes (``fixtures/cassettes``) hold authored responses for the
12 sample interviews and their batch summary, recorded with the model name
``authored-fixture``; replay mode never touches the network.
"""

from __future__ import annotations

from typing import Any

from assistant.extract.pipeline import ProgressFn, extract_interviews
from assistant.extract.summarize import select_interviews, summarize
from assistant.resources import bundled_path
from assistant.settings import Settings
from assistant.workspace import Workspace


def demo_settings(settings: Settings) -> Settings:
    """A copy of ``settings`` in replay mode over the bundled cassettes."""
    out = settings.model_copy(deep=True)
    out.llm.mode = "replay"
    out.llm.cassette_dir = bundled_path("fixtures/cassettes")
    out.llm.budget_usd = None
    return out


def run_demo_extraction(
    ws: Workspace, settings: Settings, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """Extract every interview of ``ws`` and summarise them all, replaying bundled fixtures.

    ``ws`` must hold the bundled sample interviews (and nothing else). Returns
    ``{"outcomes": [ExtractionOutcome.to_json()...], "summary": SummaryResult.to_json(),
    "markdown": str}``; the summary is None when an extraction failed.
    """
    replay = demo_settings(settings)
    outcomes = extract_interviews(ws, replay, progress=progress)
    result: dict[str, Any] = {
        "outcomes": [o.to_json() for o in outcomes],
        "summary": None,
        "markdown": None,
    }
    if not any(o.failed for o in outcomes):
        summary = summarize(ws, replay, select_interviews(ws))
        result["summary"] = summary.to_json()
        result["markdown"] = summary.markdown
    return result
