"""The HTTP API through the ASGI client, with the fake-encoder runtime."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.deps import get_service
from api.main import create_app
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.conftest import fake_service


@pytest.fixture(scope="module")
def runtime(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


@pytest.fixture()
def client(runtime: PolicyQA) -> Iterator[TestClient]:
    app = create_app(lambda: runtime, cors_origins=["https://portal.example.gov.cn"],
                     rate_limit_per_minute=1000, max_body_bytes=2048)
    with TestClient(app) as test_client:
        yield test_client


def test_ask(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "answered" and answer["verdict"] == "no"
    assert answer["citations"][0]["clause_id"] == "7.1"
    assert response.headers["x-request-id"]


def test_ask_not_found_and_doc_filter(client: TestClient) -> None:
    assert client.post("/v1/ask", json={"question": "福州地铁晚上几点停运"}).json()["status"] \
        == "not_found"
    missing = client.post("/v1/ask", json={"question": "养老", "doc_id": "nope"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("body", [
    {"question": ""}, {"question": "   "}, {"question": "问" * 501}, {}, {"question": 3},
    {"question": "养老", "top_k": 0}, {"question": "养老", "extra": 1},
])
def test_ask_validation(client: TestClient, body: dict[str, object]) -> None:
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] == "Invalid request" and problem["detail"]
    assert response.headers["content-type"] == "application/problem+json"


def test_body_limit(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b'{"question": "' + b"a" * 5000 + b'"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["title"] == "Request body too large"


def test_not_json(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b"\x00\x01", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_search(client: TestClient) -> None:
    hits = client.get("/v1/search", params={"q": "养老机构设立许可", "k": 3}).json()
    assert hits[0]["clause_id"] == "7.1" and hits[0]["rank"] == 1 and hits[0]["sentences"]
    assert client.get("/v1/search", params={"q": ""}).status_code == 422
    assert client.get("/v1/search", params={"q": "养老", "k": 0}).status_code == 422


def test_documents_clauses_units(client: TestClient) -> None:
    (document,) = client.get("/v1/documents").json()
    assert document["doc_id"] == "fujian_2021_fangguanfu" and document["clauses"] == 78
    clause = client.get("/v1/documents/fujian_2021_fangguanfu/clauses/7.1").json()
    assert clause["label"] == "七、（一）创新养老和医疗服务供给" and clause["links"] == ["A6.1", "A6.2"]
    assert client.get("/v1/documents/fujian_2021_fangguanfu/clauses/99").status_code == 404
    assert client.get("/v1/documents/nope/clauses/7.1").status_code == 404
    units = {u["name"]: u for u in client.get("/v1/units").json()}
    assert "fujian_2021_fangguanfu:A6.3" in units["省民政厅"]["leads"]
    assert "fujian_2021_fangguanfu:7.1" in units["省民政厅"]["shares"]


def test_service_endpoints(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["manifest"]["counts"]["clauses"] == 78
    client.post("/v1/ask", json={"question": "福州地铁晚上几点停运"})
    metrics = client.get("/metrics").text
    assert "policyqa_requests_total" in metrics and "policyqa_refusals_total 1.0" in metrics


def test_unknown_path_is_problem_json(client: TestClient) -> None:
    response = client.get("/v2/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_cors_allow_list(client: TestClient) -> None:
    allowed = client.get("/healthz", headers={"Origin": "https://portal.example.gov.cn"})
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example.gov.cn"
    other = client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers


def test_rate_limit(runtime: PolicyQA) -> None:
    app = create_app(lambda: runtime, rate_limit_per_minute=2)
    with TestClient(app) as client:
        statuses = [client.get("/v1/documents").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = client.get("/v1/documents")
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["title"] == "Too many requests"
        assert client.get("/healthz").status_code == 200  # probes are never limited


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/search", "/v1/documents", "/v1/documents/{doc_id}/clauses/{clause_id}",
            "/v1/units", "/healthz", "/readyz", "/metrics"} <= set(paths)


def test_reindex_needs_the_key_and_swaps(runtime: PolicyQA, tmp_path, fujian, govcn) -> None:  # type: ignore[no-untyped-def]
    import threading

    from tests.conftest import build_fake

    def rebuild(current: PolicyQA) -> PolicyQA:
        folder = tmp_path / "index"
        build_fake([fujian, govcn["国发〔2018〕39号"]], folder)
        return fake_service(folder)

    app = create_app(lambda: runtime, rebuild=rebuild, admin_key="s3cret",
                     rate_limit_per_minute=0)
    with TestClient(app) as client:
        assert client.post("/v1/admin/reindex").status_code == 401
        assert client.post("/v1/admin/reindex", headers={"X-API-Key": "nope"}).status_code == 403
        statuses: list[int] = []
        stop = threading.Event()

        def load() -> None:  # requests keep flowing while the index is rebuilt
            while not stop.is_set():
                statuses.append(client.post("/v1/ask", json={"question": "养老机构设立许可"}).status_code)

        worker = threading.Thread(target=load)
        worker.start()
        done = client.post("/v1/admin/reindex", headers={"X-API-Key": "s3cret"})
        stop.set()
        worker.join()
        assert done.status_code == 200 and done.json()["counts"]["documents"] == 2
        assert statuses and set(statuses) == {200}
        assert len(client.get("/v1/documents").json()) == 2


def test_failed_reindex_keeps_the_old_index(runtime: PolicyQA) -> None:
    def broken(current: PolicyQA) -> PolicyQA:
        raise RuntimeError("disk full")

    app = create_app(lambda: runtime, rebuild=broken, admin_key="k")
    with TestClient(app) as client:
        failed = client.post("/v1/admin/reindex", headers={"X-API-Key": "k"})
        assert failed.status_code == 500 and "previous index is still served" in failed.json()["detail"]
        assert len(client.get("/v1/documents").json()) == 1


def test_admin_disabled_without_key(runtime: PolicyQA) -> None:
    with TestClient(create_app(lambda: runtime)) as client:
        assert client.post("/v1/admin/reindex", headers={"X-API-Key": "x"}).status_code == 404


def test_access_log_carries_the_request_id(client: TestClient,
                                           caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.middleware"):
        response = client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    (record,) = [r for r in caplog.records if getattr(r, "request_id", None) == "trace-42"]
    assert record.status == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["\x1e", "\x85 ", "\ufeff", "\x01\t"])
def test_control_or_space_only_questions_are_invalid_by_the_schema(client: TestClient,
                                                                   text: str) -> None:
    """What str.strip() empties is refused by the pattern the schema publishes, not later."""
    search = client.get("/v1/search", params={"q": text})
    ask = client.post("/v1/ask", json={"question": text})
    assert search.status_code == ask.status_code == 422
    assert "the question is empty" in search.json()["detail"]
    assert "the question is empty" in ask.json()["detail"]


PORTAL = "https://portal.example.gov.cn"


def _cors_ok(response: Any) -> None:
    assert response.headers["access-control-allow-origin"] == PORTAL
    exposed = {h.strip().lower() for h in
               response.headers["access-control-expose-headers"].split(",")}
    assert {"retry-after", "x-request-id"} <= exposed


def test_every_response_to_an_allowed_origin_carries_cors(runtime: PolicyQA) -> None:
    app = create_app(lambda: runtime, cors_origins=[PORTAL], rate_limit_per_minute=1,
                     max_body_bytes=64)
    with TestClient(app, raise_server_exceptions=False) as client:
        first = client.get("/v1/documents", headers={"Origin": PORTAL})
        limited = client.get("/v1/documents", headers={"Origin": PORTAL})
        assert (first.status_code, limited.status_code) == (200, 429)
        _cors_ok(limited)
        assert limited.headers["retry-after"] and limited.headers["x-request-id"]
    app = create_app(lambda: runtime, cors_origins=[PORTAL], rate_limit_per_minute=0,
                     max_body_bytes=64)
    with TestClient(app, raise_server_exceptions=False) as client:
        too_big = client.post("/v1/ask", json={"question": "问" * 100}, headers={"Origin": PORTAL})
        assert too_big.status_code == 413
        _cors_ok(too_big)
        app.state.service = None  # a route that crashes: the runtime is gone
        app.dependency_overrides[get_service] = lambda: object()
        crashed = client.get("/v1/units", headers={"Origin": PORTAL})
        assert crashed.status_code == 500
        assert crashed.headers["content-type"] == "application/problem+json"
        _cors_ok(crashed)


def test_preflights_are_never_rate_limited(runtime: PolicyQA) -> None:
    app = create_app(lambda: runtime, cors_origins=[PORTAL], rate_limit_per_minute=1)
    preflight = {"Origin": PORTAL, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    with TestClient(app) as client:
        assert [client.options("/v1/ask", headers=preflight).status_code
                for _ in range(5)] == [200] * 5
        assert client.post("/v1/ask", json={"question": "养老机构设立许可"},
                           headers={"Origin": PORTAL}).status_code == 200  # still has its token
        refused = client.options("/v1/ask", headers={**preflight, "Origin": "https://evil.example"})
        assert refused.status_code == 400
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == "Disallowed CORS origin"


def test_a_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(10):
            yield b"a" * 500
        yield b'"}'

    response = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["title"] == "Request body too large"
    small = client.post("/v1/ask", content=iter([b'{"question": ', b'"\\u517b\\u8001"}']),
                        headers={"content-type": "application/json"})
    assert small.status_code == 200


def test_405_names_the_allowed_methods(client: TestClient) -> None:
    response = client.delete("/v1/ask")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.headers["content-type"] == "application/problem+json"


def test_invalid_utf8_is_a_documented_400(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b'{"question": "\xff\xfe"}',
                           headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"
    operation = client.get("/openapi.json").json()["paths"]["/v1/ask"]["post"]
    assert "400" in operation["responses"]


@pytest.mark.parametrize("text", ["\u200b", "\u202e\u200b", "\u2060 \ufeff", "\u00ad"])
def test_invisible_questions_are_invalid(client: TestClient, text: str) -> None:
    assert client.post("/v1/ask", json={"question": text}).status_code == 422
    assert client.get("/v1/search", params={"q": text}).status_code == 422


def test_the_length_limit_applies_after_trimming(client: TestClient) -> None:
    padded = " " * 40 + "养" * 500 + "\n" * 40
    assert client.post("/v1/ask", json={"question": padded}).status_code == 200
    assert client.post("/v1/ask", json={"question": "养" * 501}).status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AskRequest"]
    patterns = [p["pattern"] for p in schema["properties"]["question"]["allOf"]]
    assert all(re.search(p, padded) for p in patterns)
    assert not all(re.search(p, "养" * 501) for p in patterns)


@pytest.mark.parametrize("given", ["x" * 30_000, "abc status=500 client=1.2.3.4", "a\tb", ""])
def test_unsafe_request_ids_are_replaced(client: TestClient, given: str,
                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.middleware"):
        response = client.get("/healthz", headers={"X-Request-ID": given})
    rid = response.headers["x-request-id"]
    assert rid != given and re.fullmatch(r"[0-9a-f]{16}", rid)
    assert all(given not in r.getMessage() + str(getattr(r, "request_id", ""))
               for r in caplog.records) or not given
