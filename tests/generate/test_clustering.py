"""The scalable average linkage against the full-matrix method it replaces."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score

from assistant.embeddings import make_embedder
from assistant.extract import list_insights
from assistant.generate import analyze, clustering
from assistant.generate import themes as themes_module
from assistant.generate.clustering import average_linkage_labels, knn_edges
from assistant.generate.themes import DISTANCE_THRESHOLD, embed_cached
from assistant.settings import load_settings
from assistant.workspace import Workspace
from tests.support.corpus import replay_settings


def _full_matrix(vectors: np.ndarray, threshold: float) -> np.ndarray:
    """Today's method before this change: average linkage over the full distance matrix."""
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    return AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(vectors)


def _topics(n: int, topics: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(topics, 48))
    x = centres[rng.integers(0, topics, n)] + rng.normal(scale=noise, size=(n, 48))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_sample_corpus_themes_are_those_of_the_full_matrix(extracted_ws: Workspace) -> None:
    embedder = make_embedder(load_settings({}).embeddings)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for ins in sorted(list_insights(extracted_ws), key=lambda i: i.id):
        if ins.verified:
            by_kind[ins.kind].append(ins.statement)
    compared = 0
    for statements in by_kind.values():
        x = np.asarray(embed_cached(embedder, statements), dtype=float)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        new = average_linkage_labels(x, DISTANCE_THRESHOLD)
        old = _full_matrix(x, DISTANCE_THRESHOLD)
        assert adjusted_rand_score(old, new) == 1.0
        compared += len(statements)
    assert compared > 100


def test_labels_are_deterministic_and_numbered_by_first_member() -> None:
    x = _topics(600, 40, 0.35, seed=1)
    first = average_linkage_labels(x, DISTANCE_THRESHOLD)
    assert np.array_equal(first, average_linkage_labels(x.copy(), DISTANCE_THRESHOLD))
    seen: list[int] = []
    for label in first.tolist():
        if label not in seen:
            seen.append(label)
    assert seen == list(range(len(seen)))


def test_large_components_use_the_sparse_graph_and_keep_quality(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forcing every component through the kNN-graph path: ARI >= 0.9 against the full matrix."""
    x = _topics(1500, 60, 0.55, seed=2)
    old = _full_matrix(x, DISTANCE_THRESHOLD)
    monkeypatch.setattr(clustering, "EXACT_MAX", 10)
    new = average_linkage_labels(x, DISTANCE_THRESHOLD)
    sizes = np.bincount(new)
    assert sizes.max() > 10  # the sparse path really ran on large components
    assert adjusted_rand_score(old, new) >= 0.9


def test_knn_edges_are_below_the_threshold_and_bounded() -> None:
    x = _topics(300, 10, 0.4, seed=3)
    rows, cols, dists = knn_edges(x, DISTANCE_THRESHOLD, k=5)
    assert (dists < DISTANCE_THRESHOLD).all()
    assert (rows != cols).all()
    assert np.bincount(rows, minlength=300).max() <= 5


def test_analyze_clusters_once(extracted_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = themes_module.cluster_insights

    def counting(*args: object, **kwargs: object) -> list[themes_module.Cluster]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(themes_module, "cluster_insights", counting)
    analyze(extracted_ws, replay_settings())
    assert len(calls) == 1
