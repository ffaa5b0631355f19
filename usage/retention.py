"""How long the question log keeps rows: answers older than the retention period are deleted,
their feedback with them (``ON DELETE CASCADE``; SQLite enforces it because
:mod:`usage.database` turns foreign keys on).

The writer (:mod:`usage.writer`) prunes when it starts and every hour; ``policyqa log prune``
does it by hand. A period of 0 days keeps everything.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete

from usage.schema import answers, to_utc

logger = logging.getLogger(__name__)


def cutoff(days: int, now: datetime | None = None) -> datetime | None:
    """The time before which rows are deleted, ``days`` before ``now``; None for 0 (keep)."""
    if days < 0:
        raise ValueError(f"a retention period of {days} days")
    if days == 0:
        return None
    return to_utc(now or datetime.now(UTC)) - timedelta(days=days)


def prune(engine: Engine, before: datetime) -> int:
    """Delete the answers asked before ``before`` (and their feedback); returns how many."""
    with engine.begin() as connection:
        result = connection.execute(delete(answers).where(answers.c.asked_at < to_utc(before)))
    deleted = int(result.rowcount or 0)
    if deleted:
        logger.info("question log: %d answers older than %s deleted", deleted,
                    to_utc(before).isoformat(timespec="seconds"))
    return deleted
