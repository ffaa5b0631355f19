"""Query encoding for a busy server: concurrent questions share one forward pass, and repeated
questions are not encoded twice.

Questions encoded together share the per-call overhead and keep the model's threads busy: on
this project's 2-core machine a batch of eight costs about five single questions. Callers on the
API's worker threads hand their question to one encoding thread, which takes everything waiting
(up to ``max_batch``) and encodes it in one call.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future

import numpy as np

from index.encoder import Encoder

logger = logging.getLogger(__name__)


class BatchingEncoder:
    """Wraps an :class:`Encoder`: batched, cached query encoding; passages pass straight through.

    Vectors are identical to the wrapped encoder's (same model, same prompt, same
    normalisation); only the grouping of calls changes.
    """

    def __init__(self, inner: Encoder, max_batch: int = 16, cache_size: int = 4096) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._max_batch = max_batch
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._waiting: list[tuple[str, Future[np.ndarray]]] = []
        self._worker: threading.Thread | None = None
        self.batches = 0
        """Forward passes made for queries (for the benchmark's report)."""

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors of shape (len(texts), dim); queries go through the cache and the batcher."""
        if kind != "query":
            return self.inner.encode(texts, kind, progress)
        futures: list[Future[np.ndarray]] = []
        with self._lock:
            for text in texts:
                future: Future[np.ndarray] = Future()
                cached = self._cache.get(text)
                if cached is not None:
                    self._cache.move_to_end(text)
                    future.set_result(cached)
                else:
                    self._waiting.append((text, future))
                futures.append(future)
            if self._waiting:
                self._start()
                self._ready.notify()
        out = np.stack([f.result() for f in futures]) if futures else \
            np.zeros((0, self.dim), dtype=np.float32)
        if progress:
            progress(len(texts))
        return out

    def _start(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="query-encoder", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    if not self._ready.wait(timeout=30):
                        self._worker = None  # idle: the next question starts a new thread
                        return
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
            texts = list(dict.fromkeys(text for text, _ in batch))
            try:
                vectors = self.inner.encode(texts, "query")
            except BaseException as exc:  # every waiting caller gets the error, not a hang
                for _, future in batch:
                    future.set_exception(exc)
                continue
            by_text = dict(zip(texts, vectors, strict=True))
            with self._lock:
                self.batches += 1
                for text, vector in by_text.items():
                    self._cache[text] = vector
                    self._cache.move_to_end(text)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            for text, future in batch:
                future.set_result(by_text[text])
