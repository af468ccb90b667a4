"""Average linkage by its definition, pair by pair (n^3): the reference the fast segment
clustering (assistant.segments.cluster_accounts) must reproduce; also what it replaced
(benchmarks/segments.py)."""

from __future__ import annotations


def jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return 1.0 - (len(a & b) / len(union)) if union else 1.0


def naive_average_linkage(features: dict[str, set[str]], limit: float) -> list[list[str]]:
    """Merge the closest pair (rounded to 9 decimals, first pair on ties) until none is
    closer than ``limit``; every pair's average is recomputed from its members each time."""
    clusters = [[name] for name in sorted(features)]
    while len(clusters) > 1:
        best: tuple[float, int, int] | None = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                pairs = [
                    jaccard(features[a], features[b]) for a in clusters[i] for b in clusters[j]
                ]
                d = round(sum(pairs) / len(pairs), 9)
                if best is None or d < best[0]:
                    best = (d, i, j)
        assert best is not None
        d, i, j = best
        if d > limit:
            break
        clusters[i] = sorted(clusters[i] + clusters[j])
        del clusters[j]
    return sorted(clusters, key=lambda c: (-len(c), c[0]))
