"""Clustering of questions: the same partitions as the textbook algorithm, deterministic, and
the medoid shown; with the hashing stand-in for the encoder."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest

from index.fake import HashingEncoder
from usage import clusters as module
from usage.clusters import Linkage, Question, cluster_questions, count_questions, most_asked


def fake_embed(texts: Sequence[str]) -> np.ndarray:
    return HashingEncoder().encode(list(texts), "query")


def greedy(vectors: np.ndarray, threshold: float, linkage: Linkage) -> set[frozenset[int]]:
    """The textbook algorithm: merge the two most similar clusters while they reach the
    threshold, computing each linkage from the members' pairwise similarities."""
    similarity = vectors @ vectors.T
    clusters = [[i] for i in range(len(vectors))]
    while len(clusters) > 1:
        best, pair = -np.inf, (0, 0)
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                block = similarity[np.ix_(clusters[i], clusters[j])]
                value = block.mean() if linkage == "average" else block.min()
                if value > best:
                    best, pair = value, (i, j)
        if best < threshold:
            break
        i, j = pair
        clusters[i] += clusters.pop(j)
    return {frozenset(c) for c in clusters}


def unit_rows(rng: np.random.Generator, n: int, dim: int = 8) -> np.ndarray:
    rows = rng.normal(size=(n, dim))
    unit: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return unit


@pytest.mark.parametrize("linkage", ["average", "complete"])
@pytest.mark.parametrize("seed", range(6))
def test_the_same_clusters_as_the_greedy_algorithm(seed: int, linkage: Linkage) -> None:
    rng = np.random.default_rng(seed)
    # A few topics with questions scattered around each: real structure, and chaining bait.
    centres = unit_rows(rng, 5)
    vectors = np.repeat(centres, 8, axis=0) + rng.normal(scale=0.35, size=(40, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"q{i:02d}" for i in range(len(vectors))]  # sorted as given
    lookup = {t: v for t, v in zip(texts, vectors, strict=True)}

    def embed(batch: Sequence[str]) -> np.ndarray:
        return np.stack([lookup[t] for t in batch])

    for threshold in (0.2, 0.5, 0.7, 0.9):
        clusters = cluster_questions([Question(t, 1) for t in texts], embed, threshold, linkage)
        ours = {frozenset(int(q.text[1:]) for q in c.questions) for c in clusters}
        assert ours == greedy(vectors, threshold, linkage), (threshold, linkage)
    assert 1 < len(cluster_questions([Question(t, 1) for t in texts], embed, 0.5, linkage)) < 40


def test_the_order_of_the_questions_does_not_matter() -> None:
    texts = ["驾驶证到期了怎么换证", "驾照到期怎么换", "营业执照丢了怎么补办", "营业执照丢失补办",
             "公积金能贷多少", "住房公积金贷款额度", "你好", "今天天气怎么样"]
    questions = [Question(t, i + 1) for i, t in enumerate(texts)]
    first = cluster_questions(questions, fake_embed, 0.5)
    for seed in range(5):
        shuffled = questions[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_questions(shuffled, fake_embed, 0.5) == first
    assert cluster_questions({q.text: q.count for q in questions}, fake_embed, 0.5) == first


def test_near_duplicates_share_a_cluster_and_other_topics_do_not() -> None:
    questions = count_questions([
        "驾驶证到期了怎么换证", "驾驶证到期了怎么换", "驾驶证到期了怎么换证",
        "营业执照丢了怎么补办", "营业执照丢了如何补办", "你好"])
    clusters = cluster_questions(questions, fake_embed, 0.6)
    groups = [{q.text for q in c.questions} for c in clusters]
    assert groups == [{"驾驶证到期了怎么换证", "驾驶证到期了怎么换"},
                      {"营业执照丢了怎么补办", "营业执照丢了如何补办"}, {"你好"}]
    assert [c.count for c in clusters] == [3, 2, 1]  # most asked first
    assert clusters[0].questions[0] == Question("驾驶证到期了怎么换证", 2)


def test_the_representative_is_the_medoid() -> None:
    # On a circle: the middle question is the closest on average to the other two.
    angles = {"left": -0.3, "middle": 0.0, "right": 0.3}

    def embed(batch: Sequence[str]) -> np.ndarray:
        return np.array([[np.cos(angles[t]), np.sin(angles[t])] for t in batch])

    (cluster,) = cluster_questions([Question(t, 1) for t in angles], embed, 0.5)
    assert cluster.representative == "middle"
    # A much-asked question at one end pulls the medoid to itself.
    (cluster,) = cluster_questions([Question("left", 1), Question("middle", 1),
                                    Question("right", 20)], embed, 0.5)
    assert cluster.representative == "right" and cluster.count == 22


def test_thresholds_at_the_extremes_and_the_input_it_refuses() -> None:
    questions = count_questions(["驾驶证怎么换", "营业执照怎么补办", "公积金能贷多少"])
    assert len(cluster_questions(questions, fake_embed, 1.01)) == 3
    assert len(cluster_questions(questions, fake_embed, -1.0)) == 1
    assert len(cluster_questions(questions, fake_embed, -1.0, "complete")) == 1
    assert cluster_questions([], fake_embed) == []
    (single,) = cluster_questions([Question("你好", 4)], fake_embed)
    assert (single.representative, single.count) == ("你好", 4)
    with pytest.raises(ValueError, match="distinct"):
        cluster_questions([Question("你好", 1), Question("你好", 2)], fake_embed)
    with pytest.raises(ValueError, match="vectors"):
        cluster_questions(questions, lambda texts: np.zeros((1, 4)))


def test_questions_are_counted_after_white_space_is_tidied() -> None:
    counted = count_questions(["驾驶证 怎么换", "  驾驶证  怎么换\n", "", "   ", "你好"])
    assert counted == [Question("驾驶证 怎么换", 2), Question("你好", 1)]


def test_the_most_asked_are_taken_first_and_the_matrices_are_float32(
        monkeypatch: pytest.MonkeyPatch) -> None:
    questions = [Question("b", 2), Question("a", 2), Question("c", 5), Question("d", 1)]
    assert most_asked(questions, 2) == ([Question("c", 5), Question("a", 2)],
                                        [Question("b", 2), Question("d", 1)])
    assert most_asked(questions, 0) == ([], most_asked(questions, 4)[0])
    assert module.MAX_CLUSTERED == 2_000
    dtypes = []
    merges = module._merges

    def spy(similarity: np.ndarray, linkage: Linkage) -> list[tuple[int, int, float]]:
        dtypes.append(similarity.dtype)
        return merges(similarity, linkage)

    monkeypatch.setattr(module, "_merges", spy)
    cluster_questions(questions, fake_embed, 0.5)
    assert dtypes == [np.dtype(np.float32)]  # 2,000 questions: 16 MB a matrix, not 32
