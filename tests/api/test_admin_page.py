"""The admin page over HTTP: sign in with the key, upload with a preview before anything is
indexed, activate, change a status, remove; bad uploads change nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from corpus.document import Document
from policyqa.runtime import ServiceEditor
from tests.conftest import GOVCN, build_fake, fake_service
from tests.corpus.formats import to_html

KEY = "page-s3cret"
NUMBER = "国办发〔2019〕6号"  # 政府性融资担保基金: nothing like it in the Fujian notice


@pytest.fixture()
def served(tmp_path: Path, fujian: Document) -> Iterator[tuple[FastAPI, TestClient]]:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    app = create_app([fake_service(folder)].pop, admin_key=KEY, editor=ServiceEditor(folder), rebuild=lambda s: s,
                     rate_limit_per_minute=0)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield app, client


def notice_page() -> bytes:
    record = next(r for line in GOVCN.read_text(encoding="utf-8").splitlines()
                  if (r := json.loads(line))["num"] == NUMBER)
    return to_html(record["text"], title=record["title"], issuer=record["office"])


def sign_in(client: TestClient) -> str:
    """Sign in and return the form token of the session."""
    response = client.post("/admin/login", data={"key": KEY}, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/admin" in cookie
    return csrf_of(client.get("/admin"))


def csrf_of(page: Any) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def upload(client: TestClient, csrf: str, name: str, data: bytes) -> Any:
    return client.post("/admin/upload", data={"csrf": csrf}, files={"file": (name, data)},
                       follow_redirects=False)


def doc_ids(app: FastAPI) -> list[str]:
    return [d.doc_id for d in app.state.service.documents]


def test_the_page_needs_the_key(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    page = client.get("/admin")
    assert page.status_code == 200 and 'type="password"' in page.text
    assert "fujian" not in page.text  # nothing about the index before signing in
    assert client.post("/admin/login", data={"key": "wrong"}).status_code == 403
    forged = client.post("/admin/documents/fujian_2021_fangguanfu/remove", data={"csrf": "0"})
    assert forged.status_code == 403
    csrf = sign_in(client)
    assert client.post("/admin/documents/fujian_2021_fangguanfu/remove",
                       data={"csrf": "0" * 32}).status_code == 403  # a stale or forged form
    client.cookies.clear()
    client.cookies.set("policyqa_admin", "99999999999.0000")
    assert 'type="password"' in client.get("/admin").text  # a forged cookie is no session
    assert client.post("/admin/upload", data={"csrf": csrf},
                       files={"file": ("a.txt", b"x")}).status_code == 403
    assert doc_ids(app) == ["fujian_2021_fangguanfu"]


def test_upload_preview_activate_status_remove(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    csrf = sign_in(client)
    home = client.get("/admin")
    assert "Content-Security-Policy" in home.headers and "<script" not in home.text
    assert "fujian_2021_fangguanfu" in home.text and "省级" in home.text

    staged = upload(client, csrf, "guarantee.html", notice_page())
    assert staged.status_code == 303
    preview = client.get(staged.headers["location"])
    assert "guarantee" in preview.text and "政府性融资担保" in preview.text
    assert "国务院办公厅" in preview.text and "国家" in preview.text  # issuer, level
    assert re.search(r"<dt>条款</dt><dd>\d+</dd>", preview.text)
    assert doc_ids(app) == ["fujian_2021_fangguanfu"]  # previewed, not indexed

    token = staged.headers["location"].rsplit("/", 1)[-1]
    done = client.post(f"/admin/uploads/{token}/activate", data={"csrf": csrf},
                       follow_redirects=False)
    assert done.status_code == 303 and "msg=added" in done.headers["location"]
    assert doc_ids(app) == ["fujian_2021_fangguanfu", "guarantee"]
    assert "已启用" in client.get(done.headers["location"]).text
    again = client.post(f"/admin/uploads/{token}/activate", data={"csrf": csrf},
                        follow_redirects=False)
    assert "msg=expired" in again.headers["location"]  # a token activates once

    hits = client.get("/v1/search", params={"q": "政府性融资担保基金的担保费率"}).json()
    assert hits[0]["doc_id"] == "guarantee"

    changed = client.post("/admin/documents/guarantee/status",
                          data={"csrf": csrf, "status": "废止"}, follow_redirects=False)
    assert changed.status_code == 303
    assert {d.doc_id: d.status for d in app.state.service.documents}["guarantee"] == "废止"
    assert 'class="status-废止"' in client.get("/admin").text
    hits = client.get("/v1/search", params={"q": "政府性融资担保基金的担保费率"}).json()
    assert "guarantee" not in {h["doc_id"] for h in hits}  # repealed: never cited as current

    removed = client.post("/admin/documents/guarantee/remove", data={"csrf": csrf},
                          follow_redirects=False)
    assert removed.status_code == 303 and "msg=removed" in removed.headers["location"]
    assert doc_ids(app) == ["fujian_2021_fangguanfu"]


def test_uploading_the_same_notice_again_changes_nothing(
        served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    csrf = sign_in(client)
    first = upload(client, csrf, "guarantee.html", notice_page()).headers["location"]
    client.post(first + "/activate", data={"csrf": csrf})
    service = app.state.service
    second = upload(client, csrf, "guarantee.html", notice_page()).headers["location"]
    done = client.post(second + "/activate", data={"csrf": csrf}, follow_redirects=False)
    assert "msg=unchanged" in done.headers["location"]
    assert app.state.service is service


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.pdf", b"", "the file is empty"),
    ("scan.pdf", b"%PDF-1.4 garbage", "damaged or unreadable PDF"),
    ("nav.html", b"<html><body><nav>menu</nav></body></html>", "no article"),
    ("sheet.xlsx", b"PK\x03\x04", "unsupported file type"),
])
def test_a_bad_upload_is_refused_in_one_line(served: tuple[FastAPI, TestClient], name: str,
                                             data: bytes, message: str) -> None:
    app, client = served
    csrf = sign_in(client)
    response = upload(client, csrf, name, data)
    assert response.status_code == 400
    assert message in response.text
    assert doc_ids(app) == ["fujian_2021_fangguanfu"]


def test_a_100_mb_upload_gets_413(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    csrf = sign_in(client)
    boundary = "policyqa-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"huge.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()

    def body() -> Iterator[bytes]:
        yield head
        chunk = b"%" * (1024 * 1024)
        for _ in range(100):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post("/admin/upload", content=body(),
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413
    assert doc_ids(app) == ["fujian_2021_fangguanfu"]


def test_the_upload_api_previews_then_adds(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    key = {"X-API-Key": KEY}
    files = {"file": ("guarantee.html", notice_page(), "text/html")}
    assert client.post("/v1/admin/documents", files=files).status_code == 401
    seen = client.post("/v1/admin/documents", params={"preview": "true"}, files=files,
                       headers=key)
    assert seen.status_code == 200
    (described,) = seen.json()["documents"]
    assert described["doc_id"] == "guarantee" and described["number"] == NUMBER
    assert described["level"] == "national" and described["clauses"] > 20
    assert seen.json()["result"] is None and doc_ids(app) == ["fujian_2021_fangguanfu"]

    added = client.post("/v1/admin/documents", files=files, headers=key).json()
    assert added["result"]["changes"] == [{"doc_id": "guarantee", "action": "added",
                                           "detail": ""}]
    assert doc_ids(app) == ["fujian_2021_fangguanfu", "guarantee"]
    again = client.post("/v1/admin/documents", files=files, headers=key).json()
    assert again["result"]["status"] == "unchanged"

    bad = client.post("/v1/admin/documents", files={"file": ("x.pdf", b"")}, headers=key)
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert "the file is empty" in bad.json()["detail"]


def test_405_names_every_method_of_the_path(served: tuple[FastAPI, TestClient]) -> None:
    _, client = served
    response = client.patch("/v1/admin/documents")  # GET and POST live on two routers
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_error_pages_are_pages(served: tuple[FastAPI, TestClient]) -> None:
    _, client = served
    wrong = client.post("/admin/login", data={"key": "wrong"})
    assert wrong.status_code == 403 and wrong.headers["content-type"].startswith("text/html")
    assert "管理密钥不正确" in wrong.text
    csrf = sign_in(client)
    bad = upload(client, csrf, "empty.pdf", b"")
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "the file is empty" in bad.text


def test_an_activation_refused_while_busy_can_be_tried_again(
        served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    csrf = sign_in(client)
    preview = upload(client, csrf, "guarantee.html", notice_page()).headers["location"]
    with app.state.reindexing:  # another change of the index is running
        busy = client.post(preview + "/activate", data={"csrf": csrf}, follow_redirects=False)
    assert busy.status_code == 409 and "another change of the index is running" in busy.text
    assert client.get(preview).status_code == 200  # the preview is still there
    done = client.post(preview + "/activate", data={"csrf": csrf}, follow_redirects=False)
    assert "msg=added" in done.headers["location"]
    assert doc_ids(app) == ["fujian_2021_fangguanfu", "guarantee"]
