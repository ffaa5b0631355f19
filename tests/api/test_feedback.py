"""The question log behind the API: every answer recorded (without who asked), ratings through
POST /v1/feedback, the log's counters in /metrics, and answers unaffected by a failing log."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.conftest import fake_service
from tests.postgresserver import PostgresServer
from tests.postgresserver import own_postgres as own_postgres
from usage.database import open_database
from usage.log import MemoryLog, open_log
from usage.schema import answers, feedback
from usage.writer import DatabaseLog


@pytest.fixture(scope="module")
def runtime(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


@pytest.fixture()
def log() -> MemoryLog:
    return MemoryLog()


@pytest.fixture()
def client(runtime: PolicyQA, log: MemoryLog) -> Iterator[TestClient]:
    app = create_app(lambda: runtime, rate_limit_per_minute=0, question_log=lambda: log)
    with TestClient(app) as test_client:
        yield test_client


def test_an_answer_is_recorded_with_its_id(client: TestClient, log: MemoryLog) -> None:
    body = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗",
                                        "channel": "widget"}).json()
    [asked] = log.asked
    assert asked.answer_id == body["answer_id"] and asked.channel == "widget"
    assert asked.question == "养老机构设立还需要许可吗" and asked.user is None
    assert asked.status == "answered" and asked.verdict == "no" and asked.kind == body["kind"]
    assert asked.citations[0] == f"{body['citations'][0]['doc_id']}:7.1"
    assert asked.latency_ms > 0 and not asked.follow_up
    assert asked.asked_at.tzinfo is not None
    refused = client.post("/v1/ask", json={"question": "福州地铁晚上几点停运"}).json()
    assert log.asked[1].status == "not_found" and log.asked[1].channel == "api"
    assert log.asked[1].answer_id == refused["answer_id"] != body["answer_id"]


def test_a_follow_up_is_marked(client: TestClient, log: MemoryLog) -> None:
    first = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"}).json()
    client.post("/v1/ask", json={"question": "谁牵头",
                                 "conversation_id": first["conversation_id"]})
    assert [a.follow_up for a in log.asked] == [False, True]


def test_ratings(client: TestClient, log: MemoryLog) -> None:
    answer_id = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"}).json()[
        "answer_id"]
    up = client.post("/v1/feedback", json={"answer_id": answer_id, "rating": "up"})
    assert up.status_code == 204
    down = client.post("/v1/feedback", json={"answer_id": answer_id, "rating": "down",
                                             "reason": "outdated", "comment": "  已经改了  "})
    assert down.status_code == 204
    assert [(f.rating, f.reason, f.comment) for f in log.feedback] == [
        (1, None, None), (-1, "outdated", "已经改了")]
    assert all(f.answer_id == answer_id for f in log.feedback)


@pytest.mark.parametrize("body", [
    {"answer_id": "0" * 32, "rating": "sideways"},
    {"answer_id": "not-an-id", "rating": "up"},
    {"answer_id": "0" * 32, "rating": "up", "reason": "outdated"},
    {"answer_id": "0" * 32, "rating": "down", "reason": "because"},
    {"answer_id": "0" * 32, "rating": "down", "comment": "长" * 501},
    {"answer_id": "0" * 32, "rating": "down", "extra": 1},
    {"rating": "down"},
])
def test_bad_ratings_change_nothing(client: TestClient, log: MemoryLog,
                                    body: dict[str, object]) -> None:
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert log.feedback == []


def test_a_rating_of_no_answer_is_404(client: TestClient, log: MemoryLog) -> None:
    response = client.post("/v1/feedback", json={"answer_id": "f" * 32, "rating": "down"})
    assert response.status_code == 404 and response.json()["status"] == 404
    assert log.feedback == []


def test_without_a_log_ratings_are_accepted(runtime: PolicyQA) -> None:
    with TestClient(create_app(lambda: runtime, rate_limit_per_minute=0)) as client:
        assert client.post("/v1/feedback", json={"answer_id": "a" * 32,
                                                 "rating": "up"}).status_code == 204


def test_the_log_is_closed_at_shutdown(runtime: PolicyQA, log: MemoryLog) -> None:
    with TestClient(create_app(lambda: runtime, question_log=lambda: log)):
        assert not log.closed
    assert log.closed


def test_a_database_log_end_to_end(runtime: PolicyQA, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    app = create_app(lambda: runtime, rate_limit_per_minute=0, admin_key="s3cret",
                     question_log=lambda: open_log(url))
    with TestClient(app) as client:
        first = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"}).json()
        client.post("/v1/ask", json={"question": "福州地铁晚上几点停运"})
        rated = client.post("/v1/feedback", json={"answer_id": first["answer_id"],
                                                  "rating": "down", "reason": "unclear"})
        assert rated.status_code == 204
        log: DatabaseLog = app.state.log
        assert log.flush(timeout=10)
        metrics = client.get("/metrics").text
        assert 'policyqa_question_log_rows{outcome="written"} 3.0' in metrics
        # The report routes read the same database.
        page = client.get("/v1/admin/reports", headers={"X-API-Key": "s3cret"})
        assert page.status_code == 200 and "福州地铁晚上几点停运" in page.text
    engine = open_database(url)
    with engine.connect() as connection:
        rows = connection.execute(select(answers.c.id, answers.c.status)).all()
        ratings = connection.execute(select(feedback.c.answer_id, feedback.c.reason)).all()
    engine.dispose()
    assert {status for _, status in rows} == {"answered", "not_found"}
    assert ratings == [(first["answer_id"], "unclear")]


def test_answers_come_back_while_the_database_is_down(
        runtime: PolicyQA, own_postgres: PostgresServer, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(lambda: runtime, rate_limit_per_minute=0,
                     question_log=lambda: open_log(own_postgres.url()))
    with TestClient(app) as client:
        log: DatabaseLog = app.state.log
        client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"})
        assert log.flush(timeout=10) and log.written == 1
        own_postgres.stop()
        try:
            for _ in range(3):
                answer = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"})
                assert answer.status_code == 200 and answer.json()["status"] == "answered"
            log.flush(timeout=30)
            assert log.failed >= 1
            metrics = client.get("/metrics").text
            assert f'policyqa_question_log_rows{{outcome="failed"}} {float(log.failed)}' in metrics
            assert any(r.levelname == "ERROR" and r.name.startswith("usage")
                       for r in caplog.records)
            assert all("养老" not in r.getMessage() for r in caplog.records
                       if r.name.startswith("usage"))
        finally:
            own_postgres.start()


def test_the_admin_exports_the_log(runtime: PolicyQA, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    app = create_app(lambda: runtime, rate_limit_per_minute=0, admin_key="s3cret",
                     question_log=lambda: open_log(url))
    key = {"X-API-Key": "s3cret"}
    with TestClient(app) as client:
        first = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"}).json()
        client.post("/v1/feedback", json={"answer_id": first["answer_id"], "rating": "down",
                                          "reason": "outdated", "comment": "=1+1"})
        assert app.state.log.flush(timeout=10)
        assert client.get("/v1/admin/log.jsonl").status_code == 401
        lines = client.get("/v1/admin/log.jsonl", headers=key).text.splitlines()
        [row] = [json.loads(line) for line in lines]
        assert row["question"] == "养老机构设立还需要许可吗"
        assert json.dumps(row, ensure_ascii=False).count("outdated") == 1
        table = list(csv.reader(io.StringIO(client.get("/v1/admin/log.csv", headers=key).text)))
        assert len(table) == 2 and "'=1+1" in table[1]  # a formula is not run by a spreadsheet
        assert client.get("/v1/admin/log.xml", headers=key).status_code == 404


def test_the_api_starts_and_answers_while_the_database_is_down(
        runtime: PolicyQA, own_postgres: PostgresServer, caplog: pytest.LogCaptureFixture) -> None:
    own_postgres.stop()
    app = create_app(lambda: runtime, rate_limit_per_minute=0,
                     question_log=lambda: open_log(own_postgres.url()))
    with TestClient(app) as client:
        log: DatabaseLog = app.state.log
        first = client.post("/v1/ask", json={"question": "养老机构设立还需要许可吗"})
        assert first.status_code == 200 and first.json()["status"] == "answered"
        rated = client.post("/v1/feedback", json={"answer_id": first.json()["answer_id"],
                                                  "rating": "up"})
        assert rated.status_code == 204
        assert not log.connected and log.pending == 2
        metrics = client.get("/metrics").text
        assert "policyqa_question_log_writer_alive 1.0" in metrics
        own_postgres.start()
        assert log.flush(timeout=60)
        assert (log.written, log.failed) == (2, 0)
    assert all("养老" not in r.getMessage() for r in caplog.records if r.name.startswith("usage"))
    engine = open_database(own_postgres.url())
    try:
        with engine.connect() as connection:
            assert connection.execute(select(answers.c.id)).scalars().all() == [
                first.json()["answer_id"]]
            assert len(connection.execute(select(feedback.c.id)).all()) == 1
    finally:
        engine.dispose()


def test_phone_numbers_typed_in_are_not_kept(client: TestClient, log: MemoryLog) -> None:
    answer_id = client.post("/v1/ask", json={"question": "我的手机13812345678，养老机构要许可吗"}
                            ).json()["answer_id"]
    client.post("/v1/feedback", json={"answer_id": answer_id, "rating": "down",
                                      "reason": "other", "comment": "请回电0591-12345678"})
    assert log.asked[0].question == "我的手机[手机号]，养老机构要许可吗"
    assert log.feedback[0].comment == "请回电[电话]"
