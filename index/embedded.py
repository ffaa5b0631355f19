"""The embedded store: the index folder's FAISS vectors and BM25 matrix, in the process.

The zero-setup default. Filters become a set of admitted rows before ranking (FAISS's ID
selector for the vectors, a mask for BM25), worked out from per-document, per-unit and
per-deadline position lists made once at load; every answer is a bounded top-k.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from corpus.document import Document
from index.backend import REPEALED, Ranked, Where, top
from index.dense import Selector
from index.store import LoadedIndex

logger = logging.getLogger(__name__)

OVERSAMPLE = 4
"""Vector rows asked for per clause wanted: a clause has a vector for itself and one per
sentence, and its best rows come together (asked as distinct vectors: a vector repeated in many
notices brings all its rows)."""


def in_force(document: Document) -> bool:
    """False for a repealed notice, which is never cited as current."""
    return document.status != REPEALED


class EmbeddedBackend:
    """:class:`~index.backend.Backend` over a loaded index folder."""

    def __init__(self, index: LoadedIndex) -> None:
        if index.vectors is None:
            raise ValueError("the embedded store needs the index loaded with its vectors")
        self._index = index
        self._vectors = index.vectors
        n = len(index.clauses)
        self._clause_of_row = np.array([c for c, _ in index.vector_rows], dtype=np.int64)
        self._sentence_of_row = np.array([s for _, s in index.vector_rows], dtype=np.int64)
        order = np.argsort(self._clause_of_row, kind="stable")
        bounds = np.searchsorted(self._clause_of_row[order], np.arange(n + 1))
        self._rows_of = [order[bounds[i]:bounds[i + 1]] for i in range(n)]
        self._by_doc: dict[str, np.ndarray] = {}
        self._by_unit: dict[str, list[int]] = {}
        self._by_deadline: dict[str, list[int]] = {}
        self._by_region: dict[str, list[int]] = {}
        region_of = {d.doc_id: d.region for d in index.documents}
        for position, clause in enumerate(index.clauses):
            for unit in {u.name for u in clause.units}:
                self._by_unit.setdefault(unit, []).append(position)
            for deadline in {d.text for d in clause.deadlines}:
                self._by_deadline.setdefault(deadline, []).append(position)
            if region := region_of.get(clause.doc_id):
                self._by_region.setdefault(region, []).append(position)
        start = 0
        for document in index.documents:
            self._by_doc[document.doc_id] = np.arange(start, start + len(document.clauses))
            start += len(document.clauses)
        current = {d.doc_id for d in index.documents if in_force(d)}
        self._in_force = np.array([c.doc_id in current for c in index.clauses], dtype=bool)
        self._all_in_force = bool(self._in_force.all())
        self._admitted = lru_cache(maxsize=256)(self._admitted_uncached)

    # -- the interface ----------------------------------------------------------------------

    def dense(self, vector: np.ndarray, k: int, where: Where) -> Ranked:
        admitted = self._admitted(where)
        rows = None if admitted is None else admitted[1]
        selector = None if admitted is None else admitted[2]
        vectors = self._vectors
        available = vectors.distinct if selector is None else selector.count
        if available == 0 or k <= 0 or (rows is not None and len(rows) == 0):
            return []
        # Rows wanted per clause, in vectors: fewer where repeated texts share one.
        wanted = min(available, max(1, round(k * OVERSAMPLE * vectors.distinct / vectors.size)))
        while True:
            scores, ids = vectors.search(vector, wanted, allowed=selector)
            clauses = self._clause_of_row[ids]
            # Rows come best first: a clause's first row is its best.
            _, first = np.unique(clauses, return_index=True)
            if len(first) >= k or wanted >= available:
                break
            wanted = min(available, wanted * 4)
        best_scores, best_clauses = scores[first], clauses[first]
        order = np.lexsort((best_clauses, -best_scores))[:k]
        return list(zip(best_clauses[order].tolist(), best_scores[order].tolist(), strict=True))

    def lexical(self, terms: Sequence[tuple[str, float]], k: int, where: Where) -> Ranked:
        if not terms or k <= 0:
            return []
        scores = self._index.bm25.scores(terms)
        admitted = self._admitted(where)
        return top(scores, None if admitted is None else admitted[0], k, positive=True)

    def similarities(self, vector: np.ndarray, clauses: Sequence[int]
                     ) -> Mapping[int, Mapping[int, float]]:
        wanted = [c for c in dict.fromkeys(clauses) if 0 <= c < len(self._rows_of)]
        if not wanted:
            return {}
        rows = np.concatenate([self._rows_of[c] for c in wanted])
        if not len(rows):
            return {c: {} for c in wanted}
        sims = self._vectors.vectors(rows) @ np.asarray(vector, dtype=np.float32).reshape(-1)
        found: dict[int, dict[int, float]] = {c: {} for c in wanted}
        for row, sim in zip(rows.tolist(), sims.tolist(), strict=True):
            found[int(self._clause_of_row[row])][int(self._sentence_of_row[row])] = float(sim)
        return found

    # -- filters ----------------------------------------------------------------------------

    def _admitted_uncached(self, where: Where) -> tuple[np.ndarray, np.ndarray, Selector] | None:
        """Which clauses are admitted (a mask over positions) and their vector rows
        (ascending); None when every clause is."""
        mask: np.ndarray | None = None
        if not where.repealed and not self._all_in_force:
            mask = self._in_force.copy()

        def narrow(positions: Sequence[int] | np.ndarray) -> None:
            nonlocal mask
            chosen = np.zeros(len(self._in_force), dtype=bool)
            chosen[np.asarray(positions, dtype=np.int64)] = True
            mask = chosen if mask is None else mask & chosen

        if where.doc_id is not None:
            narrow(self._by_doc.get(where.doc_id, np.empty(0, dtype=np.int64)))
        if where.unit is not None:
            narrow(self._by_unit.get(where.unit, []))
        if where.deadline is not None:
            narrow(self._by_deadline.get(where.deadline, []))
        if where.region is not None:
            narrow(self._by_region.get(where.region, []))
        if mask is None:
            return None
        rows = np.flatnonzero(mask[self._clause_of_row])
        return mask, rows, self._vectors.selector(rows)
