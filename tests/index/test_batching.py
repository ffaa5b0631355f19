"""The batching, caching query encoder: same vectors, fewer forward passes, errors not swallowed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.batching import BatchingEncoder
from index.fake import HashingEncoder


class _Slow(HashingEncoder):
    """A fake whose forward pass takes a while and is counted."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.calls: list[list[str]] = []
        self.fail = fail
        self.gate = threading.Event()

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.calls.append(list(texts))
        self.gate.wait(timeout=5)
        if self.fail:
            raise RuntimeError("model crashed")
        return super().encode(texts, kind, progress)


def test_vectors_are_the_inner_encoders() -> None:
    inner = HashingEncoder()
    batching = BatchingEncoder(inner)
    texts = ["养老机构还需要许可吗", "网上开店要办执照吗", "养老机构还需要许可吗"]
    assert np.array_equal(batching.encode(texts, "query"), inner.encode(texts, "query"))
    assert batching.encode([], "query").shape == (0, inner.dim)
    assert (batching.model_id, batching.dim) == (inner.model_id, inner.dim)


def test_concurrent_questions_share_forward_passes_and_repeats_are_cached() -> None:
    inner = _Slow()
    batching = BatchingEncoder(inner, max_batch=16)
    questions = [f"问题{i}" for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(batching.encode, [q], "query") for q in questions]
        threading.Timer(0.3, inner.gate.set).start()  # let the others queue behind the first
        vectors = [f.result(timeout=10) for f in futures]
    assert len(inner.calls) == 2  # the first, then all that queued behind it
    assert sum(len(c) for c in inner.calls) == 8
    for q, v in zip(questions, vectors, strict=True):
        assert np.array_equal(v[0], HashingEncoder().encode([q], "query")[0])
    batching.encode(questions, "query")
    assert len(inner.calls) == 2  # all cached now


def test_passages_are_not_batched_or_cached() -> None:
    inner = _Slow()
    inner.gate.set()
    batching = BatchingEncoder(inner)
    batching.encode(["条款"], "passage")
    batching.encode(["条款"], "passage")
    assert inner.calls == [["条款"], ["条款"]]


def test_cache_is_bounded() -> None:
    inner = _Slow()
    inner.gate.set()
    batching = BatchingEncoder(inner, cache_size=2)
    for text in ["a", "b", "c", "a"]:
        batching.encode([text], "query")
    assert [c[0] for c in inner.calls] == ["a", "b", "c", "a"]  # "a" was evicted by "c"


def test_errors_reach_every_caller() -> None:
    inner = _Slow(fail=True)
    inner.gate.set()
    batching = BatchingEncoder(inner)
    with pytest.raises(RuntimeError, match="model crashed"):
        batching.encode(["问题"], "query")
    inner.fail = False
    assert batching.encode(["问题"], "query").shape == (1, inner.dim)  # not poisoned
