"""Average-linkage clustering that scales: exact where small, a sparse graph where large.

Average linkage (cosine distance, merge while the average distance is below a
threshold ``t``) only ever merges two clusters when some pair across them is
closer than ``t`` (the minimum is at most the average). So every cluster lies
inside one connected component of the graph "distance < t", and clustering
each component on its own gives exactly the clusters of the whole.

:func:`average_linkage_labels` uses that:

1. the ``k`` nearest neighbours of every vector are found in row blocks
   (memory ``block × n``, never ``n × n``), and neighbours closer than ``t``
   become the edges of a sparse graph;
2. each connected component of that graph of at most :data:`EXACT_MAX`
   members is clustered exactly (scikit-learn, full distance matrix of the
   component only);
3. a larger component is clustered by :func:`sparse_average_linkage`: the
   average cosine distance between two clusters of unit vectors is exactly
   ``1 - mean(A)·mean(B)``, so it is computed from the clusters' vector sums,
   and only clusters joined by a kNN edge are candidates to merge. Memory
   ``O(n·(k + d))``.

Only step 3 can differ from the full-matrix method, where two clusters whose
average distance is below ``t`` share no kNN edge; components up to
:data:`EXACT_MAX` members are exact.
Deterministic: ties in the neighbour search are broken by index, components
and labels are numbered by their smallest member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

NEIGHBOURS = 30
"""k of the kNN graph."""
EXACT_MAX = 2000
"""Components up to this size are clustered with the full (component) distance matrix."""
BLOCK_ROWS = 512
"""Rows per block of the neighbour search (memory ``BLOCK_ROWS × n`` floats)."""


def knn_edges(
    vectors: NDArray[np.floating], threshold: float, k: int = NEIGHBOURS
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """(rows, cols, distances) of each vector's ``k`` nearest neighbours closer than ``threshold``.

    ``vectors`` must be L2-normalised; distance is cosine distance ``1 - u·v``.
    """
    import numpy as np

    n = vectors.shape[0]
    k = min(k, n - 1)
    rows: list[NDArray[np.intp]] = []
    cols: list[NDArray[np.intp]] = []
    dists: list[NDArray[np.float64]] = []
    if k <= 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    single = np.ascontiguousarray(vectors, dtype=np.float32)  # the search in float32: 2x faster
    for start in range(0, n, BLOCK_ROWS):
        block = single[start : start + BLOCK_ROWS]
        dist = 1.0 - block @ single.T
        idx = np.arange(block.shape[0])
        dist[idx, start + idx] = np.inf  # not one's own neighbour
        part = np.argpartition(dist, k - 1, axis=1)[:, :k]  # deterministic for the same input
        d = np.take_along_axis(dist, part, axis=1).astype(np.float64)
        keep = d < threshold
        rows.append(np.repeat(start + idx, keep.sum(axis=1)).astype(np.intp))
        cols.append(part[keep].astype(np.intp))
        dists.append(d[keep])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(dists)


def average_linkage_labels(
    vectors: NDArray[np.floating], threshold: float, k: int = NEIGHBOURS
) -> NDArray[np.intp]:
    """Cluster labels of L2-normalised ``vectors`` (average linkage, cosine distance)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = vectors.shape[0]
    labels = np.full(n, -1, dtype=np.intp)
    if n == 0:
        return labels
    rows, cols, dists = knn_edges(vectors, 2.1, k)  # every kNN edge (cosine distance <= 2)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    graph = ((graph + graph.T) > 0).astype(np.int8)
    close = dists < threshold
    near = coo_matrix((np.ones(int(close.sum())), (rows[close], cols[close])), shape=(n, n))
    _, component = connected_components(near.tocsr(), directed=False)
    members: dict[int, list[int]] = {}
    for i, c in enumerate(component.tolist()):
        members.setdefault(c, []).append(i)
    next_label = 0
    for idxs in sorted(members.values(), key=lambda m: m[0]):
        sub = _cluster_component(vectors, np.asarray(idxs), graph, threshold)
        labels[idxs] = sub + next_label
        next_label += int(sub.max()) + 1
    # number clusters by their smallest member, so labels do not depend on the method
    renumber: dict[int, int] = {}
    for label in labels.tolist():
        renumber.setdefault(label, len(renumber))
    labels = np.asarray([renumber[label] for label in labels.tolist()], dtype=np.intp)
    return labels


