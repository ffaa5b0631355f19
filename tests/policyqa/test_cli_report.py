"""``policyqa report``: text, CSV and HTML over a question log in SQLite, with the clause labels
of an index and the hashing stand-in for the embedding model."""

from __future__ import annotations

import csv
import io
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from engine.service import PolicyQA
from index.fake import HashingEncoder
from policyqa import reporting
from policyqa.cli import main
from policyqa.settings import Settings
from policyqa.workers import assemble
from tests.usage.logrows import add_answer, add_rating
from usage.database import open_database

EVIL = "营业执照丢了怎么补办<em>"


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_index_dir: Path) -> Engine:
    """A log with answers of the last days; the fake index for labels; no real model."""
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    monkeypatch.setenv("POLICYQA_DATABASE_URL", url)
    monkeypatch.setenv("POLICYQA_INDEX_DIR", str(fake_index_dir))
    monkeypatch.setattr(reporting, "open_encoder", lambda settings: HashingEncoder())
    engine = open_database(url)
    now = datetime.now(UTC)
    doc = "fujian_2021_fangguanfu"
    first = add_answer(engine, "养老机构还要许可吗", now - timedelta(days=1),
                       citations=f"{doc}:7.1 {doc}:2.3")
    add_answer(engine, "开养老院要审批吗", now - timedelta(days=2), citations=f"{doc}:7.1",
               channel="widget")
    for text in ("驾驶证到期了怎么换证", "驾驶证到期了怎么换", EVIL, "营业执照丢了如何补办"):
        add_answer(engine, text, now - timedelta(hours=3), status="not_found")
    add_answer(engine, "很久以前的问题", now - timedelta(days=40), status="not_found")
    add_rating(engine, first, now - timedelta(hours=20), -1, "outdated", "已经改了")
    return engine


def test_text_report(log: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--since", "7", "--threshold", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "提问 6 次，已回答 2 次（回答率 33.3%），未回答 4 次，分为 2 组" in out
    assert re.search(r"fujian_2021_fangguanfu:7\.1 +七、（一）创新养老和医疗服务供给 +2 +0\n", out)
    assert "条款过时" in out and "已经改了" in out
    assert "很久以前的问题" not in out
    assert main(["report", "--since", "60", "--table", "unanswered"]) == 0
    assert "很久以前的问题" in capsys.readouterr().out


def test_csv_files_parse_back(log: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    assert main(["report", "--format", "csv", "--out", str(folder), "--threshold", "0.5"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "daily.csv", "disliked.csv", "topics.csv", "unanswered.csv"]
    raw = (folder / "unanswered.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["组", "代表问题", "组内提问次数", "问题", "提问次数"]
    groups: dict[str, set[str]] = {}
    for number, _, _, question, _ in rows[1:]:
        groups.setdefault(number, set()).add(question)
    assert sorted(sorted(group) for group in groups.values()) == [
        sorted({EVIL, "营业执照丢了如何补办"}), sorted({"驾驶证到期了怎么换证", "驾驶证到期了怎么换"})]
    topics = list(csv.reader(io.StringIO((folder / "topics.csv").read_text("utf-8-sig"))))
    assert topics[1] == ["fujian_2021_fangguanfu:7.1", "七、（一）创新养老和医疗服务供给", "2", "0"]
    assert topics[2][:2] == ["fujian_2021_fangguanfu:2.3", "二、（三）支持和规范新就业形态发展"]


def test_html_page(log: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "report.html"
    assert main(["report", "--format", "html", "--out", str(page)]) == 0
    html = page.read_text("utf-8")
    assert html.count("<svg") == 5 and "问答使用报告" in html
    assert "<em>" not in html and "营业执照丢了怎么补办&lt;em&gt;" in html
    assert "report written to" in capsys.readouterr().err


def test_without_groups_the_model_is_never_opened(log: Engine, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(settings: object) -> HashingEncoder:
        raise AssertionError("the model was opened")

    monkeypatch.setattr(reporting, "open_encoder", refuse)
    assert main(["report", "--no-groups", "--format", "csv", "--table", "unanswered"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]  # each question on its own


def test_no_unanswered_questions_no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICYQA_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("POLICYQA_INDEX_DIR", str(tmp_path / "no-index"))
    monkeypatch.setattr(reporting, "open_encoder", lambda settings: 1 / 0)
    assert main(["report"]) == 0  # an empty log, no index: labels and groups are not needed
    assert "提问 0 次" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["report", "--since", "0"], ["report", "--format", "csv"],
                                  ["report", "--format", "html", "--table", "topics"]])
def test_bad_arguments_exit_2(log: Engine, argv: list[str],
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("policyqa: error: ")


def test_days_are_those_of_the_report_time_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """--since 1 is today from midnight in Beijing (POLICYQA_REPORT_TIMEZONE, Asia/Shanghai)."""
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    monkeypatch.setenv("POLICYQA_DATABASE_URL", url)
    monkeypatch.setenv("POLICYQA_INDEX_DIR", str(tmp_path / "no-index"))
    engine = open_database(url)
    beijing = ZoneInfo("Asia/Shanghai")
    midnight = datetime.now(beijing).replace(hour=0, minute=0, second=0, microsecond=0)
    add_answer(engine, "今天零点的问题", midnight.astimezone(UTC), status="not_found")
    add_answer(engine, "昨晚的问题", midnight.astimezone(UTC) - timedelta(minutes=1),
               status="not_found")
    engine.dispose()
    assert main(["report", "--since", "1", "--no-groups"]) == 0
    out = capsys.readouterr().out
    assert f"统计区间：{midnight:%Y-%m-%d} 00:00 至 " in out and "（Asia/Shanghai）" in out
    assert "今天零点的问题" in out and "昨晚的问题" not in out
    assert "每日回答率与耗时（Asia/Shanghai 日期）" in out
    monkeypatch.setenv("POLICYQA_REPORT_TIMEZONE", "UTC")
    assert main(["report", "--since", "30", "--no-groups"]) == 0
    assert "（UTC）" in capsys.readouterr().out


def test_the_report_time_zone_setting(tmp_path: Path) -> None:
    assert Settings().report_timezone == "Asia/Shanghai"
    app = assemble(Settings(report_timezone="Europe/Berlin"), tmp_path,
                   lambda: cast(PolicyQA, None))
    assert app.state.report_timezone == ZoneInfo("Europe/Berlin")
    for wrong in ("Beijing", "Asia", "asia/shanghai", ""):
        with pytest.raises(ValidationError, match=r"unknown time zone .*IANA name"):
            Settings(report_timezone=wrong)


def test_report_files_are_readable_by_their_owner_only(log: Engine, tmp_path: Path) -> None:
    """They hold questions and comments: 0600, also when the file was there with a wider mode."""
    page, folder = tmp_path / "report.html", tmp_path / "csv"
    page.write_text("old")
    page.chmod(0o644)
    folder.mkdir()
    (folder / "daily.csv").write_text("old")
    (folder / "daily.csv").chmod(0o644)
    assert main(["report", "--format", "html", "--out", str(page), "--no-groups"]) == 0
    assert main(["report", "--format", "csv", "--out", str(folder), "--no-groups"]) == 0
    assert main(["report", "--out", str(tmp_path / "report.txt"), "--no-groups"]) == 0
    assert stat.S_IMODE(page.stat().st_mode) == 0o600 and "问答使用报告" in page.read_text()
    assert stat.S_IMODE((tmp_path / "report.txt").stat().st_mode) == 0o600
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == dict.fromkeys(
        ("daily.csv", "disliked.csv", "topics.csv", "unanswered.csv"), 0o600)
