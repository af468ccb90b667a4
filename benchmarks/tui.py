"""Terminal app start-up and filter responsiveness on the 1,250 shared interviews.

Builds (once, cached in ``--workspace``) a workspace holding the 1,250 shared
transcripts, ingested through the real ``ingest_paths`` with a **hash embedder**
(benchmark only: 64-dim hashed words, no model load) so that building it takes
minutes, not an hour. The app never embeds while painting the Library, so the
embedder does not affect what is measured.

Each start-up run is a fresh Python process (cold imports) that builds the app
with :func:`tui.app.make_app` and runs it headless (``App.run_test``):

- *first paint*: process start → Textual's ``Ready`` event (the DOM is mounted
  and the first frame displayed; the rows load in a thread worker after it);
- *rows shown*: process start → all 1,250 rows are in the table;
- heavy modules (torch, chromadb, langchain) loaded at that point, if any.

Filter typing: in one app, the query is typed one key at a time; each
keystroke is timed until the app has handled it (``pilot.press``: the key is
echoed in the filter box), then *settle* is the time from the last key until
the table shows the filtered rows (the filter runs 120 ms after typing pauses,
and rebuilds the table only when the matching rows change).

    .venv/bin/python benchmarks/tui.py [--workspace DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"
HEAVY = ("torch", "chromadb", "langchain_core", "sentence_transformers")
QUERY = "dialog 012"

CHILD = r"""
import time, sys
T0 = time.perf_counter()
import asyncio, json
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from assistant.workspace import Workspace
from tui.app import make_app
from tui.screens.library import LibraryScreen

async def main():
    out = {"imports_s": time.perf_counter() - T0}
    from textual import events

    app = make_app(Workspace(Path(sys.argv[1])), cursor_blink=False)

    def hook(message):
        # Textual sends Ready once the DOM is mounted and the first frame displayed.
        if isinstance(message, events.Ready) and "first_paint_s" not in out:
            out["first_paint_s"] = time.perf_counter() - T0

    async with app.run_test(size=(160, 50), message_hook=hook) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        while len(screen.rows) < 1250:
            await asyncio.sleep(0.002)
        await pilot.pause()
        out["rows_shown_s"] = time.perf_counter() - T0
        out["heavy"] = [m for m in HEAVY_MODULES if m in sys.modules]
        if sys.argv[3] == "type":
            await pilot.press("slash")
            times = []
            for key in QUERY_TEXT:
                t = time.perf_counter()
                await pilot.press("space" if key == " " else key)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            while screen._filter_timer is not None:
                await asyncio.sleep(0.002)
            await pilot.pause()
            out["settle_s"] = time.perf_counter() - t
            out["keystroke_s"] = times
            out["matches"] = len(screen.shown)
    print(json.dumps(out))

asyncio.run(main())
""".replace("HEAVY_MODULES", repr(HEAVY)).replace("QUERY_TEXT", repr(QUERY))


def build_workspace(root: Path) -> None:
    """Ingest the shared corpus with the hash embedder (benchmark only)."""
    sys.path.insert(0, str(REPO))
    from assistant.library import ingest_paths
    from assistant.workspace import init_workspace
    from tests.support.store import HashEmbedder

    ws = init_workspace(root)
    t = time.perf_counter()
    results = ingest_paths(ws, [SHARED], embedder=HashEmbedder(name="bench:hash"))
    ws.close()
    ok = sum(r.status != "failed" for r in results)
    print(f"built {root}: {ok}/{len(results)} interviews in {time.perf_counter() - t:.0f} s")


def child(root: Path, mode: str) -> dict[str, object]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(REPO), mode],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=300,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--workspace", type=Path, default=Path(tempfile.gettempdir()) / "persona-bench-tui"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = args.workspace.resolve()
    if not (root / ".persona").is_dir():
        build_workspace(root)
    child(root, "warm")  # warm the OS file cache and .pyc files
    runs = [child(root, "paint") for _ in range(args.runs)]
    typed = child(root, "type")
    paint = [float(r["first_paint_s"]) for r in runs]  # type: ignore[arg-type]
    rows = [float(r["rows_shown_s"]) for r in runs]  # type: ignore[arg-type]
    keys = [float(k) for k in typed["keystroke_s"]]  # type: ignore[attr-defined]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"first paint (s): min {min(paint):.3f}  median {statistics.median(paint):.3f}  runs {[round(p, 3) for p in paint]}"
    )
    print(
        f"rows shown (s):  min {min(rows):.3f}  median {statistics.median(rows):.3f}  runs {[round(p, 3) for p in rows]}"
    )
    imp = [float(r["imports_s"]) for r in runs]  # type: ignore[arg-type]
    print(f"imports (s): median {statistics.median(imp):.3f}")
    print(f"heavy modules loaded at paint: {runs[0]['heavy'] or 'none'}")
    print(
        f"filter '{QUERY}' ({len(keys)} keys, {typed['matches']} matches): per keystroke median {statistics.median(keys) * 1000:.0f} ms, max {max(keys) * 1000:.0f} ms; settle after the last key {float(typed['settle_s']) * 1000:.0f} ms"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
