"""In-process latency of each operation (``policyqa bench``): one question at a time, after a
warm-up. The operations take turns on each question, so that a drift in the machine's speed
(this VM's drifts by a third from one minute to the next) weighs on all of them alike and their
ratios hold."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence

from engine.service import PolicyQA
from eval.metrics import percentile


def bench(service: PolicyQA, questions: Sequence[str], rounds: int = 2) -> dict[str, list[float]]:
    """Milliseconds per call of each operation, over ``rounds`` passes of ``questions``."""
    calls: dict[str, Callable[[str], object]] = {
        "encode (query)": lambda q: service.encoder.encode([q], "query"),
        "search (hybrid)": lambda q: service.search(q, k=5),
        "search (bm25)": lambda q: service.search(q, k=5, mode="bm25"),
        "ask": lambda q: service.ask(q)}
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for question in questions[:30]:  # warm up: the first calls pay for lazy allocation
        for call in calls.values():
            call(question)
    for _ in range(max(1, rounds)):
        for question in questions:
            for name, call in calls.items():
                started = time.perf_counter()
                call(question)
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def report(timings: dict[str, list[float]]) -> str:
    """p50, p95 and rate per operation, the ask/encoder ratio and peak memory."""
    lines = []
    for name, values in timings.items():
        total_s = sum(values) / 1000
        lines.append(f"{name:16s} p50 {percentile(values, 50):6.1f} ms   "
                     f"p95 {percentile(values, 95):6.1f} ms   {len(values) / total_s:6.1f} per second")
    ratio = percentile(timings["ask"], 50) / percentile(timings["encode (query)"], 50)
    lines.append(f"ask p50 / encoder p50 = {ratio:.2f}  (a whole answer, as a multiple of "
                 "embedding the question)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"peak memory (RSS) {rss_mb:.0f} MB")
    return "\n".join(lines)
