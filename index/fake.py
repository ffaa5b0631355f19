"""A small deterministic encoder for unit tests: hashed character bigrams, no model."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np


class HashingEncoder:
    """Bag of hashed character unigrams and bigrams, L2-normalised; same text, same vector."""

    def __init__(self, dim: int = 256, model_id: str = "fake-hashing") -> None:
        self.dim = dim
        self.model_id = model_id

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors of shape (len(texts), dim); ``kind`` does not matter to this encoder."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i: i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                if gram.strip():
                    digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
                    out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        if progress:
            progress(len(texts))
        return out
