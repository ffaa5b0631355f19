"""The token bucket with a fake clock."""

from __future__ import annotations

from engine.ratelimit import RateLimiter, retry_after


def test_bucket_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one per second, burst of 60
    assert all(limiter.check("a") == 0.0 for _ in range(60))
    wait = limiter.check("a")
    assert 0.9 < wait <= 1.0
    assert limiter.check("b") == 0.0  # clients are separate
    now[0] += 1.0
    assert limiter.check("a") == 0.0


def test_disabled() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled and limiter.check("a") == 0.0


def test_retry_after() -> None:
    assert retry_after(0.2) == "1" and retry_after(2.1) == "3"


def test_the_client_seen_least_recently_is_forgotten() -> None:
    now = [0.0]
    limiter = RateLimiter(1, clock=lambda: now[0], max_clients=2)
    assert limiter.check("busy") == 0.0
    assert limiter.check("other") == 0.0
    assert limiter.check("busy") > 0  # seen again (and limited): the most recent now
    assert limiter.check("new") == 0.0  # a third client: "other" goes, not "busy"
    assert limiter.check("busy") > 0  # still remembered, still limited
