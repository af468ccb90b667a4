"""The whole pipeline at N = 25, 100, 400, 1,250 shared interviews, with a stand-in model.

Usage::

    python benchmarks/pipeline.py [--sizes 25,100,400,1250] [--steps ingest,extract,...]
                                  [--write-results]

Each N takes the first N files of ../shared/data/anthropic-interviewer and runs
the real CLI, one subprocess per step, in a fresh workspace::

    persona ingest DIR          (the real local model, ONNX Runtime)
    persona search QUERY        (cold start: median of 5 fresh processes)
    persona extract --all       (fake server, below)
    persona themes | personas | icp | messaging

The LLM is :class:`~assistant.llm.fake_server.FakeLlmServer` answering at the
sample corpus's density: about 13 insights per interview, each a participant
sentence of that interview with itself as the verbatim quote (so verification
does real work), kinds and DMU roles spread; themes, personas, ICP and
messaging answers are the authored ones of fixtures/authored/ with their
evidence ids replaced by ids that the prompt lists. Per step: wall, CPU and
peak RSS of the step's process (``os.wait4``), and the largest prompt in
tokens (counted offline from the requests the server received). The growth
exponent of each step is the least-squares slope of log(wall) on log(N).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = Path(
    os.environ.get("PERSONA_BENCH_DATA")
    or REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"
)
AUTHORED = REPO / "fixtures" / "authored"
STEPS: tuple[tuple[str, list[str]], ...] = (
    ("ingest", []),
    ("search", ["search", "how do you check what the AI wrote"]),
    ("extract", ["extract", "--all"]),
    ("themes", ["themes"]),
    ("personas", ["personas"]),
    ("icp", ["icp"]),
    ("messaging", ["messaging"]),
)
KINDS = (
    "pain",
    "goal",
    "result",
    "requirement",
    "trigger",
    "objection",
    "alternative",
    "aha_moment",
    "channel",
    "pain",
    "result",
    "goal",
    "other",
)
ROLES = ("economic_buyer", "champion", "technical_buyer", "end_user", "other")
TASK_OF = {"Role:": "draft_personas", "<statistics>": "draft_icp"}


def _user(body: dict[str, Any]) -> str:
    return "\n".join(
        str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user"
    )


def _sentences(text: str, participant: str) -> list[str]:
    out = []
    for para in re.findall(rf"^{re.escape(participant)}: (.+)$", text, re.M):
        for s in re.split(r"(?<=[.!?])\s+", para.strip()):
            if 6 <= len(s.split()) <= 40:
                out.append(s)
    return list(dict.fromkeys(out))


def _recite(obj: Any, ids: list[str], counter: itertools.count[int]) -> Any:
    """Authored answer with evidence ids replaced by ids the prompt lists."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in ("evidence_ids", "quote_insight_ids") and isinstance(v, list):
                out[k] = [ids[next(counter) % len(ids)] for _ in v] if ids else []
            else:
                out[k] = _recite(v, ids, counter)
        return out
    if isinstance(obj, list):
        return [_recite(v, ids, counter) for v in obj]
    return obj


