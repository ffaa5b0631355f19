"""Questions grouped by similarity: what people asked that the notices did not answer, by topic.

Deterministic and local: the questions are embedded by a plain callable (the service's own
encoder in production, a hashing stand-in in tests), then joined by agglomerative clustering
over cosine similarity — average linkage by default, complete linkage on request — and the
dendrogram is cut where the linkage similarity falls below a threshold. The nearest-neighbour
chain finds the same merges as the textbook greedy algorithm in O(n²) time and memory (float32),
so a few thousand distinct questions take seconds; a report clusters at most
:data:`MAX_CLUSTERED` of them, the most asked (:func:`most_asked`). Each cluster is shown by its medoid: the question
closest on average to the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from index.encoder import Encoder

logger = logging.getLogger(__name__)

Embed = Callable[[Sequence[str]], np.ndarray]
"""Texts → an array of L2-normalised vectors, one row per text."""
Linkage = Literal["average", "complete"]

DEFAULT_THRESHOLD = 0.88
"""Average cosine similarity at which two groups of questions are one topic, for
multilingual-e5-small, whose cosines between unrelated Chinese questions sit around 0.81–0.85
(chosen on the out-of-scope questions of the tune halves and the team's gold; see
tests/usage/test_clusters_model.py); another encoder needs its own threshold."""

MAX_CLUSTERED = 2_000
"""The most distinct questions a report clusters, the most asked first; the rest are listed
ungrouped. 2,000 questions take two 16 MB float32 matrices (20,000 would take 3.2 GB)."""


@dataclass(frozen=True)
class Question:
    """One distinct question text and how many times it was asked."""

    text: str
    count: int


@dataclass(frozen=True)
class Cluster:
    """Questions on one topic: the medoid first shown, then every distinct question."""

    representative: str
    count: int
    """How many times its questions were asked in all."""
    questions: tuple[Question, ...]
    """Most asked first."""


def query_embedding(encoder: Encoder) -> Embed:
    """An encoder's question embedding (``query`` prompt) as a plain callable."""
    return lambda texts: encoder.encode(list(texts), "query")


def normalise(text: str) -> str:
    """A question as it is grouped: surrounding and repeated white space removed."""
    return " ".join(text.split())


def count_questions(texts: Iterable[str]) -> list[Question]:
    """Distinct questions (after :func:`normalise`) with their counts; empty texts dropped."""
    counts: dict[str, int] = {}
    for text in texts:
        key = normalise(text)
        if key:
            counts[key] = counts.get(key, 0) + 1
    return [Question(text, count) for text, count in counts.items()]


def most_asked(questions: Sequence[Question], limit: int) -> tuple[list[Question], list[Question]]:
    """The ``limit`` most asked questions (ties by text), and the rest in the same order."""
    ranked = sorted(questions, key=lambda q: (-q.count, q.text))
    return ranked[:max(limit, 0)], ranked[max(limit, 0):]


def cluster_questions(questions: Sequence[Question] | Mapping[str, int], embed: Embed,
                      threshold: float = DEFAULT_THRESHOLD,
                      linkage: Linkage = "average") -> list[Cluster]:
    """Group distinct questions whose linkage similarity is at least ``threshold``.

    The result does not depend on the order of ``questions``: they are sorted by text before
    they are embedded. Clusters come most asked first (then larger, then by representative).
    """
    given = [Question(t, c) for t, c in questions.items()] if isinstance(questions, Mapping) \
        else list(questions)
    items = sorted(given, key=lambda q: q.text)
    if not items:
        return []
    if len({q.text for q in items}) != len(items):
        raise ValueError("the questions must be distinct texts (see count_questions)")
    raw = np.asarray(embed([q.text for q in items]), dtype=np.float32)
    if raw.shape[0] != len(items):
        raise ValueError(f"embed returned {raw.shape[0]} vectors for {len(items)} texts")
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    vectors = (raw / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)
    similarity = np.clip(vectors @ vectors.T, -1.0, 1.0)  # float32: n × n × 4 bytes
    labels = _cut(_merges(similarity, linkage), len(items), threshold)
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(label, []).append(row)
    clusters = [_cluster(members, items, similarity) for members in groups.values()]
    clusters.sort(key=lambda c: (-c.count, -len(c.questions), c.representative))
    logger.debug("%d questions in %d clusters", len(items), len(clusters))
    return clusters


def _cluster(members: list[int], items: Sequence[Question], similarity: np.ndarray) -> Cluster:
    """A cluster of rows ``members``: its medoid, total count and questions."""
    block = similarity[np.ix_(members, members)]
    weights = np.array([items[m].count for m in members], dtype=np.float64)
    # The medoid: the largest count-weighted similarity to the cluster's questions (itself
    # included, so that a much-asked question is favoured); ties go to the first by text.
    medoid = members[int(np.argmax(block @ weights))]
    questions = sorted((items[m] for m in members), key=lambda q: (-q.count, q.text))
    return Cluster(representative=items[medoid].text, count=int(weights.sum()),
                   questions=tuple(questions))


def _merges(similarity: np.ndarray, linkage: Linkage) -> list[tuple[int, int, float]]:
    """Every merge of the full dendrogram, as (row, row, linkage similarity).

    The nearest-neighbour chain: follow nearest neighbours from a cluster until two clusters
    are each other's nearest, merge them, and continue from what is left of the chain. Average
    and complete linkage are reducible, so the merges are those of the greedy algorithm. A
    merged cluster keeps the smaller row's index.
    """
    n = similarity.shape[0]
    s = similarity.copy()
    np.fill_diagonal(s, -np.inf)
    size = np.ones(n, dtype=s.dtype)
    active = np.ones(n, dtype=bool)
    merges: list[tuple[int, int, float]] = []
    chain: list[int] = []
    while len(merges) < n - 1:
        if not chain:
            chain.append(int(np.argmax(active)))
        a = chain[-1]
        row = np.where(active, s[a], -np.inf)
        b = int(np.argmax(row))
        if len(chain) > 1 and row[chain[-2]] >= row[b]:
            b = chain[-2]  # ties prefer the previous link, so the chain cannot cycle
        if len(chain) > 1 and b == chain[-2]:
            chain.pop()
            chain.pop()
            keep, gone = min(a, b), max(a, b)
            merges.append((keep, gone, float(row[b])))
            if linkage == "average":
                joined = (size[keep] * s[keep] + size[gone] * s[gone]) / (size[keep] + size[gone])
            else:
                joined = np.minimum(s[keep], s[gone])
            s[keep], s[:, keep] = joined, joined
            s[keep, keep] = -np.inf
            size[keep] += size[gone]
            active[gone] = False
            s[gone], s[:, gone] = -np.inf, -np.inf
        else:
            chain.append(b)
    return merges


def _cut(merges: list[tuple[int, int, float]], n: int, threshold: float) -> list[int]:
    """Cluster labels (the smallest row of each cluster) after the merges at ``threshold``."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, sim in merges:
        if sim >= threshold:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]
