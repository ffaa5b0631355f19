"""Metric functions on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    hit_at,
    mean,
    ndcg_at,
    percentile,
    precision_recall,
    reciprocal_rank,
    same_deadline,
    unit_precision,
    unit_recall,
)


def test_hit_at() -> None:
    assert hit_at(["2.1", "7.1"], ["7.1"], 1) == 0.0
    assert hit_at(["2.1", "7.1"], ["7.1"], 2) == 1.0
    assert hit_at([], ["7.1"], 3) == 0.0


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(["a", "b", "c"], ["c", "x"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a", "b", "c"], ["c"], k=2) == 0.0
    assert reciprocal_rank(["c"], ["c"]) == 1.0


def test_ndcg() -> None:
    # Relevant at ranks 2 and 3 of two relevant ids: (1/log2(3) + 1/log2(4)) / (1 + 1/log2(3)).
    expected = (1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3))
    assert ndcg_at(["x", "a", "b"], ["a", "b"]) == pytest.approx(expected)
    assert ndcg_at(["a", "a"], ["a"]) == 1.0  # a repeated id is counted once
    assert ndcg_at(["x"], []) == 0.0


def test_units() -> None:
    assert unit_recall(["省民政厅", "省卫健委"], ["省民政厅"]) == 1.0
    assert unit_recall(["省卫健委"], ["省民政厅", "省卫健委"]) == 0.5
    assert unit_precision(["省民政厅", "省卫健委"], ["省民政厅"]) == 0.5
    assert unit_precision([], ["省民政厅"]) == 0.0
    assert unit_recall([], []) == 1.0


def test_deadlines() -> None:
    assert same_deadline("2021年底前", " 2021年底前")
    assert same_deadline("到2025年", "2025年")
    assert not same_deadline("2021年底前", "2022年底前")
    assert not same_deadline(None, "2021年底前")
    assert same_deadline(None, None)


def test_precision_recall() -> None:
    predicted = [True, True, False, False]
    actual = [True, False, True, False]
    assert precision_recall(predicted, actual) == (0.5, 0.5)
    assert precision_recall([False], [False]) == (1.0, 1.0)


def test_percentile_and_mean() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10], 95) == 10
    assert percentile([], 50) == 0.0
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert mean([1.0, 0.0]) == 0.5
    assert mean([]) is None