def _cluster_component(
    vectors: NDArray[np.floating],
    idxs: NDArray[np.intp],
    graph: Any,
    threshold: float,
) -> NDArray[np.intp]:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    if len(idxs) == 1:
        return np.zeros(1, dtype=np.intp)
    x = vectors[idxs].astype(np.float64)
    if len(idxs) <= EXACT_MAX:
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        )
        return np.asarray(model.fit_predict(x), dtype=np.intp)
    return sparse_average_linkage(x, graph[idxs][:, idxs].tocoo(), threshold)


def sparse_average_linkage(
    x: NDArray[np.float64], candidates: Any, threshold: float
) -> NDArray[np.intp]:
    """Average linkage of unit vectors ``x`` over the ``candidates`` graph (scipy sparse).

    Greedy: the closest pair of clusters joined by a candidate edge merges
    while its average distance ``1 - S_a·S_b / (n_a n_b)`` is below
    ``threshold`` (``S`` = vector sum, ``n`` = size). Ties go to the lower
    cluster ids. Returns labels numbered by first member.
    """
    import heapq

    import numpy as np

    n = x.shape[0]
    sums = x.copy()
    sizes = np.ones(n, dtype=np.int64)
    parent = list(range(n))
    alive = [True] * n
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(candidates.row.tolist(), candidates.col.tolist(), strict=True):
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    # each live cluster's nearest candidate in a heap of (distance, cluster, neighbour, version)
    best: list[tuple[float, int]] = [(2.0, -1)] * n
    version = [0] * n
    heap: list[tuple[float, int, int, int]] = []

    def distances(a: int, others: list[int]) -> NDArray[np.float64]:
        dots = sums[others] @ sums[a]
        result: NDArray[np.float64] = 1.0 - dots / (sizes[others] * sizes[a])
        return result

    def set_best(a: int, d: float, other: int) -> None:
        best[a] = (d, other)
        version[a] += 1
        if d < threshold:
            heapq.heappush(heap, (d, a, other, version[a]))

    def refresh(a: int) -> None:
        others = sorted(neighbours[a])
        if not others:
            best[a] = (2.0, -1)
            version[a] += 1
            return
        dist = distances(a, others)
        j = int(np.argmin(dist))  # first minimum: ties go to the lower id
        set_best(a, float(dist[j]), others[j])

    for a in range(n):
        refresh(a)
    while heap:
        _, a, b, va = heapq.heappop(heap)
        if not alive[a] or va != version[a] or not alive[b]:
            continue  # stale: a's nearest changed since
        a, b = min(a, b), max(a, b)  # the lower id survives
        alive[b] = False
        parent[b] = a
        sums[a] += sums[b]
        sizes[a] += sizes[b]
        merged = (neighbours[a] | neighbours[b]) - {a, b}
        for other in neighbours[b]:
            neighbours[other].discard(b)
            if other != a:
                neighbours[other].add(a)
        neighbours[a] = merged
        neighbours[b] = set()
        refresh(a)
        others = sorted(merged)
        if others:
            dist = distances(a, others)
            for other, d_new in zip(others, dist.tolist(), strict=True):
                if best[other][1] in (a, b):
                    refresh(other)  # its nearest was one of the two: look again
                elif d_new < best[other][0] or (d_new == best[other][0] and a < best[other][1]):
                    set_best(other, d_new, a)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    roots = [root(i) for i in range(n)]
    number: dict[int, int] = {}
    return np.asarray([number.setdefault(r, len(number)) for r in roots], dtype=np.intp)
