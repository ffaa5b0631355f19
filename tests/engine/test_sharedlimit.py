"""Rate limits shared through Redis (a real redis-server) and through ``limits``' memory store."""

from __future__ import annotations

import logging

import pytest

from contract.errors import ConfigurationError
from engine.ratelimit import LimitUnavailable
from engine.sharedlimit import SharedRateLimiter, redacted
from eval.loadtest import free_port
from tests.redisserver import RedisServer


def test_two_limiters_over_one_redis_share_a_client_s_count(redis_server: RedisServer) -> None:
    first = SharedRateLimiter.connect(redis_server.url, 5)
    second = SharedRateLimiter.connect(redis_server.url, 5)  # another worker, another pool
    waits = [(first if i % 2 else second).check("10.0.0.1") for i in range(7)]
    assert waits[:5] == [0.0] * 5
    assert all(55 < w <= 60 for w in waits[5:])  # the oldest of the five leaves in a minute
    assert first.check("10.0.0.2") == 0.0  # clients are separate


def test_no_limit_never_asks_the_store() -> None:
    limiter = SharedRateLimiter.connect("memory://", 0)
    assert not limiter.enabled
    assert all(limiter.check("a") == 0.0 for _ in range(100))


def test_the_memory_store_counts_too() -> None:
    limiter = SharedRateLimiter.connect("memory://", 2)
    assert [limiter.check("a") > 0 for _ in range(3)] == [False, False, True]


def test_redis_down_at_start_is_a_configuration_error_without_the_password() -> None:
    url = f"redis://:s3cret-pass@127.0.0.1:{free_port()}/0"
    with pytest.raises(ConfigurationError) as caught:
        SharedRateLimiter.connect(url, 10)
    message = str(caught.value)
    assert "cannot reach Redis at redis://127.0.0.1:" in message
    assert "Connection refused" in message and "s3cret" not in message


def test_an_unknown_scheme_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="cannot be used"):
        SharedRateLimiter.connect("nosuch://u:pw@host/0", 10)


def test_redis_gone_mid_run_refuses_then_recovers(redis_server: RedisServer,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    limiter = SharedRateLimiter.connect(redis_server.url, 100, clock=lambda: now[0])
    assert limiter.check("a") == 0.0
    redis_server.stop()
    with caplog.at_level(logging.ERROR, logger="engine.sharedlimit"):
        for _ in range(3):
            with pytest.raises(LimitUnavailable):
                limiter.check("a")  # never let through unlimited
    assert len([r for r in caplog.records if "unavailable" in r.message]) == 1  # once a streak
    redis_server.start()
    with pytest.raises(LimitUnavailable):
        limiter.check("a")  # within the back-off the store is not asked again
    now[0] += 1.5
    assert limiter.check("a") == 0.0


def test_redacted() -> None:
    assert redacted("redis://user:pw@cache.local:6380/2?ssl=1") == "redis://cache.local:6380/2"
    assert redacted("rediss://:pw@[::1]:6379") == "rediss://[::1]:6379"
    assert redacted("memory://") == "memory://"
