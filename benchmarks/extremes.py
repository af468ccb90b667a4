"""Bad input at scale: 10,000 one-line interviews, and one 500-page interview.

Usage::

    python benchmarks/extremes.py [--one-liners 10000] [--words 150000] [--write-results]

Both inputs are generated into a temporary folder (never the repository) and
ingested into fresh workspaces with the real local embedding model (ONNX),
each step in its own process (``--step``), which calls the library functions
the CLI calls, with a progress callback that records when each report came
(the CLI shows the same callback as its progress bar), and reports its own
CPU time and peak RSS (``getrusage``). "Longest gap" is the longest time
without a progress report, counted from the start of the work.

The 500-page interview is also extracted against the fake server with the
stand-in model of benchmarks/pipeline.py (one call per window, ~13 insights
per window, each quote a participant sentence), so windowing, quote
verification and the merge of windows run on it at full size.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORDS = [
    "invoice",
    "approval",
    "vendor",
    "payment",
    "month",
    "close",
    "reconciliation",
    "spreadsheet",
    "controller",
    "audit",
    "team",
    "budget",
    "process",
    "manual",
    "export",
    "report",
    "workflow",
    "finance",
    "system",
    "ledger",
    "receipts",
    "policy",
    "exception",
    "review",
    "deadline",
    "quarter",
    "customer",
    "contract",
    "renewal",
    "integration",
    "data",
    "error",
    "duplicate",
    "email",
    "reminder",
    "escalation",
    "dashboard",
    "forecast",
    "cash",
    "card",
    "expense",
    "travel",
    "purchase",
    "order",
    "matching",
    "tolerance",
    "approval",
    "chain",
    "rule",
    "migration",
    "training",
    "adoption",
    "support",
    "ticket",
]
PARTICIPANT = "Participant"
"""A role word, not a name: redaction leaves it, so the stand-in model finds its turns."""
OPENERS = (
    "Honestly",
    "Last quarter",
    "Every month",
    "When we switched",
    "Before that",
    "The problem is",
    "What we found",
    "In my team",
    "Most of the time",
    "Right now",
)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return f"{rng.choice(OPENERS)} the {' '.join(words)}."


def write_one_liners(folder: Path, n: int) -> None:
    """``n`` files, each a single labelled line (distinct content)."""
    folder.mkdir(parents=True)
    rng = random.Random(15)
    for i in range(n):
        line = f"Participant: {_sentence(rng)} That was interview {i}."
        (folder / f"one-line-{i:05d}.txt").write_text(line + "\n", encoding="utf-8")


def write_long_interview(path: Path, words: int) -> int:
    """One interview of about ``words`` words (500 pages at 300 words a page); its size."""
    rng = random.Random(500)
    parts = ["---", "title: The 500-page interview", "company: Longform Inc", "---", ""]
    count = 0
    turn = 0
    while count < words:
        question = f"Interviewer: Can you tell me more about {rng.choice(WORDS)}?"
        answer = " ".join(_sentence(rng) for _ in range(rng.randint(3, 9)))
        parts += [question, "", f"{PARTICIPANT}: {answer}", ""]
        count += len(question.split()) + len(answer.split()) + 2
        turn += 1
    text = "\n".join(parts)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def run_step(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """One measured step in its own process (this script with ``--step``)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--step", *args],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"step {args} failed:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


