"""ONNX Runtime against torch for the bundled MiniLM: throughput, retrieval, CLI cold start.

Usage::

    python benchmarks/embeddings.py [--files 60] [--texts 600] [--write-results]

- **Throughput**: the same participant turns (the first ``--texts`` of the
  first ``--files`` shared transcripts, cut to 1,000 characters like chunks)
  embedded by each runtime: wall and CPU seconds, texts per CPU second.
- **Retrieval**: :data:`PARAPHRASES`, queries we wrote that say what one
  participant said in other words (few shared keywords); hits@3 = the
  target interview among the 3 nearest turns of all turns of the first
  ``--files`` interviews and the targets, for each runtime.
- **Cold start**: ``persona search`` end to end in a fresh process (median of
  3) on a small workspace ingested with the default runtime.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"

PARAPHRASES: dict[str, str] = {
    "00007": "an author drafting a long fiction book with help from the assistant",
    "00010": "running tabletop role-playing sessions and asking the chatbot to invent villains",
    "00031": "screening materials that capture carbon dioxide with a gas analysis instrument",
    "00044": "vibration noise from the surroundings disturbing a quantum sensor experiment",
    "00058": "engineering budding cells to display antibody pieces aimed at tumour proteins",
    "00071": "photovoltaic cells that work below the sea surface to power animal trackers",
    "00083": "several literature syntheses still being written up, not yet submitted",
    "00109": "chatbot plays editor, literary representative and reader for my love-story manuscript",
    "00122": "making web page styling adapt to phone screens in my UI engineering job",
    "00136": "secondary school literature instructor torn between adopting the tools and policing them",
    "00148": "the client software at my tutoring business reminds us about prospective customers",
    "00161": "coming up with posts for online platforms and polishing promotional text",
    "00175": "a company-internal chatbot that locates facts and checks files against each other",
    "00199": "a browser add-on that fixes the wording of my messages to clients",
}


def turns(files: int) -> list[tuple[str, str]]:
    """(file stem, participant turn cut to 1,000 characters): the first ``files`` files
    and every paraphrase target."""
    out = []
    chosen = sorted(DATA.glob("*.md"))[:files]
    chosen += [DATA / f"{stem}.md" for stem in PARAPHRASES if DATA / f"{stem}.md" not in chosen]
    for f in chosen:
        for line in f.read_text("utf-8").splitlines():
            if line.startswith("User:") and len(line) > 40:
                out.append((f.stem, line[5:].strip()[:1000]))
    return out


def timed_embed(embedder: object, texts: list[str]) -> tuple[list[list[float]], float, float]:
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    vectors = embedder.embed(texts)  # type: ignore[attr-defined]
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return vectors, wall, cpu


def hits_at_3(embedder: object, corpus: list[tuple[str, str]]) -> tuple[int, int]:
    import numpy as np

    vectors = np.asarray(embedder.embed([t for _, t in corpus]))  # type: ignore[attr-defined]
    stems = [s for s, _ in corpus]
    hits = 0
    for stem, query in PARAPHRASES.items():
        q = np.asarray(embedder.embed([query])[0])  # type: ignore[attr-defined]
        top = np.argsort(-(vectors @ q))[:3]
        hits += any(stems[i] == stem for i in top)
    return hits, len(PARAPHRASES)


def cold_start(tmp: Path) -> float:
    from tests.support.store import INTERVIEWS

    ws = tmp / "ws"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "assistant", "init", str(ws)], check=True,
                   capture_output=True, env=env)  # fmt: skip
    src = tmp / "src"
    src.mkdir()
    for name, text in INTERVIEWS.items():
        (src / name).write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "assistant", "-w", str(ws), "ingest", str(src)],
                   check=True, capture_output=True, env=env)  # fmt: skip
    walls = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "-w", str(ws), "search", "audit log reviewers"],
            check=True,
            capture_output=True,
            env=env,
        )
        walls.append(time.perf_counter() - t0)
    return statistics.median(walls)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--texts", type=int, default=600)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is absent: nothing to measure")
        return
    from assistant.embeddings import LocalEmbedder

    corpus = turns(args.files)
    texts = [t for _, t in corpus][: args.texts]
    load = os.getloadavg()
    rows = []
    vectors = {}
    for runtime in ("torch", "onnx"):
        embedder = LocalEmbedder(runtime=runtime)
        embedder.embed(["warm up: load the model"])
        vectors[runtime], wall, cpu = timed_embed(embedder, texts)
        hits, total = hits_at_3(embedder, corpus)
        rows.append((runtime, wall, cpu, len(texts) / cpu, hits, total))
    import numpy as np

    a, b = np.asarray(vectors["onnx"]), np.asarray(vectors["torch"])
    cosine = (a * b).sum(axis=1).min()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("PERSONA_CACHE_DIR", str(Path(tmp) / "cache"))
        search_s = cold_start(Path(tmp))
    load_after = os.getloadavg()
    speed = rows[1][3] / rows[0][3]
    lines = [
        "| runtime | texts | wall s | CPU s | texts per CPU s | hits@3 (paraphrases) |",
        "| --- | --- | --- | --- | --- | --- |",
        *(
            f"| {r} | {len(texts):,} | {w:.1f} | {c:.1f} | {t:.1f} | {h}/{n} |"
            for r, w, c, t, h, n in rows
        ),
    ]
    body = (
        f"Machine: {os.cpu_count()} CPUs shared with other work; load average {load[0]:.1f} "
        f"before, {load_after[0]:.1f} after. Same {len(texts):,} participant turns of the first "
        f"{args.files} shared interviews for both runtimes; retrieval over all "
        f"{len(corpus):,} turns of those interviews and the {len(PARAPHRASES)} targets.\n\n"
        + "\n".join(lines)
        + f"\n\nONNX throughput / torch: **{speed:.2f}x** (CPU time). Lowest cosine between "
        f"the two runtimes' vectors: {cosine:.5f}. `persona search` cold start, end to end "
        f"(fresh process, default ONNX runtime, median of 3): **{search_s:.2f} s**.\n"
    )
    print(body)
    if args.write_results:
        from benchmarks.results import write_section

        write_section("## Embeddings: ONNX Runtime against torch (benchmarks/embeddings.py)", body)


if __name__ == "__main__":
    main()
