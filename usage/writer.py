"""The question log in a database, written off the request path.

:class:`DatabaseLog` puts each record on a bounded queue and returns; one background thread
takes what has queued up (at most :data:`BATCH` records), inserts it in one transaction
(``executemany``: the batch's answers first, then its feedback, so a rating that follows its
answer closely still finds it) and goes back to waiting. It also deletes rows older than the
retention period when it starts and every :data:`PRUNE_EVERY` seconds.

A log opened on a database that could not be reached (``migrated=False``, see
:func:`usage.log.open_log`) first connects and migrates from the writer thread, trying again
every few seconds (up to :data:`RECONNECT_EVERY`); records queue up meanwhile (and are dropped
once the queue is full), ratings are accepted, and the failure is logged at most once a minute.

The caller is never blocked and never sees a database error:

* a full queue drops the record (``dropped``);
* a batch the database refuses is lost (``failed``) and the writer pauses a second before the
  next; a row that breaks a constraint, or any other error that is not the database's
  connection (a driver that cannot encode a value, a bug), is retried alone so that the rest
  of its batch is kept, and the writer thread never dies of it (``alive`` says it runs);
* text is made storable first: invalid UTF-8 (a lone surrogate) becomes ``?``, NUL is removed;
* errors are logged at most once a minute, with counts, the error's class and, for connection
  errors, the driver's first line — never a question, a comment or the SQL parameters;
* after a database comes back, writing resumes (PostgreSQL connections are checked before use).

Counters, for metrics: ``written`` (rows committed, answers and ratings), ``dropped``,
``failed``, ``rejected`` (ratings whose answer is not in the database when written) and
``pruned`` (answers deleted for age). :meth:`DatabaseLog.close` drains the queue; what is still
queued when it gives up waiting counts as failed.

Ratings and unknown answers: :meth:`DatabaseLog.rate` returns False, and queues nothing, only
for an answer id it has good reason to think was never given:

1. an id this log queued lately (the last :data:`REMEMBERED`) is accepted at once;
2. otherwise the id is looked up by primary key, on a thread of the log's own, the caller
   waiting at most :data:`LOOKUP_TIMEOUT` seconds; a look-up that fails or takes longer
   accepts the rating and, for :data:`TRUST_FOR` seconds after, ratings are accepted without
   asking (a circuit breaker: a database that does not answer holds no request);
3. an id not found is looked for once more :data:`RECHECK_AFTER` seconds later — with several
   worker processes the answer may still be on another worker's queue, and its writer writes
   within that — and only then refused.

Before the log has reached its database, and after :meth:`DatabaseLog.close`, every rating is
accepted (after close it is dropped and counted: the process is stopping, the answer may well
exist). An accepted rating whose answer the writer then does not find counts as ``rejected``.
The API answers 404 for False; call ``rate`` off an event loop (it may wait up to about two
seconds for an unknown id).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

from contract.errors import ConfigurationError
from usage import rows
from usage.database import migrate
from usage.record import Asked, Feedback
from usage.retention import cutoff, prune
from usage.schema import answers, feedback

logger = logging.getLogger(__name__)

QUEUE = 10_000
"""Records waiting to be written before further ones are dropped."""
BATCH = 500
"""Records written in one transaction at most."""
LINGER = 0.25
"""Seconds the writer waits after a record for more to join its transaction: a commit costs
far more than a row, and one per answer took 6 % of a busy server's throughput."""
PRUNE_EVERY = 3600.0
"""Seconds between two deletions of old rows."""
RETRY_AFTER = 1.0
"""Seconds the writer waits after a failed batch."""
REPORT_EVERY = 60.0
"""Seconds between two error lines while writes keep failing."""
REMEMBERED = 65_536
"""Answer ids remembered for :meth:`DatabaseLog.rate` without asking the database."""
LOOKUP_TIMEOUT = 1.0
"""Seconds :meth:`DatabaseLog.rate` waits for the database to say whether an id exists."""
TRUST_FOR = 5.0
"""Seconds after a failed look-up during which ratings are accepted without one."""
RECHECK_AFTER = 1.0
"""Seconds before an id not found is looked for again (another worker's writer may have it)."""
RECONNECT_EVERY = 10.0
"""Seconds between two attempts at the most, while the database has never been reached."""

