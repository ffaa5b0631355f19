"""The usage report over HTTP: behind the admin key, the page under a strict CSP, one CSV per
table, and 503 while no question log is attached."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from tests.conftest import fake_service
from tests.usage.logrows import add_answer, add_rating, log_engine

KEY = {"X-API-Key": "s3cret"}
DOC = "fujian_2021_fangguanfu"


@pytest.fixture
def served(tmp_path: Path, fake_index_dir: Path) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app([fake_service(fake_index_dir)].pop, admin_key="s3cret",
                     rate_limit_per_minute=0)
    engine = log_engine(f"sqlite:///{tmp_path / 'usage.db'}")
    now = datetime.now(UTC)
    first = add_answer(engine, "养老机构还要许可吗", now - timedelta(hours=2),
                       citations=f"{DOC}:7.1")
    add_answer(engine, "<script>alert(1)</script>驾照怎么换", now - timedelta(hours=1),
               status="not_found", channel="widget")
    add_answer(engine, "很久以前", now - timedelta(days=45), status="not_found")
    add_rating(engine, first, now - timedelta(minutes=30), -1, "unclear", "=看不懂")
    app.state.database = engine
    with TestClient(app) as client:
        yield app, client
    engine.dispose()


@pytest.mark.parametrize("path", ["/v1/admin/reports", "/v1/admin/reports/topics.csv"])
def test_the_report_needs_the_key(served: tuple[FastAPI, TestClient], path: str) -> None:
    _, client = served
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"X-API-Key": "nope"}).status_code == 403


def test_the_page(served: tuple[FastAPI, TestClient]) -> None:
    _, client = served
    response = client.get("/v1/admin/reports", headers=KEY)
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/html")
    policy = response.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'nonce-")
    nonce = policy.split("'nonce-")[1].split("'")[0]
    page = response.text
    assert f'<style nonce="{nonce}">' in page and page.count("<svg") == 5
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;驾照怎么换" in page
    assert "七、（一）创新养老和医疗服务供给" in page  # the label from the served index
    assert 'href="/v1/admin/reports/unanswered.csv?days=30"' in page
    assert "很久以前" not in page
    assert "很久以前" in client.get("/v1/admin/reports?days=60", headers=KEY).text
    assert client.get("/v1/admin/reports?days=0", headers=KEY).status_code == 422


def test_one_csv_per_table(served: tuple[FastAPI, TestClient]) -> None:
    _, client = served
    response = client.get("/v1/admin/reports/disliked.csv", headers=KEY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "disliked.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["点踩时间(Asia/Shanghai)", "渠道", "问题"]  # Beijing time
    assert rows[1][2] == "养老机构还要许可吗" and rows[1][5:7] == ["没说清楚", "'=看不懂"]
    unanswered = client.get("/v1/admin/reports/unanswered.csv", headers=KEY)
    rows = list(csv.reader(io.StringIO(unanswered.content.decode("utf-8-sig"))))
    assert rows[1:] == [["1", "<script>alert(1)</script>驾照怎么换", "1",
                         "<script>alert(1)</script>驾照怎么换", "1"]]
    assert client.get("/v1/admin/reports/nothing.csv", headers=KEY).status_code == 404


def test_days_are_days_of_beijing_by_default(served: tuple[FastAPI, TestClient]) -> None:
    """?days=1 is today in Beijing: from its midnight (16:00 UTC the day before) up to now."""
    app, client = served
    beijing = ZoneInfo("Asia/Shanghai")
    assert app.state.report_timezone == beijing
    midnight = datetime.now(beijing).replace(hour=0, minute=0, second=0, microsecond=0)
    utc_midnight = midnight.astimezone(UTC)  # the log keeps UTC
    add_answer(app.state.database, "今天零点的问题", utc_midnight, status="not_found")
    add_answer(app.state.database, "昨晚的问题", utc_midnight - timedelta(minutes=1),
               status="not_found")

    def unanswered(days: int) -> set[str]:
        response = client.get(f"/v1/admin/reports/unanswered.csv?days={days}", headers=KEY)
        return {row[3] for row in csv.reader(io.StringIO(response.text.lstrip("\ufeff")))}

    assert "今天零点的问题" in unanswered(1) and "昨晚的问题" not in unanswered(1)
    assert {"今天零点的问题", "昨晚的问题"} <= unanswered(2)
    page = client.get("/v1/admin/reports?days=1", headers=KEY).text
    assert f"统计区间：{midnight:%Y-%m-%d} 00:00 至 " in page and "（Asia/Shanghai）" in page


def test_the_report_time_zone_is_a_setting(fake_index_dir: Path, tmp_path: Path) -> None:
    app = create_app([fake_service(fake_index_dir)].pop, admin_key="s3cret",
                     rate_limit_per_minute=0, report_timezone="UTC")
    assert app.state.report_timezone == ZoneInfo("UTC")
    app.state.database = log_engine(f"sqlite:///{tmp_path / 'utc.db'}")
    with TestClient(app) as client:
        response = client.get("/v1/admin/reports/disliked.csv", headers=KEY)
        assert response.text.lstrip("\ufeff").startswith("点踩时间(UTC),")
    app.state.database.dispose()


def test_without_a_log_the_report_is_unavailable(served: tuple[FastAPI, TestClient]) -> None:
    app, client = served
    app.state.database = None
    response = client.get("/v1/admin/reports", headers=KEY)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"


def test_without_the_admin_key_there_is_no_report(fake_index_dir: Path) -> None:
    app = create_app([fake_service(fake_index_dir)].pop, rate_limit_per_minute=0)
    with TestClient(app) as client:
        assert client.get("/v1/admin/reports", headers=KEY).status_code == 404
