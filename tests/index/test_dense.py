"""FAISS searches under a filter: an HNSW graph walk held to a few admitted rows reaches few of
them, so a narrow filter is searched exactly over the admitted rows."""

from __future__ import annotations

import numpy as np

from index.dense import VectorIndex


def test_a_narrow_filter_on_hnsw_gives_the_exact_filtered_ranking() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((20_000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    graph, flat = VectorIndex.build(vectors, "hnsw"), VectorIndex.build(vectors, "flat")
    rows = np.arange(5_000, 5_100)
    query = vectors[15_000]  # far from the admitted rows
    found = graph.search(query, 100, allowed=graph.selector(rows))[1]
    exact = flat.search(query, 100, allowed=flat.selector(rows))[1]
    assert sorted(found.tolist()) == rows.tolist()
    assert found.tolist() == exact.tolist()


def test_a_wide_filter_on_hnsw_still_gives_k_rows() -> None:
    rng = np.random.default_rng(8)
    vectors = rng.standard_normal((5_000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    graph = VectorIndex.build(vectors, "hnsw")
    admitted = np.arange(0, 4_500)
    found = graph.search(vectors[4_900], 50, allowed=graph.selector(admitted))[1]
    assert len(found) == 50 and all(0 <= r < 4_500 for r in found.tolist())
