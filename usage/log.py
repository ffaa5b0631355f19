"""The question log as the adapters see it: :class:`QuestionLog`, and how to get one.

Wiring (the entry points read the settings; this package never does)::

    log = open_log(settings.database_url.get_secret_value(), enabled=settings.log_questions,
                   retention_days=settings.log_retention_days)   # ConfigurationError if unusable
    users = UserHasher(settings.log_key)                          # usage.privacy
    log.record(Asked(answer_id, asked_at, "telegram", users.hash("telegram", user_id), ...))
    if not log.rate(Feedback(answer_id, at, -1, "outdated")):
        ...  # unknown answer id: 404
    log.close()                                                   # at shutdown: drains the queue

``record`` and ``rate`` never raise and never wait long for the database (``rate`` may look an
id up, a second at most, twice for an unknown one; see :mod:`usage.writer`); the log's failures
are logged and counted, never an answer's.
Open the log in each process that records (in every API worker, after the fork: its writer is a
thread and its connections are not shared across processes), and close it at shutdown.
:class:`MemoryLog` is the deterministic stand-in for tests of the adapters; :class:`NullLog` is
what ``log_questions=false`` gets.
"""

from __future__ import annotations

import logging
from typing import Protocol

from contract.errors import ConfigurationError
from usage.database import DatabaseUnavailable, connect, migrate
from usage.record import Asked, Feedback
from usage.writer import DatabaseLog

logger = logging.getLogger(__name__)


class QuestionLog(Protocol):
    """Where the adapters put what was asked and how it was rated."""

    def record(self, asked: Asked) -> None:
        """Keep one answer given. Returns at once; never raises."""

    def rate(self, feedback: Feedback) -> bool:
        """Keep a rating of an answer; False when no answer with its id was ever recorded
        (nothing is kept then). After :meth:`close` every rating is accepted and dropped: the
        process is stopping, and the answer may well exist. Never raises."""

    def close(self) -> None:
        """Write what is still queued and release the database."""


def open_log(url: str, *, enabled: bool = True, retention_days: int = 0) -> QuestionLog:
    """The question log of a deployment: a :class:`~usage.writer.DatabaseLog` on ``url``, or a
    :class:`NullLog` when logging is off. ``retention_days`` 0 keeps rows forever.

    The database is connected to and migrated now: a URL that cannot work (not a URL, no
    driver, a schema from a newer policyqa, a SQLite file that cannot be opened) raises
    ConfigurationError, so a wrong setting stops the start. A database server that cannot be
    reached now (or whose migration lock another process holds too long) does not: the log is
    returned all the same, logs why, and its writer keeps trying in the background, queueing
    what is recorded meanwhile."""
    if not enabled:
        return NullLog()
    engine = connect(url)
    try:
        migrate(engine)
    except DatabaseUnavailable as exc:
        if engine.url.get_backend_name() == "sqlite":
            engine.dispose()
            raise
        logger.error("question log: %s; answers are queued and written once it is reached", exc)
        return DatabaseLog(engine, retention_days=retention_days, migrated=False)
    except ConfigurationError:
        engine.dispose()
        raise
    return DatabaseLog(engine, retention_days=retention_days)


class NullLog:
    """Keeps nothing (``POLICYQA_LOG_QUESTIONS=false``): every rating is accepted and dropped,
    so a 👍 button still works."""

    def record(self, asked: Asked) -> None:
        """Forget it."""

    def rate(self, feedback: Feedback) -> bool:
        """Forget it; True (there is nothing to check the id against)."""
        return True

    def close(self) -> None:
        """Nothing to release."""


class MemoryLog:
    """An in-memory question log for tests: what was recorded and rated, in order."""

    def __init__(self) -> None:
        self.asked: list[Asked] = []
        self.feedback: list[Feedback] = []
        self.closed = False

    def record(self, asked: Asked) -> None:
        """Append it (ignored after close, like the real log)."""
        if not self.closed:
            self.asked.append(asked)

    def rate(self, feedback: Feedback) -> bool:
        """Append it when its answer was recorded; False otherwise. After close: True, and
        nothing kept (like the real log, which drops and counts it)."""
        if self.closed:
            return True
        if all(item.answer_id != feedback.answer_id for item in self.asked):
            return False
        self.feedback.append(feedback)
        return True

    def close(self) -> None:
        """Further records are ignored."""
        self.closed = True


def _conforms(database: DatabaseLog, memory: MemoryLog, null: NullLog) -> list[QuestionLog]:
    """Checked by mypy: every implementation is a QuestionLog."""
    return [database, memory, null]
