"""Records for the question log's tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from usage.record import Asked, Feedback, Rating, Reason

_ids = itertools.count(1)
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def asked(question: str = "社会救助审批权下放到哪一级？", *, at: datetime = T0,
          user: str | None = None, answer_id: str | None = None) -> Asked:
    """An answered question."""
    return Asked(
        answer_id=answer_id or f"ans{next(_ids):08d}", asked_at=at, channel="api", user=user,
        question=question, status="answered", kind="who", verdict=None,
        citations=("fujian-2021:2.3", "fujian-2021:4.1"), confidence=0.82, latency_ms=12.5)


def rated(answer_id: str, rating: Rating = -1, reason: Reason | None = "outdated",
          comment: str | None = None, *, at: datetime = T0 + timedelta(minutes=1)) -> Feedback:
    """A rating of an answer."""
    return Feedback(answer_id=answer_id, at=at, rating=rating, reason=reason, comment=comment)
