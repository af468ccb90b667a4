"""LLM concurrency benchmark: 100 structured calls against the fake server.

Runs ``run_batch`` (the real openai SDK + langchain-openai path, run log in
memory) against :mod:`assistant.llm.fake_server` started in its own process
(as a real server would be) with 300 ms latency per response, at
concurrency 1, 4, 8 and 16, and compares the wall time with the ideal
``ceil(N / C) * L``. Target: at most 1.15x the ideal at C = 8.

    .venv/bin/python benchmarks/concurrency.py            # prints, updates RESULTS.md
    .venv/bin/python benchmarks/concurrency.py --calls 20 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.llm.tasks import StructuredJob, run_batch  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from tests.llm.helpers import ECHO_PROMPT, EchoOut  # noqa: E402

SECTION = "## LLM concurrency"
NOTE = (
    "The overhead over the ideal is client CPU per call (about 8 ms: the openai SDK's "
    "request transform, langchain runnables, response parsing, the run log), which "
    "queues on the event loop when C responses arrive together; on this 2-core machine "
    "repeated runs gave 1.14-1.16x at C = 8 and about 1.2x at C = 16."
)


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    """The fake server in a child process; returns it and its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.llm.fake_server", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def measure(base_url: str, calls: int, concurrency: int) -> tuple[float, int]:
    """Wall seconds of one batch, and how many calls succeeded."""
    os.environ.setdefault("OPENAI_API_KEY", "benchmark-key")
    settings = load_settings({"llm": {"base_url": base_url, "max_concurrency": concurrency}})
    jobs = [
        StructuredJob("echo_task", ECHO_PROMPT, {"text": f"benchmark text {i}"}, EchoOut)
        for i in range(calls)
    ]
    asyncio.run(run_batch(jobs[:2], settings=settings))  # warm-up: imports, tokenizer, probe
    start = time.perf_counter()
    result = asyncio.run(run_batch(jobs, settings=settings))
    wall = time.perf_counter() - start
    return wall, sum(r.status == "ok" for r in result.results)


def main() -> None:
    parser = argparse.ArgumentParser(description="LLM concurrency benchmark")
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    proc, url = start_server(args.latency)
    rows = []
    try:
        for c in args.concurrency:
            wall, ok = measure(url, args.calls, c)
            ideal = math.ceil(args.calls / c) * args.latency
            rows.append((c, wall, ideal, wall / ideal, ok))
            print(
                f"C={c:<3} wall {wall:6.2f} s  ideal {ideal:6.2f} s  ratio {wall / ideal:.3f}  ok {ok}"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    table = [
        f"`benchmarks/concurrency.py`: {args.calls} structured calls (echo_task, json_schema, "
        f"real openai SDK + langchain-openai) against the fake server in its own process, "
        f"{int(args.latency * 1000)} ms latency per response. Ideal = ceil(N/C) x L. "
        "Target: <= 1.15x at C = 8.",
        "",
        f"Run {date.today().isoformat()} on {platform.machine()} Linux, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| concurrency | wall (s) | ideal (s) | ratio | ok calls |",
        "|---:|---:|---:|---:|---:|",
        *[f"| {c} | {w:.2f} | {i:.2f} | {r:.3f} | {ok} |" for c, w, i, r, ok in rows],
        "",
        NOTE,
        "",
    ]
    if not args.no_write:
        write_section(SECTION, "\n".join(table))


if __name__ == "__main__":
    main()