class Ticks:
    """A progress callback that keeps when each report came."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.times: list[float] = []

    def __call__(self, done: int, total: int, label: str) -> None:
        self.times.append(time.perf_counter())

    def max_gap(self) -> float:
        marks = [self.start, *self.times, time.perf_counter()]
        return max(b - a for a, b in itertools.pairwise(marks))


def step(kind: str, ws_dir: str, source: str | None) -> None:
    """Run one step in this process; print its measures as one JSON line."""
    import resource

    from assistant.settings import load_settings
    from assistant.workspace import find_workspace, init_workspace

    ticks = Ticks()
    if kind in ("ingest", "reingest"):
        from assistant.library import ingest_paths

        ws = init_workspace(Path(ws_dir)) if kind == "ingest" else find_workspace(Path(ws_dir))
        assert source is not None
        ticks.start = time.perf_counter()
        results = ingest_paths(ws, [source], progress=ticks)
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        chunks = sum(r.chunks or 0 for r in results)
        summary = ", ".join(f"{n:,} {s}" for s, n in sorted(counts.items()))
        summary += f"; {chunks:,} chunks"
    else:
        from assistant.extract import extract_interviews

        ws = find_workspace(Path(ws_dir))
        settings = load_settings(ws.config_data())
        ticks.start = time.perf_counter()
        outcomes = extract_interviews(ws, settings, progress=ticks)
        o = outcomes[0]
        summary = (
            f"{o.status}: {o.windows} windows, {o.insights} insights, quotes {o.verified} "
            f"verified / {o.unverified} unverified"
        )
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "cpu_s": use.ru_utime + use.ru_stime,
                "rss_mb": use.ru_maxrss / 1024,
                "progress": len(ticks.times),
                "max_gap_s": ticks.max_gap(),
                "summary": summary,
            }
        )
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        step(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--one-liners", type=int, default=10_000)
    ap.add_argument("--words", type=int, default=150_000)
    ap.add_argument("--only", choices=("many", "long"), help="Run one of the two inputs.")
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    load_before = os.getloadavg()
    rows: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="persona-extremes-") as tmp:
        root = Path(tmp)
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "PERSONA_CACHE_DIR": os.environ.get("PERSONA_CACHE_DIR", str(root / "cache")),
        }
        from benchmarks.pipeline import warm_model

        warm_model(env)
        if args.only != "long":
            many = root / "one-liners"
            write_one_liners(many, args.one_liners)
            r = run_step(["ingest", str(root / "ws-many"), str(many)], env)
            rows.append((f"ingest {args.one_liners:,} one-line interviews", r))
            print(json.dumps(rows[-1]), flush=True)
            r = run_step(["reingest", str(root / "ws-many"), str(many)], env)
            rows.append((f"re-ingest the {args.one_liners:,} unchanged", r))
            print(json.dumps(rows[-1]), flush=True)
        if args.only != "many":
            long_file = root / "long" / "longform-interview.md"
            long_file.parent.mkdir()
            size = write_long_interview(long_file, args.words)
            r = run_step(["ingest", str(root / "ws-long"), str(long_file)], env)
            rows.append((f"ingest one {args.words:,}-word interview ({size / 1e6:.1f} MB)", r))
            print(json.dumps(rows[-1]), flush=True)
            from assistant.llm.fake_server import FakeLlmServer
            from benchmarks.pipeline import responder

            with FakeLlmServer(model="stand-in", responder=responder(PARTICIPANT)) as server:
                llm_env = {
                    **env,
                    "OPENAI_BASE_URL": server.base_url,
                    "OPENAI_API_KEY": "benchmark-not-secret",
                    "PERSONA_MAX_CONCURRENCY": "8",
                    "PERSONA_MAX_OUTPUT_TOKENS": "16000",
                }
                r = run_step(["extract", str(root / "ws-long")], llm_env)
                r["summary"] += f"; {len(server.requests)} calls"
            rows.append(("extract it (fake server in the parent, stand-in model)", r))
            print(json.dumps(rows[-1]), flush=True)
    report(rows, load_before, args.write_results)


def report(
    rows: list[tuple[str, dict[str, Any]]], load_before: tuple[float, ...], write: bool
) -> None:
    load_after = os.getloadavg()
    lines = [
        "| step | wall s | CPU s | peak RSS MB | progress reports | longest gap s | result |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['rss_mb']:.0f} | "
            f"{r['progress']:,} | {r['max_gap_s']:.1f} | {r['summary']} |"
        )
    body = (
        f"Machine: {os.cpu_count()} CPUs shared with other work; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after. Real local embedding model "
        "(ONNX, exported before measuring); inputs generated in a temporary folder. CPU and peak RSS are the step's own "
        "process (`getrusage` in the step process); the longest gap is the longest time without a progress report "
        "(first report counted from the process start).\n\n" + "\n".join(lines) + "\n"
    )
    print(body, flush=True)
    if write:
        from benchmarks.results import write_section

        write_section("## Bad input at scale (benchmarks/extremes.py)", body)


if __name__ == "__main__":
    main()
