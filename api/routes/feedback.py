"""Ratings of answers: ``POST /v1/feedback`` (👍/👎 with a reason), kept in the question log."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, status

from api.deps import LogDep
from api.errors import problem_responses
from api.schemas import FeedbackRequest, ThumbsDown
from contract.errors import NotFound
from usage.record import Feedback

router = APIRouter(tags=["answers"])


@router.post("/v1/feedback", status_code=status.HTTP_204_NO_CONTENT,
             responses=problem_responses((404, "No such answer")))
def feedback(body: FeedbackRequest, log: LogDep) -> None:
    """Rate an answer by its ``answer_id``: up, or down with a reason (and a comment)."""
    # The log may look the id up in its database: a plain def runs in the thread pool.
    at = datetime.now(UTC)
    rated = Feedback(body.answer_id, at, -1, body.reason, body.comment) \
        if isinstance(body, ThumbsDown) else Feedback(body.answer_id, at, 1)
    if not log.rate(rated):
        raise NotFound(f"no answer {body.answer_id}")
