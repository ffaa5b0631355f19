"""Passage embedding for a build or an edit: each distinct text through the model once, and
none whose vector the index already holds.

The clause and sentence texts of a corpus repeat (the same sentence in two notices, a heading
that is a whole clause): about 4 % of the 61 notices' passages. And when a notice is added, or a
new version of one replaces the old, its unchanged passages already have vectors in the index.
The vectors are the same either way: the encoder gives a text the same vector whatever else is
in its batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from contract.errors import IndexUnavailable
from index.encoder import Encoder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmbedStats:
    """What an embedding step did and how fast."""

    passages: int
    """Vectors asked for."""
    distinct: int
    """Distinct texts among them."""
    reused: int
    """Distinct texts whose vector the index already held."""
    seconds: float
    """Time spent in the model."""

    @property
    def encoded(self) -> int:
        """Texts that went through the model."""
        return self.distinct - self.reused

    @property
    def rate(self) -> float:
        """Passages per second: vectors made, over the time the model took."""
        return self.passages / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        """One line: ``embedded 5213 passages (5001 distinct, 0 reused) in 150.2 s (34.7/s)``."""
        reused = f", {self.reused} reused" if self.reused else ""
        rate = f" ({self.rate:.1f} passages/s)" if self.encoded else ""
        return (f"embedded {self.passages} passages ({self.encoded} encoded, "
                f"{self.passages - self.distinct} repeated{reused}) in {self.seconds:.1f} s{rate}")


def embed_passages(texts: Sequence[str], encoder: Encoder,
                   known: Mapping[str, np.ndarray] | None = None,
                   progress: Callable[[int, int], None] | None = None
                   ) -> tuple[np.ndarray, EmbedStats]:
    """Vectors of shape (len(texts), dim) for passage ``texts``: distinct texts not in ``known``
    are encoded once; ``progress(done, total)`` counts the encoded ones."""
    known = known or {}
    distinct = list(dict.fromkeys(texts))
    todo = [t for t in distinct if t not in known]
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(todo))

    started = time.perf_counter()
    encoded = encoder.encode(todo, "passage", progress=advance) if todo else \
        np.zeros((0, encoder.dim), dtype=np.float32)
    seconds = time.perf_counter() - started
    if encoded.shape != (len(todo), encoder.dim):
        raise IndexUnavailable(f"the encoder returned vectors of shape {encoded.shape}")
    by_text = dict(zip(todo, encoded, strict=True))
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for row, text in enumerate(texts):
        vector = by_text.get(text)
        out[row] = known[text] if vector is None else vector
    stats = EmbedStats(passages=len(texts), distinct=len(distinct),
                       reused=len(distinct) - len(todo), seconds=seconds)
    logger.info("%s", stats.summary())
    return out, stats
