"""`policyqa log export` and `policyqa log prune` on the configured question log."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from policyqa.cli import main
from tests.usage.records import asked, rated
from usage.database import open_database
from usage.schema import answers, feedback
from usage.writer import DatabaseLog


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A question log with an answer from 400 days ago (rated) and one from yesterday."""
    url = f"sqlite:///{tmp_path / 'var' / 'usage.db'}"
    monkeypatch.setenv("POLICYQA_DATABASE_URL", url)
    now = datetime.now(UTC)
    log = DatabaseLog(open_database(url))
    old, new = asked("很久以前的问题", at=now - timedelta(days=400)), asked("昨天的问题", at=now - timedelta(days=1))
    log.record(old)
    log.record(new)
    assert log.rate(rated(old.answer_id, -1, "outdated", at=now - timedelta(days=399)))
    log.close()
    assert log.written == 3
    return url


def counts(url: str) -> tuple[int, int]:
    engine = open_database(url)
    try:
        with engine.connect() as connection:
            return (connection.execute(select(func.count()).select_from(answers)).scalar_one(),
                    connection.execute(select(func.count()).select_from(feedback)).scalar_one())
    finally:
        engine.dispose()


def test_export_to_stdout_as_json_lines(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", "export"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["question"] for row in rows] == ["很久以前的问题", "昨天的问题"]
    assert rows[0]["feedback"][0]["reason"] == "outdated"


def test_export_csv_to_a_file_only_its_owner_reads(database: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "log.csv"
    assert main(["log", "export", "--format", "csv", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(row["question"], row["rating"]) for row in rows] == [
        ("很久以前的问题", "-1"), ("昨天的问题", "")]
    assert "2 answers" in capsys.readouterr().err


def test_export_tightens_an_existing_files_mode(database: str, tmp_path: Path) -> None:
    out = tmp_path / "log.jsonl"
    out.write_text("an older export, and longer than the new one " * 100)
    out.chmod(0o644)
    assert main(["log", "export", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_prune_deletes_what_the_retention_period_does_not_keep(
        database: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICYQA_LOG_RETENTION_DAYS", "0")
    assert main(["log", "prune"]) == 0
    assert "nothing deleted" in capsys.readouterr().out
    assert counts(database) == (2, 1)
    monkeypatch.setenv("POLICYQA_LOG_RETENTION_DAYS", "500")
    assert main(["log", "prune"]) == 0
    assert capsys.readouterr().out.startswith("0 answers")
    assert counts(database) == (2, 1)
    monkeypatch.delenv("POLICYQA_LOG_RETENTION_DAYS")  # the default, 180 days
    assert main(["log", "prune"]) == 0
    assert capsys.readouterr().out.startswith("1 answers")
    assert counts(database) == (1, 0)
    assert main(["log", "prune", "--days", "-1"]) == 2


@pytest.mark.parametrize("argv", [["log", "export"], ["log", "prune"],
                                  ["report", "--no-groups"]])
def test_an_unreachable_database_exits_3_without_its_password(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        argv: list[str]) -> None:
    """One-shot commands stop on it (the service, unlike them, starts and keeps trying)."""
    from eval.loadtest import free_port

    port = free_port()
    monkeypatch.setenv("POLICYQA_DATABASE_URL",
                       f"postgresql+psycopg://policyqa:pw-Zq81x@127.0.0.1:{port}/log")
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "cannot open or migrate the question log's database" in err
    assert f"127.0.0.1:{port}" in err and "pw-Zq81x" not in err
