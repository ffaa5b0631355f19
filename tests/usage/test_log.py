"""The question log's writer on SQLite and PostgreSQL: written off the caller's thread in
batches, never blocking and never raising, counting what it drops or fails to write, and
writing again after a stopped database comes back."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table, func, select, text

from contract.errors import ConfigurationError
from tests.postgresserver import PostgresServer
from tests.usage.records import T0, asked, rated
from usage import rows, writer
from usage.database import connect, open_database
from usage.log import MemoryLog, NullLog, open_log
from usage.privacy import UserHasher
from usage.record import Asked, Feedback
from usage.schema import answers, feedback
from usage.writer import DatabaseLog

Batch = list[Asked | Feedback]


@pytest.fixture
def log(database_url: str) -> Iterator[DatabaseLog]:
    opened = DatabaseLog(open_database(database_url))
    yield opened
    opened.close()


def count(engine: Engine, table: Table = answers) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def held(log: DatabaseLog) -> tuple[threading.Event, threading.Event, list[int]]:
    """Hold the writer at its next batch until ``release`` is set: (release, taken — set when
    the writer holds a batch, sizes of its batches)."""
    release, entered, sizes = threading.Event(), threading.Event(), []
    write: Callable[[Batch], None] = log._write

    def holding(batch: Batch) -> None:
        sizes.append(len(batch))
        entered.set()
        release.wait(10)
        write(batch)

    log._write = holding  # type: ignore[method-assign]
    return release, entered, sizes


def test_answers_and_ratings_are_written(log: DatabaseLog) -> None:
    first, second = asked(), asked("牵头单位是谁？", at=T0.astimezone(timezone(timedelta(hours=8))))
    log.record(first)
    log.record(second)
    assert log.rate(rated(first.answer_id, -1, "other", "说得不清楚"))
    assert log.rate(rated(second.answer_id, 1, None))
    assert log.flush(10)
    assert (log.written, log.failed, log.dropped, log.rejected) == (4, 0, 0, 0)
    with log.engine.connect() as connection:
        rows = connection.execute(select(answers).order_by(answers.c.question)).mappings().all()
        ratings = connection.execute(select(feedback).order_by(feedback.c.rating)).mappings().all()
    assert [row["question"] for row in rows] == sorted([first.question, second.question])
    assert rows[0]["citations"] == "fujian-2021:2.3 fujian-2021:4.1"
    assert all(row["asked_at"].replace(tzinfo=None) == T0.replace(tzinfo=None) for row in rows)
    assert [(r["answer_id"], r["rating"], r["reason"], r["comment"]) for r in ratings] == [
        (first.answer_id, -1, "other", "说得不清楚"), (second.answer_id, 1, None, None)]


def test_a_rating_follows_its_answer_in_one_batch(log: DatabaseLog) -> None:
    release, taken, sizes = held(log)
    log.record(asked())  # the writer takes this one and waits
    assert taken.wait(10)
    answer = asked()
    log.record(answer)
    assert log.rate(rated(answer.answer_id))
    release.set()
    assert log.flush(10)
    assert sizes == [1, 2]
    assert (log.written, log.rejected) == (3, 0)
    assert count(log.engine, feedback) == 1


def test_a_rating_of_an_unknown_answer_is_refused(log: DatabaseLog, database_url: str) -> None:
    assert not log.rate(rated("never-given"))
    answer = asked()
    log.record(answer)
    log.close()
    # Another process (or a restart) knows the answer from the database.
    other = DatabaseLog(open_database(database_url))
    try:
        assert other.rate(rated(answer.answer_id))
        assert not other.rate(rated("never-given"))
        assert other.flush(10)
        assert other.written == 1
        assert count(other.engine, feedback) == 1
    finally:
        other.close()


def test_a_full_queue_drops_without_blocking(database_url: str) -> None:
    log = DatabaseLog(open_database(database_url), queue_size=2)
    try:
        release, taken, _ = held(log)
        log.record(asked())
        assert taken.wait(10)  # the writer holds the first one
        started = time.perf_counter()
        for _ in range(10):
            log.record(asked())
        assert time.perf_counter() - started < 0.5
        assert log.dropped == 8
        release.set()
        assert log.flush(10)
        assert (log.written, log.dropped, log.failed) == (3, 8, 0)
    finally:
        log.close()


def test_close_writes_everything_queued(database_url: str) -> None:
    log = DatabaseLog(open_database(database_url), own_engine=False)
    for index in range(300):
        log.record(asked(f"问题{index}"))
    log.close()
    assert log.written == 300 and log.pending == 0
    log.record(asked())  # after close: dropped, not raised
    assert log.dropped == 1
    assert count(log.engine) == 300
    log.engine.dispose()


def test_a_repeated_answer_id_loses_only_its_row(log: DatabaseLog,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    release, taken, _ = held(log)
    log.record(asked("先来的", answer_id="same"))
    assert taken.wait(10)
    log.record(asked("重复的", answer_id="same"))
    log.record(asked("别的"))
    release.set()
    assert log.flush(10)
    assert (log.written, log.failed) == (2, 1)
    assert count(log.engine) == 2
    assert "重复的" not in caplog.text


def test_no_user_id_in_clear(log: DatabaseLog) -> None:
    users = UserHasher("a-deployment-secret-of-32-chars!")
    user_hash = users.hash("telegram", 420012345)
    log.record(asked(user=user_hash))
    assert log.flush(10)
    with log.engine.connect() as connection:
        stored = connection.execute(select(answers.c.user_hash)).scalar_one()
        everything = " ".join(str(value) for row in connection.execute(select(answers))
                              for value in row)
    assert stored == user_hash and stored is not None and len(stored) == 64
    assert "420012345" not in everything


def test_old_rows_are_pruned_when_the_writer_starts(database_url: str) -> None:
    engine = open_database(database_url)
    seeding = DatabaseLog(engine, own_engine=False)
    now = datetime.now(UTC)
    old, recent = asked(at=now - timedelta(days=40)), asked(at=now - timedelta(days=5))
    seeding.record(old)
    seeding.record(recent)
    seeding.rate(rated(old.answer_id, at=now - timedelta(days=39)))
    seeding.close()
    log = DatabaseLog(engine, retention_days=30)
    try:
        deadline = time.monotonic() + 10
        while log.pruned == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert log.pruned == 1
        with engine.connect() as connection:
            assert connection.execute(select(answers.c.id)).scalars().all() == [recent.answer_id]
        assert count(engine, feedback) == 0
    finally:
        log.close()


def test_a_stopped_database_fails_no_answer(own_postgres: PostgresServer,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="usage")
    url = own_postgres.url()
    log = DatabaseLog(open_database(url), retry_after=0.1)
    try:
        for index in range(5):
            log.record(asked(f"停机前{index}"))
        assert log.flush(10) and log.written == 5

        own_postgres.stop()
        started = time.perf_counter()
        for index in range(5):
            log.record(asked(f"停机时{index}的问题"))
        assert time.perf_counter() - started < 0.5
        assert log.rate(rated("cannot-be-checked"))  # the database cannot rule it out
        assert log.flush(30)
        assert log.failed == 6 and log.written == 5
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors and "rows not written" in errors[0].getMessage()
        assert all("停机时" not in r.getMessage() for r in caplog.records)

        own_postgres.start()
        for index in range(5):
            log.record(asked(f"重启后{index}"))
        assert log.flush(30)
        assert log.written == 10
        assert any("writing again" in r.getMessage() for r in caplog.records)
    finally:
        log.close()
    engine = open_database(url)
    try:
        with engine.connect() as connection:
            questions = connection.execute(select(answers.c.question)).scalars().all()
        assert len(questions) == 10 and not any("停机时" in q for q in questions)
    finally:
        engine.dispose()


def test_open_log_follows_the_settings(database_url: str) -> None:
    assert isinstance(open_log(database_url, enabled=False), NullLog)
    opened = open_log(database_url, retention_days=90)
    try:
        assert isinstance(opened, DatabaseLog) and opened.retention_days == 90
    finally:
        opened.close()


def test_the_null_log_accepts_and_keeps_nothing() -> None:
    log = NullLog()
    log.record(asked())
    assert log.rate(rated("anything"))
    log.close()


def test_the_memory_log_is_a_faithful_stand_in() -> None:
    log = MemoryLog()
    answer = asked()
    log.record(answer)
    assert log.rate(rated(answer.answer_id))
    assert not log.rate(rated("never-given"))
    log.close()
    log.record(asked())
    assert log.asked == [answer] and [f.answer_id for f in log.feedback] == [answer.answer_id]


def test_sql_text_is_never_logged(log: DatabaseLog, caplog: pytest.LogCaptureFixture) -> None:
    with log.engine.begin() as connection:
        connection.execute(text("DROP TABLE feedback"))
        connection.execute(text("DROP TABLE answers"))
    log.record(asked("一个私密的问题"))
    assert log.flush(10)
    assert log.failed == 1
    assert "一个私密的问题" not in caplog.text and "INSERT" not in caplog.text
    assert "rows not written" in caplog.text


def test_text_no_database_can_store_is_made_storable(log: DatabaseLog) -> None:
    """A lone surrogate (which a JSON body or a chat message may carry) once killed the writer
    thread for good: the driver cannot encode it."""
    answer = asked("x\ud800y 怎么办")
    log.record(answer)
    assert log.rate(rated(answer.answer_id, -1, "other", "说\udfff明\x00"))
    assert log.flush(10)
    assert (log.written, log.failed) == (2, 0) and log.alive
    with log.engine.connect() as connection:
        assert connection.execute(select(answers.c.question)).scalar_one() == "x?y 怎么办"
        assert connection.execute(select(feedback.c.comment)).scalar_one() == "说?明"
    log.record(asked("后来的问题"))
    assert log.flush(10) and log.written == 3


def test_any_error_loses_only_its_row_and_the_writer_lives(
        log: DatabaseLog, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    row = rows.answer_row

    def failing(item: Asked) -> dict[str, object]:
        if item.question == "坏的问题":
            raise RuntimeError("坏的问题 cannot be stored")
        return row(item)

    monkeypatch.setattr(rows, "answer_row", failing)
    release, taken, _ = held(log)
    log.record(asked("先来的"))
    assert taken.wait(10)
    log.record(asked("坏的问题"))
    log.record(asked("好的问题"))
    release.set()
    assert log.flush(10)
    assert (log.written, log.failed) == (2, 1) and log.alive
    assert "RuntimeError" in caplog.text and "坏的问题" not in caplog.text


def test_a_rating_of_an_answer_another_process_has_not_written_yet(tmp_path: Path) -> None:
    """With several workers, the answer may still be on worker A's queue when worker B gets
    its rating: B looks again a moment later instead of answering 404."""
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    first, second = DatabaseLog(open_database(url)), DatabaseLog(open_database(url),
                                                                 recheck_after=0.5)
    try:
        release, taken, _ = held(first)
        answer = asked()
        first.record(answer)
        assert taken.wait(10)  # on A's queue, not in the database
        threading.Timer(0.2, release.set).start()
        assert second.rate(rated(answer.answer_id))
        assert first.flush(10) and second.flush(10)
        assert (second.written, second.rejected) == (1, 0)
        started = time.monotonic()
        assert not second.rate(rated("never-given"))
        assert 0.5 <= time.monotonic() - started < 5
    finally:
        first.close()
        second.close()


def test_a_database_that_does_not_answer_holds_no_rating(
        log: DatabaseLog, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_select(*columns: Any) -> Any:
        time.sleep(3)
        return select(*columns)

    monkeypatch.setattr(writer, "select", slow_select)
    started = time.monotonic()
    assert log.rate(rated("cannot-be-checked-in-time"))
    assert time.monotonic() - started < 2  # LOOKUP_TIMEOUT, then accepted
    started = time.monotonic()
    assert log.rate(rated("not-asked-while-the-breaker-is-open"))
    assert time.monotonic() - started < 0.1


def test_close_that_gives_up_counts_the_rest_as_failed(database_url: str) -> None:
    log = DatabaseLog(open_database(database_url))
    release, taken, _ = held(log)
    for index in range(3):
        log.record(asked(f"问题{index}"))
    assert taken.wait(10)
    log.close(timeout=0.2)
    assert (log.failed, log.written, log.pending) == (3, 0, 0)
    release.set()
    log._thread.join(10)
    assert (log.failed, log.written) == (3, 0) and not log.alive
    log.engine.dispose()


def test_ratings_after_close_are_accepted_and_dropped_by_both_logs(log: DatabaseLog) -> None:
    answer = asked()
    memory = MemoryLog()
    for each in (log, memory):
        each.record(answer)
        each.close()
        assert each.rate(rated(answer.answer_id))
        assert each.rate(rated("never-given"))
    assert memory.feedback == [] and log.dropped == 2


def test_open_log_refuses_urls_that_cannot_work() -> None:
    with pytest.raises(ConfigurationError, match="not a database URL"):
        open_log("not a url")
    with pytest.raises(ConfigurationError, match="driver is not installed"):
        open_log("mysql+mysqldb://user:pw@localhost/db")


def test_a_server_down_at_start_is_reached_later(own_postgres: PostgresServer,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="usage")
    own_postgres.stop()
    started = time.monotonic()
    log = open_log(own_postgres.url())
    try:
        assert time.monotonic() - started < 10
        assert isinstance(log, DatabaseLog) and not log.connected
        answers_given = [asked(f"停机时{index}的问题") for index in range(3)]
        for answer in answers_given:
            log.record(answer)
        assert log.rate(rated(answers_given[0].answer_id))
        assert log.rate(rated("unknown-while-unreached"))  # cannot be ruled out yet
        assert not log.flush(0.5) and log.alive
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors and all("停机时" not in message for message in errors)
        own_postgres.start()
        assert log.flush(60) and log.connected
        assert (log.written, log.rejected, log.failed) == (4, 1, 0)
    finally:
        log.close()


def test_records_wait_for_a_database_never_reached(caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("psycopg")
    from eval.loadtest import free_port

    engine = connect(f"postgresql+psycopg://policyqa:pw-x@127.0.0.1:{free_port()}/log")
    log = DatabaseLog(engine, migrated=False, queue_size=2, retry_after=0.05)
    for index in range(5):
        log.record(asked(f"问题{index}"))
    assert log.dropped == 3 and log.alive
    log.close(timeout=20)
    assert (log.failed, log.written, log.pending) == (2, 0, 0)
    assert "not reached yet" in caplog.text and "pw-x" not in caplog.text


def test_records_arriving_together_share_one_transaction(tmp_path: Path) -> None:
    from sqlalchemy import event

    engine = open_database(f"sqlite:///{tmp_path / 'usage.db'}")
    commits: list[int] = []
    event.listen(engine, "commit", lambda connection: commits.append(1))
    log = DatabaseLog(engine, linger=0.5)
    try:
        for index in range(20):  # one answer every 10 ms, as a busy server gives them
            log.record(asked(f"问题{index}"))
            time.sleep(0.01)
        assert log.flush(10) and log.written == 20
        assert len(commits) <= 2  # not one commit per answer
    finally:
        log.close()
