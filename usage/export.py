"""The administrator's export of the question log: every answer with its feedback.

``jsonl``: one JSON object per answer, its ratings in ``feedback`` (a list, oldest first).
``csv``: one row per rating, or one row with empty rating columns for an answer never rated,
with a header; a question or comment that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``) is prefixed with ``'``. Times are ISO 8601 in UTC; users appear only
as their keyed hashes. Rows are streamed, oldest answer first.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal, TextIO

from sqlalchemy import Engine, select

from usage.schema import answers, feedback, to_utc
from usage.spreadsheet import formula_safe

Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")
ANSWER_FIELDS = ("answer_id", "asked_at", "channel", "user_hash", "question", "status", "kind",
                 "verdict", "citations", "confidence", "latency_ms", "follow_up")
FEEDBACK_FIELDS = ("rated_at", "rating", "reason", "comment")


def export(engine: Engine, out: TextIO, fmt: Format = "jsonl") -> int:
    """Write the whole log to ``out`` in ``fmt``; returns the number of answers written."""
    if fmt == "jsonl":
        return _jsonl(engine, out)
    if fmt == "csv":
        return _csv(engine, out)
    raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")


def _jsonl(engine: Engine, out: TextIO) -> int:
    count = 0
    for answer, ratings in _answers(engine):
        out.write(json.dumps({**answer, "feedback": ratings}, ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv(engine: Engine, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*ANSWER_FIELDS, *FEEDBACK_FIELDS))
    count = 0
    for answer, ratings in _answers(engine):
        answer["question"] = formula_safe(answer["question"])
        answer["citations"] = " ".join(answer["citations"])
        first = [answer[name] for name in ANSWER_FIELDS]
        for rating in ratings or [dict.fromkeys(FEEDBACK_FIELDS)]:
            rating["comment"] = formula_safe(rating["comment"])
            writer.writerow([*first, *(rating[name] for name in FEEDBACK_FIELDS)])
        count += 1
    return count


def _answers(engine: Engine) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each answer with its ratings, from one ordered outer join read in chunks."""
    query = (
        select(answers, feedback.c.id.label("feedback_id"), feedback.c.at,
               feedback.c.rating, feedback.c.reason, feedback.c.comment)
        .outerjoin(feedback, feedback.c.answer_id == answers.c.id)
        .order_by(answers.c.asked_at, answers.c.id, feedback.c.at, feedback.c.id))
    current: dict[str, Any] | None = None
    ratings: list[dict[str, Any]] = []
    with engine.connect() as connection:
        for row in connection.execution_options(yield_per=1000).execute(query).mappings():
            if current is None or current["answer_id"] != row["id"]:
                if current is not None:
                    yield current, ratings
                current, ratings = _answer(row), []
            if row["feedback_id"] is not None:
                ratings.append({"rated_at": _time(row["at"]), "rating": row["rating"],
                                "reason": row["reason"], "comment": row["comment"]})
    if current is not None:
        yield current, ratings


def _answer(row: Any) -> dict[str, Any]:
    return {
        "answer_id": row["id"], "asked_at": _time(row["asked_at"]), "channel": row["channel"],
        "user_hash": row["user_hash"], "question": row["question"], "status": row["status"],
        "kind": row["kind"], "verdict": row["verdict"],
        "citations": row["citations"].split() if row["citations"] else [],
        "confidence": row["confidence"], "latency_ms": row["latency_ms"],
        "follow_up": bool(row["follow_up"])}


def _time(value: datetime | None) -> str | None:
    return None if value is None else to_utc(value).isoformat()
