"""Retention on SQLite and PostgreSQL: answers older than the period are deleted with their
feedback, newer ones kept, times compared in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select

from tests.usage.records import asked, rated
from usage.database import open_database
from usage.record import Asked, Feedback
from usage.retention import cutoff, prune
from usage.schema import answers, feedback
from usage.writer import DatabaseLog

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    opened = open_database(database_url)
    yield opened
    opened.dispose()


def fill(engine: Engine, given: list[Asked], ratings: list[Feedback] | None = None) -> None:
    log = DatabaseLog(engine, own_engine=False)
    for item in given:
        log.record(item)
    for rating in ratings or []:
        assert log.rate(rating)
    log.close()
    assert log.failed == 0 and log.rejected == 0


def test_the_cutoff() -> None:
    assert cutoff(0, NOW) is None
    assert cutoff(180, NOW) == NOW - timedelta(days=180)
    assert cutoff(1, datetime(2026, 9, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))) == \
        datetime(2026, 8, 31, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        cutoff(-1, NOW)


def test_old_answers_go_with_their_feedback(engine: Engine) -> None:
    old = asked("去年的问题", at=NOW - timedelta(days=200))
    new = asked("上周的问题", at=NOW - timedelta(days=7))
    fill(engine, [old, new], [rated(old.answer_id, at=NOW - timedelta(days=199)),
                              rated(old.answer_id, 1, None, at=NOW - timedelta(days=1)),
                              rated(new.answer_id, at=NOW - timedelta(days=6))])
    before = cutoff(180, NOW)
    assert before is not None
    assert prune(engine, before) == 1
    with engine.connect() as connection:
        assert connection.execute(select(answers.c.id)).scalars().all() == [new.answer_id]
        assert connection.execute(select(feedback.c.answer_id)).scalars().all() == [new.answer_id]
    assert prune(engine, before) == 0


def test_times_in_other_zones_compare_in_utc(engine: Engine) -> None:
    beijing = timezone(timedelta(hours=8))
    before = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    older = asked("北京时间晚上问的", at=datetime(2026, 3, 1, 19, 30, tzinfo=beijing))  # 11:30 UTC
    newer = asked("UTC 中午问的", at=datetime(2026, 3, 1, 12, 30, tzinfo=UTC))
    fill(engine, [older, newer])
    assert prune(engine, before.astimezone(beijing)) == 1
    with engine.connect() as connection:
        assert connection.execute(select(answers.c.id)).scalars().all() == [newer.answer_id]