def responder(participant: str = "User") -> Any:
    """The stand-in model; insights quote turns of ``participant`` (the shared corpus: User)."""
    from tests.support.answers import analysis

    def load(task: str, name: str) -> Any:
        return json.loads((AUTHORED / task / f"{name}.json").read_text("utf-8"))

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        text = _user(body)
        ids = re.findall(r"^- (\S+:\S+) \[", text, re.M)
        if "<clusters>" in text:
            themes = re.findall(r'<theme id="([^"]+)"', text)
            return {
                "themes": [
                    {"theme_id": t, "label": f"Theme {n}", "description": "Stand-in description."}
                    for n, t in enumerate(themes)
                ]
            }
        if "<statistics>" in text:
            return dict(_recite(load("draft_icp", "icp"), ids, itertools.count()))
        if m := re.search(r"^Roles to write for: (\w+)", text, re.M):
            return dict(_recite(load("draft_messaging", m.group(1)), ids, itertools.count()))
        if m := re.search(r"^Role: (\w+)", text, re.M):
            return dict(_recite(load("draft_personas", m.group(1)), ids, itertools.count()))
        sentences = _sentences(text, participant)
        step = max(1, len(sentences) // len(KINDS))
        picked = sentences[::step][: len(KINDS)]
        role = ROLES[sum(map(ord, text)) % len(ROLES)]  # varies with the transcript
        insights = [
            {
                "kind": kind,
                "statement": s,
                "intensity": "high" if kind == "pain" else None,
                "metric": None,
                "speaker": participant,
                "dmu_role": role,
                "quotes": [{"quote": s, "speaker": participant}],
            }
            for kind, s in zip(KINDS, picked, strict=False)
        ]
        return analysis(insights, summary="A stand-in summary of the interview.")

    return respond


def warm_model(env: dict[str, str]) -> None:
    """Export the ONNX model into the cache once, before anything is measured.

    The export is a one-time cost per machine (it imports torch); counting it in
    the first measured step inflated that step's CPU time and peak RSS.
    """
    code = (
        "from assistant.embeddings import make_embedder; from assistant.settings import "
        "load_settings; make_embedder(load_settings({}).embeddings).embed(['warm up'])"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)


def _run_step(args: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"`persona {' '.join(args)}` failed:\n{err[-3000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "warnings": float(err.count("warning")),
        "load": os.getloadavg()[0],
    }


SEARCH_RUNS = 5


def _wall(r: dict[str, float]) -> float:
    return r["wall_s"]


def run_size(n: int, tmp: Path, steps: list[str]) -> dict[str, dict[str, float]]:
    from assistant.llm.fake_server import FakeLlmServer
    from assistant.llm.tokens import count_messages

    files = sorted(DATA.glob("*.md"))[:n]
    src = tmp / f"in-{n}"
    src.mkdir()
    for f in files:
        (src / f.name).symlink_to(f)
    ws = tmp / f"ws-{n}"
    subprocess.run([sys.executable, "-m", "assistant", "init", str(ws)], check=True,
                   capture_output=True)  # fmt: skip
    out: dict[str, dict[str, float]] = {}
    with FakeLlmServer(model="stand-in", responder=responder()) as server:
        env = {
            **os.environ,
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "benchmark-not-secret",
            "PERSONA_WORKSPACE": str(ws),
            "PERSONA_MAX_CONCURRENCY": "8",
            "PERSONA_MAX_OUTPUT_TOKENS": "16000",
            "PYTHONPATH": str(REPO),
        }
        for step, args in STEPS:
            if step not in steps:
                continue
            seen = len(server.requests)
            if step == "search":  # a cold start: the median of 5 fresh processes
                runs = sorted((_run_step(args, env) for _ in range(SEARCH_RUNS)), key=_wall)
                out[step] = runs[len(runs) // 2]
            else:
                out[step] = _run_step(args or ["ingest", str(src)], env)
            sizes = [
                count_messages(r.body.get("messages", []), r.body.get("response_format"))
                for r in server.requests[seen:]
            ]
            out[step]["max_prompt_tokens"] = float(max(sizes, default=0))
            out[step]["calls"] = float(len(sizes))
            print(f"N={n} {step}: {json.dumps(out[step])}", flush=True)
    return out


def slope(points: list[tuple[int, float]]) -> float | None:
    pts = [(math.log(n), math.log(v)) for n, v in points if v > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="25,100,400,1250")
    ap.add_argument(
        "--steps",
        default=",".join(s for s, _ in STEPS),
        help="Steps to measure, in pipeline order (a step needs the ones before it).",
    )
    ap.add_argument("--write-results", action="store_true")
    ap.add_argument(
        "--workdir", type=Path, help="Keep the workspaces here (default: a temporary folder)."
    )
    args = ap.parse_args()
    steps = args.steps.split(",")
    if not DATA.is_dir():
        print(f"{DATA} is absent: nothing to measure")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()
    results: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = str(args.workdir or scratch)
        Path(tmp).mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("PERSONA_CACHE_DIR", str(Path(tmp) / "cache"))
        warm_model({**os.environ, "PYTHONPATH": str(REPO)})
        for n in sizes:  # in the order given: the largest first if time is short
            results[n] = run_size(n, Path(tmp), steps)
            report(results, load_before, sizes, args.write_results)  # after each size


def report(
    results: dict[int, dict[str, dict[str, float]]],
    load_before: tuple[float, float, float],
    planned: list[int],
    write: bool,
) -> None:
    sizes = sorted(results)
    load_after = os.getloadavg()
    lines = [
        "| step | " + " | ".join(f"N={n}" for n in sizes) + " | growth exponent |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- |",
    ]
    for step, _ in STEPS:
        if any(step not in results[n] for n in sizes):
            continue
        cells = []
        for n in sizes:
            r = results[n][step]
            cells.append(
                f"{r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, {r['rss_mb']:.0f} MB, "
                f"{int(r['calls'])} calls, max prompt {int(r['max_prompt_tokens']):,} tok, "
                f"load {r['load']:.1f}"
            )
        k = slope([(n, results[n][step]["wall_s"]) for n in sizes])
        c = slope([(n, results[n][step]["cpu_s"]) for n in sizes])
        fitted = "—" if k is None or c is None else f"{k:.2f} (wall), {c:.2f} (CPU)"
        lines.append(f"| {step} | " + " | ".join(cells) + f" | {fitted} |")
    missing = [n for n in planned if n not in results]
    body = (
        f"Machine: {os.cpu_count()} CPUs shared with other work; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} at the last size. Stand-in model "
        "(fake server in the benchmark process, ~13 insights per interview; its CPU is not "
        "counted); real local embedding model (ONNX, exported once before measuring). CPU, "
        "peak RSS: the step's own `persona` process (`os.wait4`); load: 1-min load average "
        "at the step's end. "
        f"Sizes run: {', '.join(map(str, sizes))}"
        + (f"; not run (time): {', '.join(map(str, missing))}" if missing else "")
        + ".\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(body, flush=True)
    if write:
        from benchmarks.results import write_section

        write_section("## Pipeline at scale (benchmarks/pipeline.py)", body)


if __name__ == "__main__":
    main()
