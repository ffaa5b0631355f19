"""The guard with a limiter given to create_app: shared counts, and a store that is gone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from engine.ratelimit import LimitUnavailable
from engine.service import PolicyQA
from engine.sharedlimit import SharedRateLimiter
from index.store import LoadedIndex
from tests.conftest import fake_service


@pytest.fixture(scope="module")
def runtime(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


class GoneStore:
    """A limiter whose store does not answer."""

    enabled = True

    def check(self, key: str) -> float:
        raise LimitUnavailable("the shared rate limits are unavailable")


def test_a_given_limiter_counts_off_the_event_loop(runtime: PolicyQA) -> None:
    app = create_app(lambda: runtime, limiter=SharedRateLimiter.connect("memory://", 2))
    with TestClient(app) as client:
        statuses = [client.get("/v1/documents").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert client.get("/healthz").status_code == 200  # probes are never counted


def test_a_store_that_is_gone_refuses_with_503_and_counts_it(runtime: PolicyQA) -> None:
    with TestClient(create_app(lambda: runtime, limiter=GoneStore())) as client:
        refused = client.get("/v1/documents")
        assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["title"] == "Rate limit unavailable"
        assert client.get("/readyz").status_code == 200  # not limited, so not refused
        assert "policyqa_ratelimit_unavailable_total 1.0" in client.get("/metrics").text


def test_the_worker_token_is_sent_only_when_given(runtime: PolicyQA) -> None:
    with TestClient(create_app(lambda: runtime, worker="a1b2c3d4")) as client:
        assert client.get("/healthz").headers["x-worker"] == "a1b2c3d4"
    with TestClient(create_app(lambda: runtime)) as client:
        assert "x-worker" not in client.get("/healthz").headers
