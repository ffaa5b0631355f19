"""Dense retrieval: a FAISS inner-product index over clause and sentence vectors.

Each distinct vector is held once: notices re-issued by many cities repeat the province's
sentences word for word, and the builder embeds a repeated text once, so its rows share one
vector. FAISS indexes the distinct vectors; ``slots`` maps every row to its vector (saved
beside the FAISS file as ``<name>.slots.npy``). A search ranks vectors and returns all the rows
of each, so the graph is smaller and a top-k reaches as many clauses with fewer candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from index.pages import advise_faiss

IndexType = Literal["flat", "hnsw"]
HNSW_EF_SEARCH = 128
"""Candidates an HNSW search keeps (at least k): recall over speed, as the answer needs the
right clause among a few hundred."""
HNSW_EXACT_SHARE = 0.2
"""Under a filter admitting at most this share of the vectors, or asked for at least this
share, an HNSW index is searched exactly (the graph walk, held to a few, finds too few, and
one asked for many visits most of the graph: a scan is exact and faster)."""


@dataclass(frozen=True)
class Selector:
    """A FAISS ID selector and the bitmap it reads (kept alive with it)."""

    faiss: Any
    bits: np.ndarray
    count: int
    """How many distinct vectors it admits."""
    rows: np.ndarray
    """The admitted rows, as a mask over every row."""


class VectorIndex:
    """Exact (``flat``) or approximate (``hnsw``) inner-product search over unit vectors, one
    per row, each distinct vector indexed once."""

    def __init__(self, index: Any, slots: np.ndarray | None = None) -> None:
        self._index = index
        advise_faiss(index)
        self._slots = np.arange(index.ntotal, dtype=np.int64) if slots is None else \
            np.asarray(slots, dtype=np.int64)
        if len(self._slots) and (self._slots.min() < 0 or self._slots.max() >= index.ntotal):
            raise ValueError("the vector slots name vectors the index does not have")
        order = np.argsort(self._slots, kind="stable")
        self._rows_by_slot = order
        self._slot_bounds = np.searchsorted(self._slots[order], np.arange(index.ntotal + 1))

    @classmethod
    def build(cls, vectors: np.ndarray, index_type: IndexType = "flat") -> VectorIndex:
        """Index the rows of ``vectors`` (already L2-normalised); equal rows share a vector."""
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        keys = vectors.view(np.dtype((np.void, dim * 4))).ravel()
        _, first, slots = np.unique(keys, return_index=True, return_inverse=True)
        # Distinct vectors in the order their first row comes, so that slots follow rows.
        order = np.argsort(first, kind="stable")
        renumber = np.empty_like(order)
        renumber[order] = np.arange(len(order))
        index: Any
        if index_type == "hnsw":
            index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(np.ascontiguousarray(vectors[first[order]]))
        return cls(index, renumber[slots.ravel()])

    @property
    def size(self) -> int:
        """Number of rows."""
        return len(self._slots)

    @property
    def distinct(self) -> int:
        """Number of distinct vectors indexed."""
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self._index.d)

    def selector(self, rows: np.ndarray) -> Selector:
        """Rows a search may return (made once per filter and reused: a bitmap over all rows,
        and one over the vectors that any of them has)."""
        import faiss

        mask = np.zeros(self.size, dtype=bool)
        mask[rows] = True
        vectors = np.zeros(self.distinct, dtype=bool)
        vectors[self._slots[mask]] = True
        bits = np.packbits(vectors, bitorder="little")
        return Selector(faiss.IDSelectorBitmap(self.distinct, faiss.swig_ptr(bits)), bits,
                        int(vectors.sum()), mask)

    def search(self, query: np.ndarray, k: int, allowed: Selector | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the ``k`` nearest vectors' rows, best first (every admitted
        row of each vector: often more than ``k`` rows), among the rows ``allowed`` when
        given."""
        k = max(1, min(k, self.distinct))
        # One query gains nothing from threads, and an OpenMP team per server thread would spin
        # against the model's own threads on a small CPU. The setting is per calling thread.
        import faiss

        faiss.omp_set_num_threads(1)
        module: Any = faiss  # its type stubs lack the search parameters
        params: Any = None
        selector = None if allowed is None else allowed.faiss
        index = self._index
        if isinstance(index, faiss.IndexHNSW):
            if k >= HNSW_EXACT_SHARE * self.distinct or (
                    allowed is not None and allowed.count <= HNSW_EXACT_SHARE * self.distinct):
                # A graph walk that may only stop at a few vectors finds few of them, and one
                # asked for a large share of them visits most: the vectors themselves, scanned
                # (for the admitted ones only), give them all, and sooner.
                index = faiss.downcast_index(index.storage)
                params = module.SearchParameters(sel=selector)
            else:
                # The search keeps efSearch candidates: fewer than k would return fewer than k.
                params = module.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, k))
                if selector is not None:
                    params.sel = selector
        elif selector is not None:
            params = module.SearchParameters(sel=selector)
        scores, ids = index.search(
            np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params)
        found = ids[0] >= 0
        scores, ids = scores[0][found], ids[0][found]
        starts, ends = self._slot_bounds[ids], self._slot_bounds[ids + 1]
        counts = ends - starts
        # Every row of each vector, in the vectors' order (a vector's rows in row order).
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        rows = self._rows_by_slot[offsets]
        row_scores = np.repeat(scores, counts)
        if allowed is not None:
            keep = allowed.rows[rows]
            rows, row_scores = rows[keep], row_scores[keep]
        return row_scores, rows

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of the given rows."""
        return np.asarray(self._index.reconstruct_batch(
            np.ascontiguousarray(self._slots[np.asarray(ids, dtype=np.int64)])),
            dtype=np.float32)

    def all(self) -> np.ndarray:
        """Every row's vector, in row order."""
        distinct = np.asarray(self._index.reconstruct_n(0, self.distinct), dtype=np.float32)
        return distinct[self._slots]

    def save(self, path: Path) -> None:
        """Write FAISS's own binary format, and the rows' slots beside it."""
        import faiss

        faiss.write_index(self._index, str(path))
        np.save(slots_path(path), self._slots.astype(np.int32), allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        """Read the files written by :meth:`save`."""
        import faiss

        index = faiss.read_index(str(path))
        return cls(index, np.load(slots_path(path), allow_pickle=False))


def slots_path(path: Path) -> Path:
    """Where the rows' slots of the FAISS file at ``path`` are kept."""
    return path.with_name(f"{path.stem}.slots.npy")
