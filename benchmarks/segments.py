"""Segment proposal at scale: account clustering, pair by pair against in-place averages.

Usage::

    python benchmarks/segments.py [--naive 100,200,400] [--sizes 100,400,1250,5000]
                                  [--write-results]

Accounts are made up (nothing is read): each has 1-8 features drawn from 60
themes and 8 industries, as the proposal in ``assistant/segments.py`` sees an
account (its themes and firmographics). ``naive`` is the definition the
proposal had until 2026-11-30: every merge recomputes the average distance of
every pair of clusters from their members' pairs (n^3 Jaccard distances).
``cluster_accounts`` keeps the average distances in a matrix updated in place
(Lance-Williams) and each slot's nearest later slot. Both run on the same
accounts in this one process; CPU seconds (``time.process_time``); the
clusters must be identical.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def accounts(n: int, seed: int = 1) -> dict[str, set[str]]:
    rng = random.Random(seed)
    pool = [f"theme:t{k}" for k in range(60)] + [f"industry:i{k}" for k in range(8)]
    return {f"acct-{i:05d}": set(rng.sample(pool, rng.randint(1, 8))) for i in range(n)}


def cpu(fn: object, *args: object) -> tuple[float, object]:
    start = time.process_time()
    out = fn(*args)  # type: ignore[operator]
    return time.process_time() - start, out


def main() -> None:
    from assistant.segments import MAX_DISTANCE, cluster_accounts
    from tests.support.linkage import naive_average_linkage as naive

    ap = argparse.ArgumentParser()
    ap.add_argument("--naive", default="100,200,400")
    ap.add_argument("--sizes", default="100,400,1250,5000")
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    naive_sizes = {int(x) for x in args.naive.split(",") if x}
    sizes = sorted(naive_sizes | {int(x) for x in args.sizes.split(",") if x})
    load = os.getloadavg()[0]
    rows = [
        "| accounts | segments | pair by pair CPU s | in place CPU s | ratio | same clusters |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n in sizes:
        features = accounts(n)
        fast_s, fast = cpu(cluster_accounts, features, MAX_DISTANCE)
        assert isinstance(fast, list)
        if n in naive_sizes:
            slow_s, slow = cpu(naive, features, MAX_DISTANCE)
            cells = f"{slow_s:.2f} | {fast_s:.3f} | {slow_s / fast_s:.0f}x | {slow == fast}"
        else:
            cells = f"not run | {fast_s:.3f} | - | -"
        rows.append(f"| {n:,} | {len(fast)} | {cells} |")
        print(rows[-1], flush=True)
    body = (
        f"Machine: {os.cpu_count()} CPUs; load average {load:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after. Made-up accounts (1-8 of 68 features each), "
        f"`MAX_DISTANCE` {MAX_DISTANCE}; CPU seconds of this one process.\n\n"
        + "\n".join(rows)
        + "\n"
    )
    print(body)
    if args.write_results:
        from benchmarks.results import write_section

        write_section("## Segment proposal at scale (benchmarks/segments.py)", body)


if __name__ == "__main__":
    main()
