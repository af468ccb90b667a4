"""The demo: bundled sample interviews → workspace → search → extraction → drafts → exports.

Used by `persona demo` and the terminal app's demo mode. Fully offline: the
local embedding model ships in a package, and model responses are replayed
from the bundled cassettes (``fixtures/cassettes``): authored responses for
the 12 sample interviews, their batch summary and the generation steps,
recorded with the model name ``authored-fixture``. Replay mode never touches
the network.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.progress import ProgressFn
from assistant.resources import bundled_path, sample_transcripts_dir
from assistant.settings import Settings, StudySettings
from assistant.workspace import Workspace

DEMO_QUERIES = (
    "month-end close took too long",
    "why did you choose Tallyflow over the alternatives",
    "NetSuite sync and approvals",
)

REVIEW_KINDS = ("theme", "persona", "icp", "messaging")

NEEDS_LIVE_MODEL = (
    "this needs a live model: the demo replays recorded answers; to analyse your own "
    "interviews run `persona init` and set a key — see docs/llm.md"
)
"""What the demo says instead of a replay error (no install path, no ``--record``)."""

SAMPLE_STUDY: dict[str, str] = {
    "product": "Tallyflow",
    "description": "Accounts-payable automation: invoice capture, approval routing, 3-way PO "
    "matching, ERP sync (NetSuite, Sage Intacct, QuickBooks Online) and vendor payments.",
    "audience": "b2b",
    "decision": "Which customer segment and buying roles to focus sales and marketing on next.",
}
"""The ``[study]`` of the bundled sample interviews (fixtures/README.md): the demo
workspace's persona.toml holds it, and the bundled cassettes were recorded with it."""

Say = Callable[[str], None]


def demo_settings(settings: Settings) -> Settings:
    """A copy of ``settings`` in replay mode over the bundled cassettes, with the
    samples' study (:data:`SAMPLE_STUDY`) the cassettes were recorded with."""
    out = settings.model_copy(deep=True)
    out.study = StudySettings.model_validate(SAMPLE_STUDY)
    out.llm.mode = "replay"
    out.llm.cassette_dir = bundled_path("fixtures/cassettes")
    out.llm.budget_usd = None
    return out


ALTERNATIVES = {"persona": "fixtures/cassettes/alternative"}
"""Review kinds with a recorded alternative answer for regeneration (authored, labelled:
fixtures/authored/alternative/README.md), and the cassette folder holding it."""


def regeneration_settings(settings: Settings, kind: str) -> Settings:
    """The demo's settings to regenerate ``kind``: its recorded alternative answer when it
    has one (so the regeneration diff can be seen), else the usual replay."""
    if kind not in ALTERNATIVES:
        return settings
    out = settings.model_copy(deep=True)
    out.llm.cassette_dir = bundled_path(ALTERNATIVES[kind])
    return out


def demo_message(message: str) -> str:
    """``message`` as the demo shows it: a request with no recorded answer needs a live model.

    Replay errors name the cassette folder and the ``--record`` command, which
    mean nothing to someone trying the demo; everything from the first such
    error on is replaced by :data:`NEEDS_LIVE_MODEL`. Other messages are unchanged.
    """
    from assistant.llm.cassettes import NO_RECORDING

    at = message.find(NO_RECORDING)
    if at < 0:
        return message
    return message[:at] + NEEDS_LIVE_MODEL + "."


DEMO_MARK = ".persona/demo"
"""The file marking a workspace made by the demo (:func:`prepare_demo_workspace`)."""


def is_demo_workspace(root: Path) -> bool:
    """Whether the workspace at ``root`` is the demo's (its CLI commands replay the recordings)."""
    return (root / DEMO_MARK).is_file()


def demo_text(root: Path, message: str) -> str:
    """``message`` as a command in the workspace at ``root`` shows it: the demo's plain
    words for a missing recording in the demo workspace (:func:`demo_message`), else as is."""
    return demo_message(message) if is_demo_workspace(root) else message


