"""Lexical retrieval: BM25 (bm25s) over jieba tokens, saved without pickle."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


class BM25Index:
    """BM25 scores of every document for a weighted bag of query tokens."""

    def __init__(self, retriever: Any, size: int) -> None:
        self._retriever = retriever
        self.size = size
        self._idf: dict[str, float] = {}

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]]) -> BM25Index:
        """Index one token list per document."""
        import bm25s

        retriever = bm25s.BM25()
        retriever.index([list(tokens) for tokens in documents], show_progress=False)
        return cls(retriever, len(documents))

    def scores(self, weighted: Sequence[tuple[str, float]]) -> np.ndarray:
        """Σ weight × BM25(token) for every document; unknown tokens score nothing. Read from
        each token's postings (the documents that have it), not a pass over every document
        per token."""
        total = np.zeros(self.size, dtype=np.float32)
        matrix = self._retriever.scores
        vocab = self._retriever.vocab_dict
        for token, weight in weighted:
            token_id = vocab.get(token) if token else None
            if token_id is None:
                continue
            start, end = int(matrix["indptr"][token_id]), int(matrix["indptr"][token_id + 1])
            # A document appears once in a token's postings, so the fancy-index add is exact.
            total[matrix["indices"][start:end]] += \
                np.float32(weight) * matrix["data"][start:end].astype(np.float32, copy=False)
        return total

    def knows(self, token: str) -> bool:
        """True when ``token`` occurs somewhere in the indexed clauses."""
        return bool(token) and token in self._retriever.vocab_dict

    def idf(self, token: str) -> float:
        """How rare ``token`` is among the clauses (BM25's idf; the highest for an unknown one)."""
        known = self._idf.get(token)
        if known is None:
            found = self._frequency(token)
            known = self._idf[token] = float(np.log(1 + (self.size - found + 0.5) / (found + 0.5)))
        return known

    def _frequency(self, token: str) -> int:
        """How many documents have ``token``: the length of its postings (with a non-zero
        score), not a pass over every document."""
        token_id = self._retriever.vocab_dict.get(token) if token else None
        indptr = self._retriever.scores["indptr"]
        if token_id is None or token_id + 1 >= len(indptr):
            return 0
        start, end = int(indptr[token_id]), int(indptr[token_id + 1])
        return int(np.count_nonzero(self._retriever.scores["data"][start:end]))

    def weights(self) -> list[dict[str, float]]:
        """Per document, each token's BM25 score in it (idf and length normalisation included):
        what a sparse-vector store multiplies the query's token weights with."""
        matrix = self._retriever.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        names = {i: t for t, i in self._retriever.vocab_dict.items()}
        found: list[dict[str, float]] = [{} for _ in range(self.size)]
        for token_id in range(len(indptr) - 1):
            token = names.get(token_id)
            if token is None or not token:
                continue
            for j in range(int(indptr[token_id]), int(indptr[token_id + 1])):
                found[int(indices[j])][token] = float(data[j])
        return found

    def matchable(self, documents: int | None = None) -> int:
        """How many of the first ``documents`` (all by default) have a token to match."""
        matrix = self._retriever.scores
        indices, indptr = matrix["indices"], matrix["indptr"]
        empty = self._retriever.vocab_dict.get("")
        keep = np.ones(len(indices), dtype=bool)
        if empty is not None and empty + 1 < len(indptr):  # bm25s keeps "" last, unposted
            keep[int(indptr[empty]):int(indptr[empty + 1])] = False
        found = np.unique(indices[keep])
        limit = self.size if documents is None else documents
        return int((found < limit).sum())

    def save(self, folder: Path) -> None:
        """Write the index as JSON and .npy arrays (no pickle)."""
        self._retriever.save(str(folder), allow_pickle=False, show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> BM25Index:
        """Read an index written by :meth:`save`."""
        import bm25s

        retriever = bm25s.BM25.load(str(folder), allow_pickle=False, show_progress=False)
        return cls(retriever, size)
