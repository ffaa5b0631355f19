"""Per-client rate limits shared by every worker (and host), kept in Redis by ``limits``.

A moving window: at most ``per_minute`` requests of one client in any 60 seconds, counted by
one Lua script in Redis, so that two workers, or two hosts, share one count per client (each
worker's in-process :class:`~engine.ratelimit.RateLimiter` would let a client through once per
worker).

Redis that cannot be reached at start is a configuration error (:meth:`SharedRateLimiter.connect`
says so; nothing falls back to per-process counting). Redis that goes away later makes
:meth:`~SharedRateLimiter.check` raise :class:`~engine.ratelimit.LimitUnavailable`: the request
cannot be counted, so it is not let through unlimited either. After a failure the store is left
alone for ``backoff`` seconds (each check meanwhile raises at once), so a dead or hanging Redis
costs one timeout per second, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from contract.errors import ConfigurationError
from engine.ratelimit import LimitUnavailable

if TYPE_CHECKING:
    from limits.storage import Storage

logger = logging.getLogger(__name__)

NAMESPACE = "policyqa-api"
"""The first part of every client's key, so that other users of the same Redis never collide."""


def redacted(url: str) -> str:
    """``url`` without its user name and password (``redis://:secret@host:6379/0`` →
    ``redis://host:6379/0``), fit for a log line or an error message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = f"{host}:{parts.port}" if parts.port else host
    if not netloc:
        return f"{parts.scheme}://{parts.path}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class SharedRateLimiter:
    """Allows ``per_minute`` requests per client key in any minute, counted in ``storage``."""

    def __init__(self, per_minute: int, storage: Storage, *, namespace: str = NAMESPACE,
                 backoff: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        from limits import RateLimitItemPerMinute
        from limits.strategies import MovingWindowRateLimiter

        self._item = RateLimitItemPerMinute(max(1, per_minute))
        self._enabled = per_minute > 0
        self._limiter = MovingWindowRateLimiter(storage)
        self._namespace = namespace
        self._backoff = backoff
        self._clock = clock
        self._wall = wall
        self._lock = threading.Lock()
        self._failed_at: float | None = None

    @classmethod
    def connect(cls, url: str, per_minute: int, timeout: float = 0.5,
                clock: Callable[[], float] = time.monotonic) -> SharedRateLimiter:
        """A limiter over the Redis at ``url`` (or any ``limits`` storage URL, e.g.
        ``memory://``), checked now: ConfigurationError when it does not answer.

        ``timeout`` bounds connecting and each command, in seconds; ``clock`` times the
        back-off after a failure.
        """
        from limits.errors import ConfigurationError as LimitsConfigurationError
        from limits.storage import Storage, storage_from_string

        where = redacted(url)
        options: dict[str, float | str | bool] = {"wrap_exceptions": True}
        if urlsplit(url).scheme.startswith(("redis", "rediss", "valkey")):
            options |= {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        try:
            storage = storage_from_string(url, **options)
        except (LimitsConfigurationError, ValueError) as exc:
            raise ConfigurationError(
                f"POLICYQA_REDIS_URL ({where}) cannot be used: {scrubbed(str(exc), url)}") from None
        if not isinstance(storage, Storage):
            raise ConfigurationError(f"POLICYQA_REDIS_URL ({where}) names an asynchronous "
                                     "storage; give redis://host:6379/0")
        reason = _unreachable(storage)
        if reason is not None:
            raise ConfigurationError(
                f"cannot reach Redis at {where} (POLICYQA_REDIS_URL): {scrubbed(reason, url)}; "
                "start it, or unset POLICYQA_REDIS_URL to count each worker's clients in memory")
        logger.info("rate limits shared through %s", where)
        return cls(per_minute, storage, clock=clock)

    @property
    def enabled(self) -> bool:
        """False when the limit is 0 (no limit)."""
        return self._enabled

    def check(self, key: str) -> float:
        """Count one request of ``key``: 0.0 when allowed, else the seconds to wait.

        Raises LimitUnavailable when the store does not answer (or did not, less than
        ``backoff`` seconds ago).
        """
        if not self._enabled:
            return 0.0
        from limits.errors import StorageError

        with self._lock:
            failed_at = self._failed_at
        if failed_at is not None and self._clock() - failed_at < self._backoff:
            raise LimitUnavailable("the shared rate limits are unavailable")
        try:
            if self._limiter.hit(self._item, self._namespace, key):
                wait = 0.0
            else:
                reset, _ = self._limiter.get_window_stats(self._item, self._namespace, key)
                wait = max(0.001, reset - self._wall())
        except (StorageError, OSError) as exc:
            with self._lock:
                first = self._failed_at is None
                self._failed_at = self._clock()
            if first:
                logger.error("the shared rate limits are unavailable (%s); requests are refused "
                             "with 503 until the store answers again", _reason(exc))
            raise LimitUnavailable("the shared rate limits are unavailable") from exc
        with self._lock:
            if self._failed_at is not None:
                self._failed_at = None
                logger.warning("the shared rate limits are available again")
        return wait


def _unreachable(storage: Storage) -> str | None:
    """Why ``storage`` does not answer, or None when it does."""
    connection = getattr(storage, "get_connection", None)
    try:
        if connection is not None:
            connection().ping()
            return None
        return None if storage.check() else "it does not answer"
    except Exception as exc:  # any failure to answer is the reason given
        return _reason(exc)


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "storage_error", None)  # limits wraps the client's error
    cause = inner if isinstance(inner, BaseException) else exc
    return f"{type(cause).__name__}: {str(cause).rstrip('.')}"


def scrubbed(text: str, url: str) -> str:
    """``text`` with the URL's password and the URL itself taken out, in case a client's
    message quotes them."""
    password = urlsplit(url).password
    text = text.replace(url, redacted(url))
    return text.replace(password, "***") if password else text
