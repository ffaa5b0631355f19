"""Lexical retrieval: BM25 over jieba tokens, as postings in .npy arrays (no pickle).

BM25 (Lucene's variant: idf = ln(1 + (N − df + ½)/(df + ½)), k1 1.5, b 0.75) splits into a
part that depends on the corpus, a token's idf, and one that depends only on the clause and the
average clause length: tf / (tf + k1·(1 − b + b·dl/avgdl)). The postings hold the second, and a
query multiplies each token's weight by its idf when it asks. With the average length kept from
one edit to the next (:func:`index.store.write_version`), a clause's stored part never changes
when other documents come or go, so a store that keeps its own copy (Milvus) rewrites only the
documents an edit touches, and ranks exactly as this one.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

K1 = 1.5
B = 0.75
FILES = ("tokens.json", "params.json", "data.npy", "indices.npy", "indptr.npy")
"""What :meth:`BM25Index.save` writes into its folder."""


class BM25Index:
    """BM25 scores of every clause for a weighted bag of query tokens."""

    def __init__(self, tokens: Sequence[str], data: np.ndarray, indices: np.ndarray,
                 indptr: np.ndarray, size: int, avgdl: float) -> None:
        if len(indptr) != len(tokens) + 1 or len(data) != len(indices) or \
                (len(indices) and int(indices.max()) >= size) or int(indptr[-1]) != len(data):
            raise ValueError("the BM25 postings do not agree with each other")
        self._vocab = {token: i for i, token in enumerate(tokens)}
        self._tokens = list(tokens)
        self._data = data
        self._indices = indices
        self._indptr = indptr
        self.size = size
        self.avgdl = avgdl
        """The average clause length the stored parts were computed with."""
        self._idf: dict[str, float] = {}

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]], avgdl: float | None = None) -> BM25Index:
        """Index one token list per clause. ``avgdl`` keeps a given average length (an edit
        keeps its index's); by default it is these clauses' own."""
        vocab: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(documents), dtype=np.float64)
        for row, tokens in enumerate(documents):
            found = Counter(t for t in tokens if t)
            lengths[row] = sum(found.values())
            for token, count in found.items():
                rows.append(row)
                columns.append(vocab.setdefault(token, len(vocab)))
                counts.append(count)
        if avgdl is None:
            avgdl = float(lengths.mean()) if len(documents) else 1.0
        if not np.isfinite(avgdl) or avgdl <= 0:
            avgdl = 1.0  # no clause has a token: nothing is scored anyway
        row_ids = np.asarray(rows, dtype=np.int32)
        column_ids = np.asarray(columns, dtype=np.int64)
        tf = np.asarray(counts, dtype=np.float64)
        part = tf / (tf + K1 * (1 - B + B * lengths[row_ids] / avgdl))
        order = np.lexsort((row_ids, column_ids))  # postings by token, clauses in order
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(column_ids, minlength=len(vocab)), out=indptr[1:])
        return cls(list(vocab), part[order].astype(np.float32), row_ids[order], indptr,
                   len(documents), avgdl)

    def scores(self, weighted: Sequence[tuple[str, float]]) -> np.ndarray:
        """Σ weight × BM25(token) for every clause; unknown tokens score nothing. Read from
        each token's postings (the clauses that have it), not a pass over every clause."""
        total = np.zeros(self.size, dtype=np.float32)
        for token, weight in weighted:
            postings = self._postings(token)
            if postings is None:
                continue
            start, end = postings
            # A clause appears once in a token's postings, so the fancy-index add is exact.
            total[self._indices[start:end]] += \
                self.query_weight(token, weight) * self._data[start:end]
        return total

    def query_weight(self, token: str, weight: float) -> np.float32:
        """What a query token contributes per unit of stored part: its weight times its idf
        (the same product in every store, so that they rank alike)."""
        return np.float32(weight * self.idf(token))

    def knows(self, token: str) -> bool:
        """True when ``token`` occurs somewhere in the indexed clauses."""
        return self._postings(token) is not None

    def idf(self, token: str) -> float:
        """How rare ``token`` is among the clauses (BM25's idf; the highest for an unknown one)."""
        known = self._idf.get(token)
        if known is None:
            postings = self._postings(token)
            found = 0 if postings is None else postings[1] - postings[0]
            known = self._idf[token] = float(np.log(1 + (self.size - found + 0.5) / (found + 0.5)))
        return known

    def _postings(self, token: str) -> tuple[int, int] | None:
        token_id = self._vocab.get(token) if token else None
        if token_id is None:
            return None
        return int(self._indptr[token_id]), int(self._indptr[token_id + 1])

    def parts(self) -> list[dict[str, float]]:
        """Per clause, each of its tokens' stored part (no idf: what a sparse-vector store
        keeps, and multiplies by :meth:`query_weight`)."""
        found: list[dict[str, float]] = [{} for _ in range(self.size)]
        for token_id, token in enumerate(self._tokens):
            start, end = int(self._indptr[token_id]), int(self._indptr[token_id + 1])
            for row, value in zip(self._indices[start:end].tolist(),
                                  self._data[start:end].tolist(), strict=True):
                found[row][token] = value
        return found

    def matchable(self, documents: int | None = None) -> int:
        """How many of the first ``documents`` (all by default) have a token to match."""
        limit = self.size if documents is None else documents
        return int((np.unique(self._indices) < limit).sum())

    def save(self, folder: Path) -> None:
        """Write the index as JSON and .npy arrays (no pickle)."""
        (folder / "tokens.json").write_text(json.dumps(self._tokens, ensure_ascii=False),
                                            encoding="utf-8")
        (folder / "params.json").write_text(json.dumps(
            {"k1": K1, "b": B, "avgdl": self.avgdl, "size": self.size}), encoding="utf-8")
        for name, array in (("data", self._data), ("indices", self._indices),
                            ("indptr", self._indptr)):
            np.save(folder / f"{name}.npy", array, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> BM25Index:
        """Read an index written by :meth:`save` (ValueError when its parts disagree)."""
        params = json.loads((folder / "params.json").read_text(encoding="utf-8"))
        if not isinstance(params, dict) or \
                (params.get("k1"), params.get("b"), params.get("size")) != (K1, B, size):
            raise ValueError("the BM25 parameters are not this version's, or not for these "
                             "clauses")
        avgdl = params.get("avgdl")
        if isinstance(avgdl, bool) or not isinstance(avgdl, (int, float)) or \
                not np.isfinite(avgdl) or avgdl <= 0:
            raise ValueError("the BM25 average length is not a positive number")
        tokens = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise ValueError("the BM25 tokens are not a list of strings")
        data, indices, indptr = (np.load(folder / f"{name}.npy", allow_pickle=False)
                                 for name in ("data", "indices", "indptr"))
        if any(a.ndim != 1 for a in (data, indices, indptr)) or data.dtype.kind != "f" or \
                indices.dtype.kind not in "iu" or indptr.dtype.kind not in "iu" or \
                not np.isfinite(data).all() or (len(indices) and int(indices.min()) < 0) or \
                (len(indptr) and (int(indptr[0]) != 0 or (np.diff(indptr) < 0).any())):
            raise ValueError("the BM25 postings are not well formed")
        return cls(tokens, data.astype(np.float32, copy=False),
                   indices.astype(np.int32, copy=False), indptr.astype(np.int64, copy=False),
                   size, float(avgdl))

    @staticmethod
    def saved_avgdl(folder: Path) -> float | None:
        """The average length an index saved in ``folder`` was computed with (None when it
        cannot be read: an edit then takes the clauses' own)."""
        try:
            value = json.loads((folder / "params.json").read_text(encoding="utf-8"))["avgdl"]
            return float(value) if isinstance(value, (int, float)) and value > 0 else None
        except (OSError, ValueError, KeyError, TypeError):
            return None
