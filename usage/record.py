"""The records of the question log: one per answer given, one per rating of an answer.

A record's free text — the question, a rating's comment — is masked as the record is made
(:func:`usage.privacy.mask_personal_data`: phone, ID card and e-mail in it become placeholders),
so that no log, queue, database or export ever holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from contract.answer import Answer
from usage.privacy import mask_personal_data

Channel = Literal["api", "widget", "telegram", "wecom", "dingtalk", "cli"]
Rating = Literal[1, -1]
Reason = Literal["off_topic", "outdated", "unclear", "other"]
"""Why an answer was rated 👎: 答非所问, 条款过时, 没说清楚, 其他 (with free text)."""

REASON_LABELS: dict[str, str] = {
    "off_topic": "答非所问", "outdated": "条款过时", "unclear": "没说清楚", "other": "其他"}
MAX_COMMENT = 500
"""A feedback comment's length limit in characters."""


@dataclass(frozen=True)
class Asked:
    """One answer given: what was asked and what came back, without who asked.

    ``answer_id`` is the id the client gets with the answer and sends back with a rating;
    ``user`` is a keyed hash of the channel's user id (never the id itself), or None.
    """

    answer_id: str
    asked_at: datetime
    channel: Channel
    user: str | None
    question: str
    status: str
    kind: str | None
    verdict: str | None
    citations: tuple[str, ...]
    """The cited clauses as ``doc_id:clause_id``, best first."""
    confidence: float | None
    latency_ms: float
    follow_up: bool = False
    """The question was read against the previous answer of the same conversation."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "question", mask_personal_data(self.question))


@dataclass(frozen=True)
class Feedback:
    """A rating of one answer, with a reason and a comment when it was 👎."""

    answer_id: str
    at: datetime
    rating: Rating
    reason: Reason | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        if self.comment:
            object.__setattr__(self, "comment", mask_personal_data(self.comment))


def asked_from(answer: Answer, *, answer_id: str, at: datetime, channel: Channel,
               user: str | None, latency_ms: float, follow_up: bool = False) -> Asked:
    """The log's record of an answer given (``user``: the keyed hash, never the id; the
    question masked, see :class:`Asked`)."""
    return Asked(answer_id=answer_id, asked_at=at, channel=channel, user=user,
                 question=answer.question, status=answer.status, kind=answer.kind,
                 verdict=answer.verdict,
                 citations=tuple(f"{c.doc_id}:{c.clause_id}" for c in answer.citations),
                 confidence=answer.confidence, latency_ms=latency_ms, follow_up=follow_up)
