"""Dense retrieval: a FAISS inner-product index over clause and sentence vectors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

IndexType = Literal["flat", "hnsw"]
HNSW_EF_SEARCH = 128
"""Candidates an HNSW search keeps (at least k): recall over speed, as the answer needs the
right clause among a few hundred."""
HNSW_EXACT_SHARE = 0.2
"""Under a filter admitting at most this share of the rows, an HNSW index is searched exactly
over the admitted rows (the graph walk, held to them, finds too few)."""


@dataclass(frozen=True)
class Selector:
    """A FAISS ID selector and the bitmap it reads (kept alive with it)."""

    faiss: Any
    bits: np.ndarray
    count: int
    """How many rows it admits."""


class VectorIndex:
    """Exact (``flat``) or approximate (``hnsw``) inner-product search over unit vectors."""

    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, index_type: IndexType = "flat") -> VectorIndex:
        """Index the rows of ``vectors`` (already L2-normalised)."""
        import faiss

        dim = vectors.shape[1]
        index: Any
        if index_type == "hnsw":
            index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self._index.d)

    def selector(self, rows: np.ndarray) -> Selector:
        """Rows a search may return (made once per filter and reused: a bitmap over all rows)."""
        import faiss

        mask = np.zeros(self.size, dtype=bool)
        mask[rows] = True
        bits = np.packbits(mask, bitorder="little")
        return Selector(faiss.IDSelectorBitmap(self.size, faiss.swig_ptr(bits)), bits,
                        int(mask.sum()))

    def search(self, query: np.ndarray, k: int, allowed: Selector | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row ids of the ``k`` nearest vectors (ids are -1 past the end), among
        the rows ``allowed`` when given."""
        k = max(1, min(k, self.size))
        # One query gains nothing from threads, and an OpenMP team per server thread would spin
        # against the model's own threads on a small CPU. The setting is per calling thread.
        import faiss

        faiss.omp_set_num_threads(1)
        module: Any = faiss  # its type stubs lack the search parameters
        params: Any = None
        selector = None if allowed is None else allowed.faiss
        index = self._index
        if isinstance(index, faiss.IndexHNSW):
            if allowed is not None and allowed.count <= HNSW_EXACT_SHARE * self.size:
                # A graph walk that may only stop at a few rows finds few of them: the vectors
                # themselves, scanned for the admitted rows only, give them all, exactly.
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
        return scores[0], ids[0]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of the given rows."""
        return np.asarray(self._index.reconstruct_batch(
            np.ascontiguousarray(ids, dtype=np.int64)), dtype=np.float32)

    def all(self) -> np.ndarray:
        """Every stored vector, in row order."""
        return np.asarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)

    def save(self, path: Path) -> None:
        """Write FAISS's own binary format."""
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        """Read a file written by :meth:`save`."""
        import faiss

        return cls(faiss.read_index(str(path)))
