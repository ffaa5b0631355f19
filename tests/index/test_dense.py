"""FAISS searches under a filter: an HNSW graph walk held to a few admitted rows reaches few of
them, so a narrow filter is searched exactly over the admitted rows."""

from __future__ import annotations

from pathlib import Path

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


def test_asked_for_a_large_share_hnsw_scans_and_gives_the_exact_ranking() -> None:
    rng = np.random.default_rng(10)
    vectors = rng.standard_normal((2_000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    graph, flat = VectorIndex.build(vectors, "hnsw"), VectorIndex.build(vectors, "flat")
    for query in vectors[:5]:
        found = graph.search(query, 600)
        exact = flat.search(query, 600)
        assert found[1].tolist() == exact[1].tolist()
        assert np.allclose(found[0], exact[0], atol=1e-6)


def _repeated(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """600 distinct unit vectors, each the vector of 1–5 rows scattered over 1,800 rows."""
    rng = np.random.default_rng(seed)
    distinct = rng.standard_normal((600, 24)).astype(np.float32)
    distinct /= np.linalg.norm(distinct, axis=1, keepdims=True)
    slots = rng.integers(0, 600, 1_800)
    slots[:600] = rng.permutation(600)  # every vector has a row
    return distinct[slots], slots


def test_equal_rows_share_one_vector_and_come_back_together(tmp_path: Path) -> None:
    rows, slots = _repeated(9)
    index = VectorIndex.build(rows, "flat")
    assert index.size == 1_800 and index.distinct == 600
    assert np.array_equal(index.all(), rows)
    assert np.array_equal(index.vectors(np.array([5, 1_799, 5])), rows[[5, 1_799, 5]])
    scores, found = index.search(rows[3], 4)
    # The 4 best vectors, each with every row that has it, best first.
    exact = rows @ rows[3]
    best = np.sort(np.unique(exact))[::-1][:4]
    assert sorted(found.tolist()) == sorted(np.flatnonzero(np.isin(exact, best)).tolist())
    assert np.all(np.diff(scores) <= 1e-6) and np.allclose(scores, exact[found], atol=1e-5)
    assert set(np.flatnonzero(slots == slots[3]).tolist()) <= set(found.tolist())
    index.save(tmp_path / "vectors.faiss")
    again = VectorIndex.load(tmp_path / "vectors.faiss")
    assert np.array_equal(again.search(rows[3], 4)[1], found)


def test_a_filter_admits_rows_not_vectors() -> None:
    rows, _ = _repeated(10)
    for kind in ("flat", "hnsw"):
        index = VectorIndex.build(rows, kind)
        admitted = np.arange(0, 1_800, 3)
        _, found = index.search(rows[1], 600, allowed=index.selector(admitted))
        # A row outside the filter never comes back, even when it shares an admitted vector.
        assert set(found.tolist()) <= set(admitted.tolist())
        assert sorted(found.tolist()) == admitted.tolist()  # all 600 vectors asked for
