"""`/widget.js` and the demo page through the ASGI client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import get_args

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.widget import STATIC
from index.store import LoadedIndex
from tests.conftest import fake_service
from usage.record import MAX_COMMENT, REASON_LABELS, Reason


@pytest.fixture(scope="module")
def client(fake_index: LoadedIndex) -> Iterator[TestClient]:
    runtime = fake_service(fake_index)
    with TestClient(create_app(lambda: runtime, rate_limit_per_minute=1000)) as test_client:
        yield test_client


def test_widget_script_is_small_cacheable_and_revalidated(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "max-age=" in response.headers["cache-control"]
    assert len(response.content) < 40 * 1024
    assert response.content == (STATIC / "widget.js").read_bytes()
    etag = response.headers["etag"]
    again = client.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    assert client.get("/widget.js", headers={"If-None-Match": '"other"'}).status_code == 200


def test_widget_script_uses_no_html_sinks() -> None:
    """API text reaches the page only as text nodes (the browser tests show it end to end)."""
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", source)


def test_widget_feedback_reasons_are_the_logs() -> None:
    """The widget's 没帮助 reasons are the question log's, in its order, with its Chinese labels;
    its comment box holds what the service accepts."""
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    codes = re.search(r"var REASONS = \[([^\]]*)\]", source)
    labels = re.search(r'reasons: \[("答非所问"[^\]]*)\]', source)
    assert codes and labels
    assert re.findall(r'"(\w+)"', codes.group(1)) == list(get_args(Reason)) == list(REASON_LABELS)
    assert re.findall(r'"([^"]+)"', labels.group(1)) == list(REASON_LABELS.values())
    assert f'maxlength: "{MAX_COMMENT}"' in source and f".slice(0, {MAX_COMMENT})" in source


def test_demo_page_embeds_the_widget_under_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and f'nonce="{nonce.group(1)}"' in page.text
    base = "http://testserver"
    assert f'<script src="{base}/widget.js" data-api="{base}" async></script>' in page.text
    assert "&lt;script src=&quot;http://testserver/widget.js&quot;" in page.text  # the snippet
    assert "fujian_2021_fangguanfu" in page.text
    assert "{{" not in page.text
    assert client.get("/").headers["content-security-policy"] != policy  # a fresh nonce


def test_suggestions_are_answered_questions(client: TestClient) -> None:
    body = client.get("/v1/suggestions").json()
    assert 1 <= len(body["questions"]) <= 4
    for question in body["questions"]:
        assert client.post("/v1/ask", json={"question": question}).json()["status"] == "answered"


def test_api_docs_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "cdn" not in page.text and "https://" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "docs.js"):
        response = client.get(f"/docs/assets/{asset}")
        assert response.status_code == 200 and response.headers["etag"]
    assert client.get("/docs/assets/../main.py").status_code == 404
    assert client.get("/redoc").status_code == 404