def run_demo_extraction(
    ws: Workspace, settings: Settings, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """Extract every interview of ``ws`` and summarise them all, replaying bundled fixtures.

    ``ws`` must hold the bundled sample interviews (and nothing else). Returns
    ``{"outcomes": [ExtractionOutcome.to_json()...], "summary": SummaryResult.to_json(),
    "markdown": str}``; the summary is None when an extraction failed.
    """
    from assistant.extract import extract_interviews, select_interviews, summarize

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


def run_demo_generation(
    ws: Workspace, settings: Settings, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """Run the generation steps over the bundled sample corpus, replaying bundled cassettes.

    ``ws`` must hold the bundled sample interviews (extracted or not: extraction
    replays too). Returns :meth:`AnalyzeReport.to_json` (steps, calls, changes).
    """
    from assistant.generate import analyze

    return analyze(ws, demo_settings(settings), progress=progress).to_json()


def prepare_demo_workspace(directory: Path | None) -> Path:
    """Create the demo workspace (a temp folder unless given) with the samples copied in."""
    from assistant.workspace import init_workspace

    root = Path(tempfile.mkdtemp(prefix="persona-demo-")) if directory is None else directory
    if directory is not None and (root / ".persona").exists():
        raise_usage(f"{root} already holds a workspace: pass a new folder to --dir")
    ws = init_workspace(root, {"study": SAMPLE_STUDY})
    ws.close()
    (root / DEMO_MARK).write_text("made by `persona demo`: LLM commands replay\n", encoding="utf-8")
    target = root / "interviews"
    shutil.copytree(sample_transcripts_dir(), target, dirs_exist_ok=True)
    return root


def raise_usage(message: str) -> None:
    """Raise a usage error (exit code 2)."""
    from assistant.errors import UsageError

    raise UsageError(message)


def run_demo(directory: Path | None = None, *, say: Say = lambda _m: None) -> dict[str, Any]:
    """Run the whole demo and return a JSON-ready report."""
    from assistant.export import export_workspace
    from assistant.generate import icp_report
    from assistant.library import ingest_paths
    from assistant.review import list_items
    from assistant.search import Searcher
    from assistant.settings import load_settings

    root = prepare_demo_workspace(directory)
    ws = Workspace(root)
    say(f"demo workspace: {root}")
    say("ingesting the 12 sample interviews (loading the local embedding model)...")
    results = ingest_paths(ws, [root / "interviews"])
    chunks = ws.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    failed = [r for r in results if r.status == "failed"]

    say("searching...")
    searcher = Searcher.open(ws)
    searches = []
    for query in DEMO_QUERIES:
        hits = searcher.search(query, k=3, role="participant")
        searches.append(
            {
                "query": query,
                "hits": [
                    {
                        "interview_id": h.interview_id,
                        "speaker": h.speaker,
                        "turn": h.turn,
                        "text": h.text,
                        "score": h.score,
                    }
                    for h in hits
                ],
            }
        )

    say("extracting insights by replaying recorded model responses (no network)...")
    settings = load_settings(ws.config_data())
    extraction = run_demo_extraction(ws, settings)
    outcomes = extraction["outcomes"]

    say("drafting themes, personas, ICP and messaging (replayed responses)...")
    analysis = run_demo_generation(ws, settings)
    drafts = {kind: [item.title for item in list_items(ws, kind)] for kind in REVIEW_KINDS}
    icp = icp_report(ws)
    say("writing exports...")
    exported = export_workspace(ws, ["all"])
    ws.close()
    return {
        "workspace": str(root),
        "ingest": {
            "ingested": sum(r.status == "ingested" for r in results),
            "failed": len(failed),
            "errors": [r.to_json() for r in failed],
            "chunks": chunks,
        },
        "searches": searches,
        "extraction": {
            "model": "authored-fixture",
            "interviews": len(outcomes),
            "insights": sum(o["insights"] for o in outcomes),
            "verified": sum(o["verified"] for o in outcomes),
            "unverified": sum(o["unverified"] for o in outcomes),
            "note": sum(o["note"] for o in outcomes),
            "outcomes": outcomes,
        },
        "markdown": extraction["markdown"],
        "analysis": analysis,
        "drafts": drafts,
        "icp_fit": None if icp is None else icp.fit_text,
        "exports": {
            "dir": str(root / "exports"),
            "files": [str(p.relative_to(root / "exports")) for p in exported],
        },
        "failed": bool(failed)
        or any(o["status"] in ("failed", "skipped") for o in outcomes)
        or any(step["status"] == "failed" for step in analysis["steps"]),
    }
