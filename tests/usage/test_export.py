"""The administrator's export on SQLite and PostgreSQL: every answer with its ratings, as JSON
lines or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.usage.records import T0, asked, rated
from usage.database import open_database
from usage.export import ANSWER_FIELDS, FEEDBACK_FIELDS, export
from usage.spreadsheet import formula_safe
from usage.writer import DatabaseLog


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    opened = open_database(database_url)
    log = DatabaseLog(opened, own_engine=False)
    first = asked("社会救助审批权下放到哪一级？", user="ab" * 32)
    second = asked("=HYPERLINK(\"http://x\")", at=T0 + timedelta(hours=1))
    third = asked("什么时候完成？", at=T0 + timedelta(hours=2))
    log.record(first)
    log.record(second)
    log.record(third)
    assert log.rate(rated(first.answer_id, -1, "off_topic", "答非所问", at=T0 + timedelta(minutes=5)))
    assert log.rate(rated(first.answer_id, 1, None, at=T0 + timedelta(minutes=9)))
    assert log.rate(rated(third.answer_id, -1, "other", "-1 分"))
    log.close()
    yield opened
    opened.dispose()


def test_json_lines_nest_the_ratings(engine: Engine) -> None:
    out = io.StringIO()
    assert export(engine, out, "jsonl") == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["question"] for row in rows] == [
        "社会救助审批权下放到哪一级？", "=HYPERLINK(\"http://x\")", "什么时候完成？"]
    first = rows[0]
    assert set(first) == {*ANSWER_FIELDS, "feedback"}
    assert first["asked_at"] == T0.isoformat() and first["user_hash"] == "ab" * 32
    assert first["citations"] == ["fujian-2021:2.3", "fujian-2021:4.1"]
    assert first["follow_up"] is False and first["confidence"] == pytest.approx(0.82)
    assert [(f["rating"], f["reason"], f["comment"]) for f in first["feedback"]] == [
        (-1, "off_topic", "答非所问"), (1, None, None)]
    assert first["feedback"][0]["rated_at"] == (T0 + timedelta(minutes=5)).isoformat()
    assert rows[1]["feedback"] == []


def test_csv_has_a_row_per_rating(engine: Engine) -> None:
    out = io.StringIO()
    assert export(engine, out, "csv") == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [*ANSWER_FIELDS, *FEEDBACK_FIELDS]
    assert len(rows) == 4  # two ratings, one unrated answer, one rating
    assert [row["rating"] for row in rows] == ["-1", "1", "", "-1"]
    assert rows[0]["citations"] == "fujian-2021:2.3 fujian-2021:4.1"
    assert rows[2]["question"] == "'=HYPERLINK(\"http://x\")"  # not a formula in a spreadsheet
    assert rows[3]["comment"] == "'-1 分"


def test_an_unknown_format_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(engine, io.StringIO(), "xml")  # type: ignore[arg-type]


def test_one_rule_for_formulas_in_every_csv() -> None:
    from usage import export as log_export
    from usage import tables

    assert vars(tables)["formula_safe"] is vars(log_export)["formula_safe"] is formula_safe
    assert [formula_safe(text) for text in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1"]
    assert formula_safe(None) is None and formula_safe(-3) == -3 and formula_safe("") == ""
