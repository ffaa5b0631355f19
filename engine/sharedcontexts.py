"""Follow-up contexts shared by every worker (and host) through Redis.

With several API workers the next question of a conversation may reach another worker than the
one that answered the last; kept in one process's memory (:class:`~engine.followup.Contexts`),
its context would be missing there and the follow-up read on its own. :class:`SharedContexts`
keeps each conversation's context in Redis instead, as JSON under a hashed key (the
conversation id never reaches Redis in clear) that expires ``ttl`` seconds after it was put.

Redis that cannot be reached at start is a configuration error (nothing falls back to memory).
Redis that goes away later costs follow-ups only: ``get`` answers None (the question is read on
its own), ``put`` keeps nothing; both log an error at most once a minute and count the failure
in ``failures``. An answer is never failed for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from contract.errors import ConfigurationError
from engine.followup import Context
from engine.sharedlimit import redacted, scrubbed

if TYPE_CHECKING:
    from redis import Redis

logger = logging.getLogger(__name__)

NAMESPACE = "policyqa-context"
REPORT_EVERY = 60.0
"""Seconds between two error lines about an unreachable Redis."""


class SharedContexts:
    """The contexts of many conversations in Redis, by conversation key, each expiring ``ttl``
    seconds after it was put (0: follow-ups are off, nothing is kept)."""

    def __init__(self, client: Redis, ttl: float, *, namespace: str = NAMESPACE) -> None:
        if ttl < 0:
            raise ValueError("ttl must be >= 0")
        self.ttl = ttl
        self.failures = 0
        self._client = client
        self._namespace = namespace
        self._lock = threading.Lock()
        self._next_report = 0.0

    @classmethod
    def connect(cls, url: str, ttl: float, timeout: float = 0.5) -> SharedContexts:
        """Contexts in the Redis at ``url``, checked now: ConfigurationError when it does not
        answer. ``timeout`` bounds connecting and each command, in seconds."""
        from redis import Redis
        from redis.exceptions import RedisError

        where = redacted(url)
        try:
            client = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
            client.ping()
        except (RedisError, ValueError) as exc:
            raise ConfigurationError(
                f"cannot reach Redis at {where} (POLICYQA_REDIS_URL) for follow-up contexts: "
                f"{scrubbed(str(exc), url)}") from None
        logger.info("follow-up contexts shared through %s", where)
        return cls(client, ttl)

    def get(self, key: str) -> Context | None:
        """The context of a conversation, None when it has none, it expired or Redis failed."""
        if self.ttl == 0:
            return None
        from redis.exceptions import RedisError

        try:
            kept: Any = self._client.get(self._key(key))  # bytes (a sync client)
        except RedisError as exc:
            self._failed(exc)
            return None
        if kept is None:
            return None
        try:
            return _context(json.loads(kept))
        except (ValueError, TypeError, KeyError):
            logger.warning("a follow-up context in Redis could not be read; it is ignored")
            return None

    def put(self, key: str, context: Context | None) -> None:
        """Keep ``context`` for a conversation for ``ttl`` seconds from now (None forgets the
        one it had)."""
        from redis.exceptions import RedisError

        try:
            if context is None or self.ttl == 0:
                self._client.delete(self._key(key))
            else:
                data = json.dumps(asdict(context) | {"made": 0.0}, ensure_ascii=False)
                self._client.set(self._key(key), data, px=max(1, int(self.ttl * 1000)))
        except RedisError as exc:
            self._failed(exc)

    def _key(self, key: str) -> str:
        return f"{self._namespace}:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self.failures += 1
            now = time.monotonic()
            if now < self._next_report:
                return
            self._next_report = now + REPORT_EVERY
            failures = self.failures
        logger.error("Redis failed for follow-up contexts (%s; %d failures so far): follow-ups "
                     "are read on their own until it answers", type(exc).__name__, failures)


def _context(data: dict[str, Any]) -> Context:
    """A context from its JSON form."""
    return Context(doc_id=str(data["doc_id"]), clause_id=str(data["clause_id"]),
                   units=tuple(str(u) for u in data["units"]),
                   kind=None if data["kind"] is None else str(data["kind"]),
                   question=str(data["question"]))
