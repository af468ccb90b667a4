"""Themes clustering at scale: the sparse average linkage against the full-matrix method.

Usage::

    python benchmarks/clustering.py [--real 6000] [--n 30000] [--write-results]

Vectors: participant sentences (8-40 words) of the shared Anthropic Interviewer
transcripts, embedded with the bundled MiniLM (ONNX Runtime); the first
``--real`` of them are real embeddings. To reach ``--n`` statements without
embedding for an hour on a small CPU, the rest are *paraphrase stand-ins*:
a real vector plus Gaussian noise (cosine 0.80-0.95 to its source), which is
how a corpus of thousands of interviews looks to the clustering (many
near-duplicate pains). The mix is stated in the results.

Each measurement runs in a fresh child process, so the peak RSS is that of
the clustering alone (Python, numpy and scikit-learn included). Reported:
wall, CPU, peak RSS of the new method at ``--n``; both methods at sizes where
the full matrix still fits, with the adjusted Rand index between them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "anthropic-interviewer" / "transcripts"
THRESHOLD = 0.6


def sentences(limit: int) -> list[str]:
    out: list[str] = []
    for f in sorted(DATA.glob("*.md")):
        for line in f.read_text("utf-8").splitlines():
            if line.startswith("User:"):
                for s in re.split(r"(?<=[.!?])\s+", line[5:].strip()):
                    if 8 <= len(s.split()) <= 40:
                        out.append(s)
        if len(dict.fromkeys(out)) >= limit:
            break
    return list(dict.fromkeys(out))[:limit]


def vectors(real: int, n: int, cache: Path) -> tuple[object, int]:
    import numpy as np

    from assistant.embeddings import LocalEmbedder

    if cache.is_file():
        base = np.load(cache)
    else:
        base = np.asarray(LocalEmbedder().embed(sentences(real)), dtype=np.float64)
        np.save(cache, base)
    base = base[:real]
    rng = np.random.default_rng(0)
    extra = n - len(base)
    if extra <= 0:
        return base[:n], len(base[:n])
    src = base[rng.integers(0, len(base), extra)]
    sigma = rng.uniform(0.017, 0.038, size=(extra, 1))
    noisy = src + rng.normal(size=src.shape) * sigma
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    both = np.vstack([base, noisy])
    return both[rng.permutation(len(both))], len(base)


def child(method: str, n: int, real: int, cache: Path, out: Path) -> None:
    import numpy as np

    x, n_real = vectors(real, n, cache)
    x = np.asarray(x, dtype=np.float64)
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    if method == "new":
        from assistant.generate.clustering import average_linkage_labels

        labels = average_linkage_labels(x, THRESHOLD)
    else:
        from sklearn.cluster import AgglomerativeClustering

        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=THRESHOLD
        ).fit_predict(x)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    np.save(out.with_suffix(".npy"), np.asarray(labels))
    out.write_text(
        json.dumps(
            {
                "method": method,
                "n": n,
                "real": n_real,
                "wall_s": wall,
                "cpu_s": cpu,
                "peak_rss_mb": after.ru_maxrss / 1024,
                "clusters": len(set(labels.tolist())),
            }
        )
    )


def run(method: str, n: int, real: int, cache: Path, tmp: Path) -> dict[str, object]:
    out = tmp / f"{method}-{n}.json"
    subprocess.run(
        [sys.executable, __file__, "--child", method, "--n", str(n), "--real", str(real),
         "--cache", str(cache), "--out", str(out)],
        check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(out.read_text())
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", type=int, default=6000)
    ap.add_argument("--n", type=int, default=30000)
    ap.add_argument("--compare", default="2000,6000", help="sizes run with both methods")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/persona-bench-vectors.npy"))
    ap.add_argument("--child")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.n, args.real, args.cache, args.out)
        return
    if not DATA.is_dir() and not args.cache.is_file():
        print(f"{DATA} is absent: nothing to measure")
        return
    import tempfile

    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    load = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        vectors(args.real, args.real, args.cache)  # embed once (cached)
        for n in [int(s) for s in args.compare.split(",") if s]:
            new, old = (
                run("new", n, args.real, args.cache, tmp),
                run("old", n, args.real, args.cache, tmp),
            )
            ari = adjusted_rand_score(np.load(tmp / f"old-{n}.npy"), np.load(tmp / f"new-{n}.npy"))
            rows += [new | {"ari": ari}, old | {"ari": None}]
        rows.append(run("new", args.n, args.real, args.cache, tmp) | {"ari": None})
    load_after = os.getloadavg()
    lines = [
        "| method | n | real embeddings | wall s | CPU s | peak RSS MB | clusters | ARI vs full matrix |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        ari = "—" if r["ari"] is None else f"{r['ari']:.3f}"
        name = "sparse (new)" if r["method"] == "new" else "full matrix (old)"
        lines.append(
            f"| {name} | {r['n']:,} | {r['real']:,} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
            f"{r['peak_rss_mb']:.0f} | {r['clusters']:,} | {ari} |"
        )
    body = (
        f"Machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} before and "
        f"{load_after[0]:.1f} after (shared with other work). Threshold {THRESHOLD} "
        f"(cosine distance), one kind of insight. Vectors beyond the real embeddings "
        f"are paraphrase stand-ins (real vector + noise, cosine 0.80-0.95).\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(body)
    if args.write_results:
        from benchmarks.results import write_section

        write_section("## Themes clustering at scale (benchmarks/clustering.py)", body)


if __name__ == "__main__":
    main()
