"""Per-client rate limits, answered by 429 + Retry-After: the :class:`Limiter` interface, and
the in-process token bucket (a steady rate with a small burst) that is the default.

Limits shared between processes (Redis) are :class:`engine.sharedlimit.SharedRateLimiter`.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class Limiter(Protocol):
    """What the API's guard asks of a rate limiter."""

    @property
    def enabled(self) -> bool:
        """False when there is no limit."""
        ...

    def check(self, key: str) -> float:
        """Count one request of ``key``: 0.0 when allowed, else the seconds to wait.

        Raises :class:`LimitUnavailable` when the count cannot be kept (its store is gone).
        """
        ...


class LimitUnavailable(RuntimeError):
    """The shared store of the rate limits cannot be reached: the request cannot be counted."""


class RateLimiter:
    """Allows ``per_minute`` requests per client key, refilled continuously."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000) -> None:
        self._rate = per_minute / 60.0
        self._capacity = float(max(1, per_minute))
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_clients = max_clients

    @property
    def enabled(self) -> bool:
        """False when the limit is 0 (no limit)."""
        return self._rate > 0

    def check(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when allowed, else the seconds to wait."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self._capacity, now))
            tokens = min(self._capacity, tokens + (now - last) * self._rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            self._buckets.move_to_end(key)
            if len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)  # forget the client seen least recently
            return 0.0 if allowed else (1.0 - tokens) / self._rate


def retry_after(seconds: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
