"""The question log's records as rows of its tables, with text every database can store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from usage.record import MAX_COMMENT, Asked, Feedback
from usage.schema import answers, to_utc


def with_answer(connection: Connection, rated: list[Feedback]) -> list[Feedback]:
    """The ratings whose answer is in the database (this batch's answers are inserted first)."""
    if not rated:
        return []
    ids = {item.answer_id for item in rated}
    present = set(connection.scalars(select(answers.c.id).where(answers.c.id.in_(ids))))
    return [item for item in rated if item.answer_id in present]


def storable(text: str) -> str:
    """``text`` as every database keeps it: valid UTF-8 (a lone surrogate becomes ``?``) and
    without NUL (PostgreSQL refuses it in text)."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def answer_row(asked: Asked) -> dict[str, Any]:
    """An answer given, as a row of ``answers``."""
    return {
        "id": asked.answer_id, "asked_at": to_utc(asked.asked_at), "channel": asked.channel,
        "user_hash": asked.user, "question": storable(asked.question), "status": asked.status,
        "kind": asked.kind, "verdict": asked.verdict,
        "citations": storable(" ".join(asked.citations)),
        "confidence": asked.confidence, "latency_ms": asked.latency_ms,
        "follow_up": asked.follow_up}


def feedback_row(rated: Feedback) -> dict[str, Any]:
    """A rating, as a row of ``feedback``."""
    comment = storable(rated.comment[:MAX_COMMENT]) if rated.comment else None
    return {"answer_id": rated.answer_id, "at": to_utc(rated.at), "rating": rated.rating,
            "reason": rated.reason, "comment": comment}
