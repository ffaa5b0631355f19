"""The admin API's document edits: list, remove, set a status, and add (for the upload route),
behind the key, on one lock, swapped in with one assignment."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes import admin
from api.routes.admin import EditResult
from corpus.document import Document
from engine.service import PolicyQA
from index.edit import EditReport
from policyqa.runtime import ServiceEditor
from tests.conftest import build_fake, fake_service

KEY = {"X-API-Key": "s3cret"}


@pytest.fixture()
def docs(fujian: Document, govcn: dict[str, Document]) -> list[Document]:
    return [fujian, govcn["国发〔2018〕39号"], govcn["国办发〔2019〕6号"]]


@pytest.fixture()
def served(tmp_path: Path, docs: list[Document]) -> Iterator[tuple[FastAPI, TestClient]]:
    folder = tmp_path / "index"
    build_fake(docs[:2], folder)
    app = create_app([fake_service(folder)].pop, admin_key="s3cret", editor=ServiceEditor(folder),
                     rebuild=lambda current: current, rate_limit_per_minute=0)

    async def upload(request: Request) -> EditResult:  # what the upload route will do
        return await admin.add_documents(request, [docs[2]])

    app.add_api_route("/test/add", upload, methods=["POST"])
    with TestClient(app) as client:
        yield app, client


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/v1/admin/documents", None),
    ("DELETE", "/v1/admin/documents/gf-2018-39", None),
    ("PUT", "/v1/admin/documents/gf-2018-39/status", {"status": "废止"}),
])
def test_every_edit_needs_the_key(served: tuple[FastAPI, TestClient], method: str, path: str,
                                  body: dict[str, str] | None) -> None:
    app, client = served
    before = app.state.service
    assert client.request(method, path, json=body).status_code == 401
    assert client.request(method, path, json=body,
                          headers={"X-API-Key": "nope"}).status_code == 403
    assert app.state.service is before
    assert [d["doc_id"] for d in client.get("/v1/documents").json()] == \
        ["fujian_2021_fangguanfu", "gf-2018-39"]


def test_list_the_documents(served: tuple[FastAPI, TestClient], docs: list[Document]) -> None:
    _, client = served
    listed = client.get("/v1/admin/documents", headers=KEY)
    assert listed.status_code == 200
    rows = listed.json()
    assert [r["doc_id"] for r in rows] == [d.doc_id for d in docs[:2]]
    assert rows[1] == {
        "doc_id": "gf-2018-39", "title": docs[1].title, "number": "国发〔2018〕39号",
        "issuer": docs[1].issuer, "published": docs[1].published and docs[1].published.isoformat(),
        "level": "national", "region": None, "status": "现行", "source": docs[1].source,
        "clauses": len(docs[1].clauses)}


def test_remove_a_document(served: tuple[FastAPI, TestClient], docs: list[Document]) -> None:
    app, client = served
    before = app.state.service
    done = client.delete("/v1/admin/documents/gf-2018-39", headers=KEY)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "changed" and body["embedded"] == 0
    assert body["changes"] == [{"doc_id": "gf-2018-39", "action": "removed", "detail": ""}]
    assert body["counts"]["documents"] == 1
    assert app.state.service is not before
    assert [d["doc_id"] for d in client.get("/v1/documents").json()] == [docs[0].doc_id]
    assert client.post("/v1/ask", json={"question": "养老机构设立许可"}).status_code == 200

    missing = client.delete("/v1/admin/documents/gf-2018-39", headers=KEY)
    assert missing.status_code == 404 and "no document 'gf-2018-39'" in missing.json()["detail"]
    last = client.delete(f"/v1/admin/documents/{docs[0].doc_id}", headers=KEY)
    assert last.status_code == 409 and "only document" in last.json()["detail"]


def test_set_a_status(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    done = client.put("/v1/admin/documents/gf-2018-39/status", json={"status": "废止"},
                      headers=KEY)
    assert done.status_code == 200, done.text
    assert done.json()["changes"] == [
        {"doc_id": "gf-2018-39", "action": "status", "detail": "现行 → 废止"}]
    assert app.state.service.document("gf-2018-39").status == "废止"
    rows = client.get("/v1/admin/documents", headers=KEY).json()
    assert [r["status"] for r in rows] == ["现行", "废止"]

    service = app.state.service
    same = client.put("/v1/admin/documents/gf-2018-39/status", json={"status": "废止"},
                      headers=KEY)
    assert same.json()["status"] == "unchanged" and app.state.service is service
    assert client.put("/v1/admin/documents/gf-2018-39/status", json={"status": "作废"},
                      headers=KEY).status_code == 422
    assert client.put("/v1/admin/documents/nope/status", json={"status": "废止"},
                      headers=KEY).status_code == 404


def test_add_documents_for_the_upload_route(served: tuple[FastAPI, TestClient],
                                            docs: list[Document]) -> None:
    app, client = served
    added = client.post("/test/add")
    assert added.status_code == 200, added.text
    body = added.json()
    assert body["changes"] == [{"doc_id": docs[2].doc_id, "action": "added", "detail": ""}]
    assert body["embedded"] > 0 and body["counts"]["documents"] == 3
    assert app.state.service.document(docs[2].doc_id).title == docs[2].title

    service = app.state.service
    again = client.post("/test/add").json()
    assert again["status"] == "unchanged" and again["embedded"] == 0
    assert app.state.service is service  # nothing changed, nothing reloaded


def test_a_change_while_another_runs_is_409(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    assert app.state.reindexing.acquire(blocking=False)  # a reindex or an edit is running
    try:
        for response in (client.delete("/v1/admin/documents/gf-2018-39", headers=KEY),
                         client.put("/v1/admin/documents/gf-2018-39/status",
                                    json={"status": "废止"}, headers=KEY),
                         client.post("/test/add"),
                         client.post("/v1/admin/reindex", headers=KEY)):
            assert response.status_code == 409, response.text
    finally:
        app.state.reindexing.release()
    assert len(client.get("/v1/documents").json()) == 2
    assert client.delete("/v1/admin/documents/gf-2018-39", headers=KEY).status_code == 200


def test_questions_are_answered_during_an_edit(served: tuple[FastAPI, TestClient],
                                               docs: list[Document]) -> None:
    _, client = served
    statuses: list[int] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            statuses.append(client.post("/v1/ask", json={"question": "养老机构设立许可"}).status_code)

    worker = threading.Thread(target=ask)
    worker.start()
    try:
        assert client.post("/test/add").status_code == 200
        assert client.delete(f"/v1/admin/documents/{docs[2].doc_id}", headers=KEY).status_code == 200
    finally:
        stop.set()
        worker.join()
    assert statuses and set(statuses) == {200}


class BrokenEditor(ServiceEditor):
    def remove(self, current: PolicyQA, doc_id: str) -> tuple[PolicyQA, EditReport]:
        raise RuntimeError("disk full")

    def add(self, current: PolicyQA, documents: Sequence[Document]
            ) -> tuple[PolicyQA, EditReport]:
        raise RuntimeError("disk full")


def test_a_failed_edit_keeps_the_served_index(served: tuple[FastAPI, TestClient],
                                              tmp_path: Path) -> None:
    app, client = served
    before = app.state.service
    app.state.editor = BrokenEditor(tmp_path / "index")
    failed = client.delete("/v1/admin/documents/gf-2018-39", headers=KEY)
    assert failed.status_code == 500
    assert "previous index is still served" in failed.json()["detail"]
    assert app.state.service is before
    assert app.state.reindexing.acquire(blocking=False)  # the lock was released
    app.state.reindexing.release()


def test_editing_is_off_without_an_editor(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    del app.state.editor
    assert client.delete("/v1/admin/documents/gf-2018-39", headers=KEY).status_code == 404
    assert client.get("/v1/admin/documents", headers=KEY).status_code == 200
