"""The store interface: what retrieval asks of wherever the passages are kept.

Two implementations: :mod:`index.embedded` (FAISS and BM25 files of the index folder, in the
process; no set-up) and :mod:`index.milvus` (a Milvus server or a Milvus Lite file, shared by
every worker). Each answers with a bounded candidate list — never the whole corpus — and applies
the filters itself, so that fusion, sentence choice and the answer engine in Python cost the
same for one notice or thousands.

Clauses are named by their position in the loaded index (``LoadedIndex.clauses``); a store that
keeps its own keys maps them back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

REPEALED = "废止"
"""The status of a notice that is no longer in force (an amended one, 已修订, still is)."""


@dataclass(frozen=True)
class Where:
    """Which clauses may be returned: the filters a store applies before ranking."""

    doc_id: str | None = None
    unit: str | None = None
    """A unit named by the clause, lead or not."""
    deadline: str | None = None
    """A deadline as written in the clause."""
    region: str | None = None
    """The region of the clause's document (its level's place, e.g. 福建)."""
    repealed: bool = False
    """Admit the clauses of repealed notices too (only to say they were superseded)."""


Ranked = list[tuple[int, float]]
"""Clause positions with their scores, best first."""


class Backend(Protocol):
    """Top-k clauses by meaning and by words, and the similarities of chosen clauses."""

    def dense(self, vector: np.ndarray, k: int, where: Where) -> Ranked:
        """The ``k`` admitted clauses whose best passage (the clause or one of its sentences)
        is closest to ``vector`` (unit length), with that cosine similarity."""
        ...

    def lexical(self, terms: Sequence[tuple[str, float]], k: int, where: Where) -> Ranked:
        """The ``k`` admitted clauses with the highest Σ weight × BM25(term) (only those
        scoring above zero)."""
        ...

    def similarities(self, vector: np.ndarray, clauses: Sequence[int]
                     ) -> Mapping[int, Mapping[int, float]]:
        """For each of ``clauses``: its passages' cosine similarity to ``vector``, by sentence
        position (-1 for the whole clause)."""
        ...


class Mirror(Protocol):
    """A store that holds its own copy of each index version (Milvus), kept in step with the
    index folder: a version is staged from the finished folder before the folder is published,
    and made live right after, both under the folder's edit lock — so the folder never points
    at a version the store does not have, and a failed load publishes nothing."""

    def stage(self, work: Path, previous: Path | None = None) -> None:
        """Load the version written in ``work`` (complete, not yet published); ``previous`` is
        the version folder it replaces, if any (a store that holds it may write only what
        differs)."""
        ...

    def activate(self) -> None:
        """Make the staged version live (the folder now points at it)."""
        ...


def top(scores: np.ndarray, eligible: np.ndarray | None, k: int, *,
        positive: bool = False) -> Ranked:
    """The ``k`` best entries of ``scores`` among the eligible, ties in position order.

    With ``positive`` only entries above zero count, and only those are ranked (BM25 scores
    most of a large corpus at zero: the work follows the matches, not the corpus)."""
    positions = np.flatnonzero(scores > 0) if positive else np.arange(len(scores))
    if eligible is not None:
        positions = positions[eligible[positions]]
    values = scores[positions].astype(np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        positions, values = positions[finite], values[finite]
    k = min(k, len(values))
    if k <= 0:
        return []
    if k < len(values):
        part = np.argpartition(-values, k - 1)[:k]
        # Entries tied with the k-th are all kept, so the cut does not depend on partitioning.
        part = np.flatnonzero(values >= values[part].min())
    else:
        part = np.arange(len(values))
    order = part[np.lexsort((positions[part], -values[part]))][:k]
    found = positions[order]
    return list(zip(found.tolist(), scores[found].astype(np.float64).tolist(), strict=True))