Item = Asked | Feedback


class DatabaseLog:
    """The question log writing to ``engine`` from one background thread (which first
    migrates it when ``migrated`` is False: the database could not be reached at start)."""

    def __init__(self, engine: Engine, *, retention_days: int = 0, queue_size: int = QUEUE,
                 batch_size: int = BATCH, prune_every: float = PRUNE_EVERY,
                 retry_after: float = RETRY_AFTER, own_engine: bool = True,
                 migrated: bool = True, recheck_after: float = RECHECK_AFTER,
                 linger: float = LINGER) -> None:
        if retention_days < 0:
            raise ValueError(f"a retention period of {retention_days} days")
        self.engine = engine
        self.retention_days = retention_days
        self.written = self.dropped = self.failed = self.rejected = self.pruned = 0
        self._queue: queue.Queue[Item | None] = queue.Queue(queue_size)  # None wakes the writer
        self._batch_size = batch_size
        self._linger = linger
        self._prune_every = prune_every
        self._retry_after = retry_after
        self._recheck_after = recheck_after
        self._own_engine = own_engine
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._recent: deque[str] = deque()
        self._recent_ids: set[str] = set()
        self._closing = threading.Event()
        self._closed = False
        self._abandoned = False
        self._ready = threading.Event()
        if migrated:
            self._ready.set()
        self._trust_until = 0.0
        self._lookups: queue.SimpleQueue[tuple[str, Future[bool]] | None] = queue.SimpleQueue()
        self._unreported = 0
        self._last_error = ""
        self._next_report = 0.0
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)
        self._thread.start()
        self._looker = threading.Thread(target=self._look_up_ids, name="question-log-lookup",
                                         daemon=True)
        self._looker.start()

    # -- the caller's side ------------------------------------------------------------------

    def record(self, asked: Asked) -> None:
        """Queue an answer to be written; never blocks, never raises."""
        self._put(asked)

    def rate(self, feedback: Feedback) -> bool:
        """Queue a rating; False (nothing queued) when its answer id is unknown (see the
        module's notes: it may take up to about two seconds to say so)."""
        if self._closing.is_set():
            self._put(feedback)  # dropped and counted
            return True
        if not self.known(feedback.answer_id):
            return False
        self._put(feedback)
        return True

    def known(self, answer_id: str) -> bool:
        """Whether an answer with this id was recorded, or cannot be ruled out (queued here
        lately, the database not reached yet or not answering, or found on a second look)."""
        if self._queued_lately(answer_id) or not self._ready.is_set():
            return True
        if time.monotonic() < self._trust_until:
            return True
        found = self._look_up(answer_id)
        if found is not False:
            return True
        if self._closing.wait(self._recheck_after):
            return True
        return self._queued_lately(answer_id) or self._look_up(answer_id) is not False

    @property
    def alive(self) -> bool:
        """Whether the writer thread runs (False after close, or if it ever died)."""
        return self._thread.is_alive()

    @property
    def connected(self) -> bool:
        """Whether the database has been reached and migrated."""
        return self._ready.is_set()

    @property
    def pending(self) -> int:
        """Records queued or being written."""
        with self._lock:
            return self._pending

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far has been written (or failed); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued, stop the writer and release the database; records arriving
        afterwards are dropped. What is still unwritten after ``timeout`` seconds counts as
        failed. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        with self._lock:  # every record queued before this is written
            self._closing.set()
            with suppress(queue.Full):  # a full queue: the writer is busy and sees the flag
                self._queue.put_nowait(None)
        self._lookups.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abandon()
        elif self._unreported:
            self._report(force=True)
        if self._own_engine and not self._thread.is_alive():
            self.engine.dispose()

    def _abandon(self) -> None:
        """close() gave up waiting: what is queued will not be written, and what the writer
        holds may not be; all of it counts as failed, and the writer counts nothing more."""
        with self._idle:
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            lost = self._pending
            self.failed += lost
            self._pending = 0
            self._abandoned = True
            self._idle.notify_all()
        logger.error("question log: %d records unwritten at close, counted as failed", lost,
                     extra={"rows_failed": lost})

    def _put(self, item: Item) -> None:
        with self._idle:
            if self._closing.is_set():
                self.dropped += 1
                return
            try:
                self._queue.put_nowait(item)
            except queue.Full:
                self.dropped += 1
                return
            self._pending += 1
            if isinstance(item, Asked):
                self._remember(item.answer_id)

    def _remember(self, answer_id: str) -> None:
        if answer_id in self._recent_ids:
            return
        self._recent.append(answer_id)
        self._recent_ids.add(answer_id)
        if len(self._recent) > REMEMBERED:
            self._recent_ids.discard(self._recent.popleft())

    def _queued_lately(self, answer_id: str) -> bool:
        with self._lock:
            return answer_id in self._recent_ids

    def _look_up(self, answer_id: str) -> bool | None:
        """Whether the database has the answer; None when it could not say in time (the
        circuit breaker then opens)."""
        future: Future[bool] = Future()
        self._lookups.put((answer_id, future))
        try:
            return future.result(timeout=LOOKUP_TIMEOUT)
        except FutureTimeout:
            future.cancel()
            reason = f"no answer within {LOOKUP_TIMEOUT:g} s"
        except Exception as exc:  # the database's error: the rating is accepted
            reason = _describe(exc)
        self._trust_until = time.monotonic() + TRUST_FOR
        logger.warning("question log: cannot look up an answer id (%s); ratings accepted "
                       "unchecked for %g s", reason, TRUST_FOR)
        return None

    def _look_up_ids(self) -> None:
        """The look-up thread: one primary-key query at a time, for :meth:`_look_up`."""
        while (request := self._lookups.get()) is not None:
            answer_id, future = request
            if not future.set_running_or_notify_cancel():
                continue  # its caller stopped waiting
            try:
                with self.engine.connect() as connection:
                    found = connection.execute(
                        select(answers.c.id).where(answers.c.id == answer_id)).first()
            except Exception as exc:  # handed to the caller
                future.set_exception(exc)
            else:
                future.set_result(found is not None)

    # -- the writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        if not self._ready.is_set() and not self._connect():
            self._drop_queued()
            return
        next_prune = time.monotonic()
        while True:
            if self.retention_days and time.monotonic() >= next_prune and not self._closing.is_set():
                self._prune()
                next_prune = time.monotonic() + self._prune_every
            wait = max(0.0, next_prune - time.monotonic()) if self.retention_days else None
            try:
                first = self._queue.get(timeout=wait)
            except queue.Empty:
                continue
            batch = [] if first is None else [first]
            until = time.monotonic() + self._linger
            while first is not None and len(batch) < self._batch_size:
                try:
                    item = self._queue.get(timeout=max(0.0, until - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:  # closing: write what there is now
                    break
                batch.append(item)
            if batch:
                try:
                    self._write(batch)
                except Exception as exc:  # a fault of the writer's own: the batch is lost
                    self._fail(exc, len(batch))
                    self._done(len(batch), failed=len(batch))
            if self._closing.is_set() and self._queue.empty():
                return

    def _connect(self) -> bool:
        """Reach and migrate the database, trying again until it works (True) or the log is
        closed (False; one last attempt is made when closing)."""
        delay = self._retry_after
        while True:
            try:
                migrate(self.engine)
            except Exception as exc:  # logged (a ConfigurationError names no secret), retried
                self._failing = True
                self._last_error = str(exc) if isinstance(exc, ConfigurationError) \
                    else _describe(exc)
                if time.monotonic() >= self._next_report:
                    logger.error("question log: the database is not reached yet, %d records "
                                 "waiting (%s)", self.pending, self._last_error)
                    self._next_report = time.monotonic() + REPORT_EVERY
                if self._closing.is_set():
                    return False
                self._closing.wait(delay)
                delay = min(delay * 2, RECONNECT_EVERY)
                continue
            self._ready.set()
            self._failing = False
            self._next_report = 0.0
            logger.warning("question log: database reached and migrated; writing")
            return True

    def _write(self, batch: list[Item]) -> None:
        try:
            written, rejected = self._insert(batch)
        except (IntegrityError, DataError):
            self._write_one_by_one(batch)
        except SQLAlchemyError as exc:  # the database, or the connection to it
            self._fail(exc, len(batch))
            self._done(len(batch), failed=len(batch))
            if self._closing.is_set():
                self._drop_queued()
            else:
                self._closing.wait(self._retry_after)
        except Exception:  # e.g. a value the driver cannot send: find the row
            self._write_one_by_one(batch)
        else:
            self._done(len(batch), written=written, rejected=rejected)

    def _insert(self, batch: Sequence[Item]) -> tuple[int, int]:
        """Insert in one transaction; returns (rows written, ratings rejected)."""
        asked = [rows.answer_row(item) for item in batch if isinstance(item, Asked)]
        rated = [item for item in batch if isinstance(item, Feedback)]
        with self.engine.begin() as connection:
            if asked:
                connection.execute(insert(answers), asked)
            kept = rows.with_answer(connection, rated)
            if kept:
                connection.execute(insert(feedback), [rows.feedback_row(item) for item in kept])
        return len(asked) + len(kept), len(rated) - len(kept)

    def _write_one_by_one(self, batch: Sequence[Item]) -> None:
        written = rejected = failed = 0
        error: Exception | None = None
        for item in batch:
            try:
                done, refused = self._insert([item])
            except Exception as exc:  # counted and logged below, without the row
                failed, error = failed + 1, exc
            else:
                written, rejected = written + done, rejected + refused
        if error is not None:
            logger.error("question log: %d of %d rows refused by the database (%s)",
                         failed, len(batch), _describe(error),
                         extra={"rows_failed": failed})
        self._done(len(batch), written=written, rejected=rejected, failed=failed)

    def _done(self, size: int, *, written: int = 0, rejected: int = 0, failed: int = 0) -> None:
        # Said before the rows count as done, so that whoever waits on flush() sees it logged.
        if written and self._failing:
            self._report(force=True)
            self._failing = False
            logger.warning("question log: writing again")
        with self._idle:
            if self._abandoned:  # close() counted these already
                return
            self.written += written
            self.rejected += rejected
            self.failed += failed
            self._pending -= size
            self._idle.notify_all()

    def _drop_queued(self) -> None:
        """Closing while the database fails: what is still queued is counted as failed."""
        dropped = 0
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            dropped += item is not None
        if dropped:
            self._unreported += dropped
            self._done(dropped, failed=dropped)

    def _fail(self, exc: Exception, rows: int) -> None:
        self._failing = True
        self._unreported += rows
        self._last_error = _describe(exc)
        if time.monotonic() >= self._next_report:
            self._report()

    def _report(self, *, force: bool = False) -> None:
        if self._unreported or force:
            logger.error("question log: %d rows not written (%s)", self._unreported,
                         self._last_error or "no error", extra={"rows_failed": self._unreported})
        self._unreported = 0
        self._next_report = time.monotonic() + REPORT_EVERY

    def _prune(self) -> None:
        before = cutoff(self.retention_days)
        if before is None:
            return
        try:
            deleted = prune(self.engine, before)
        except Exception as exc:  # logged; tried again at the next prune
            logger.error("question log: old rows not deleted (%s)", _describe(exc))
            return
        with self._lock:
            self.pruned += deleted


def _describe(exc: BaseException) -> str:
    """An error without data: its class, SQLSTATE, and the driver's first line only for
    connection errors (other messages may quote a value; SQLAlchemy's text has the parameters)."""
    original: Any = getattr(exc, "orig", None) or exc
    text = type(original).__name__
    state = getattr(original, "sqlstate", None)
    if state:
        text += f" {state}"
    if isinstance(exc, OperationalError | InterfaceError):
        lines = str(original).strip().splitlines()
        if lines:
            text += f": {lines[0][:200]}"
    return text
