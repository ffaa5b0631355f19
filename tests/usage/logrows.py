"""Rows for the report tests: a question log filled directly, without the writer."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, insert

from usage.schema import answers, feedback, metadata

_ids = itertools.count(1)


def log_engine(url: str) -> Engine:
    """The tables of :mod:`usage.schema` created in the empty database at ``url``."""
    engine = create_engine(url)
    metadata.create_all(engine)
    return engine


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time in March 2026, UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def add_answer(engine: Engine, question: str, asked_at: datetime, *, status: str = "answered",
               citations: str = "", channel: str = "api", latency_ms: float = 20.0) -> str:
    """Log one answer; returns its id."""
    answer_id = f"a{next(_ids):06d}"
    with engine.begin() as connection:
        connection.execute(insert(answers).values(
            id=answer_id, asked_at=asked_at, channel=channel, user_hash=None, question=question,
            status=status, kind=None, verdict=None, citations=citations, confidence=None,
            latency_ms=latency_ms, follow_up=False))
    return answer_id


def add_rating(engine: Engine, answer_id: str, at_: datetime, rating: int,
               reason: str | None = None, comment: str | None = None) -> None:
    """Log one rating of ``answer_id``."""
    with engine.begin() as connection:
        connection.execute(insert(feedback).values(
            answer_id=answer_id, at=at_, rating=rating, reason=reason, comment=comment))
