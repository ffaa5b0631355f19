"""Reports over the question log: what was asked, how it was answered, what was rated 👎, and
what the notices did not answer, grouped by topic.

Each query takes a SQLAlchemy ``Connection`` or ``Engine`` and a :class:`Period` (UTC) and
returns small frozen records. The SQL is plain selects that read the same in SQLite and
PostgreSQL; counting by clause, by day and the latency percentiles are done in Python, so no
dialect's date or percentile functions are needed.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import ColumnElement, Connection, Engine, and_, exists, func, not_, select

from usage.clusters import (
    DEFAULT_THRESHOLD,
    Cluster,
    Embed,
    Linkage,
    Question,
    cluster_questions,
    count_questions,
)
from usage.record import REASON_LABELS
from usage.schema import answers, feedback

logger = logging.getLogger(__name__)

Source = Connection | Engine
Label = Callable[[str, str], str | None]
"""(doc_id, clause_id) → the clause's label (七、（一）…), or None when it is not known."""
ALL_CHANNELS = "all"
"""The channel of the rows that count every channel together."""
ANSWERED = "answered"


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time (as SQLite returns them) is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """The times ``since`` (included) to ``until`` (excluded), in UTC."""

    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", utc(self.since))
        object.__setattr__(self, "until", utc(self.until))
        if self.until < self.since:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def last_days(cls, days: int, now: datetime | None = None) -> Period:
        """The ``days`` days up to ``now`` (default: the present moment)."""
        if days < 1:
            raise ValueError("a report covers at least one day")
        end = utc(now or datetime.now(UTC))
        return cls(end - timedelta(days=days), end)

    def days(self) -> list[date]:
        """Every UTC calendar day the period touches, in order."""
        first, last = self.since.date(), (self.until - timedelta(microseconds=1)).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class Topic:
    """A clause the answers cited: how many answers rested on it first, and how many more
    cited it further down."""

    doc_id: str
    clause_id: str
    count: int
    also_cited: int
    label: str | None = None

    @property
    def citation(self) -> str:
        return f"{self.doc_id}:{self.clause_id}"


@dataclass(frozen=True)
class DayStats:
    """Questions of one UTC day in one channel (or :data:`ALL_CHANNELS`), how many were
    answered, and the latency of their answers."""

    day: date
    channel: str
    asked: int
    answered: int
    p50_ms: float
    p95_ms: float

    @property
    def answer_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Disliked:
    """An answer rated 👎, with the question, what it cited, the reason and the comment."""

    answer_id: str
    rated_at: datetime
    asked_at: datetime
    channel: str
    question: str
    status: str
    citations: tuple[str, ...]
    reason: str | None
    comment: str | None

    @property
    def reason_label(self) -> str:
        """The reason as the user chose it (答非所问…), empty when none was given."""
        return REASON_LABELS.get(self.reason, self.reason) if self.reason else ""


@dataclass(frozen=True)
class Ratings:
    """The ratings given in the period: 👍, 👎, and the 👎 by reason (most given first)."""

    up: int
    down: int
    reasons: tuple[tuple[str, int], ...]
    """(reason label, count); 未说明 for a 👎 without a reason."""


@dataclass(frozen=True)
class Report:
    """Everything the report page, the CSV files and ``policyqa report`` show."""

    period: Period
    asked: int
    answered: int
    topics: tuple[Topic, ...]
    days: tuple[DayStats, ...]
    ratings: Ratings
    disliked: tuple[Disliked, ...]
    unanswered: tuple[Cluster, ...]
    """The questions not answered, grouped by similarity; most asked first."""

    @property
    def answer_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    @property
    def unanswered_count(self) -> int:
        return sum(cluster.count for cluster in self.unanswered)


@contextmanager
def connected(source: Source) -> Iterator[Connection]:
    """A connection: ``source`` itself, or a new one from an engine (closed afterwards)."""
    if isinstance(source, Connection):
        yield source
    else:
        with source.connect() as connection:
            yield connection


def _asked_in(period: Period) -> ColumnElement[bool]:
    return and_(answers.c.asked_at >= period.since, answers.c.asked_at < period.until)


def split_citations(text: str | None) -> tuple[str, ...]:
    """The stored ``doc_id:clause_id`` list (space-separated, best first) as a tuple."""
    return tuple((text or "").split())


def top_topics(source: Source, period: Period, limit: int | None = 20,
               label: Label | None = None) -> list[Topic]:
    """The clauses answered questions rested on, most often first (then by citation)."""
    first: Counter[str] = Counter()
    further: Counter[str] = Counter()
    query = select(answers.c.citations).where(_asked_in(period), answers.c.status == ANSWERED)
    with connected(source) as connection:
        for (citations,) in connection.execute(query):
            cited = dict.fromkeys(split_citations(citations))  # each clause once per answer
            for position, citation in enumerate(cited):
                (first if position == 0 else further)[citation] += 1
    ranked = sorted(set(first) | set(further), key=lambda c: (-first[c], -further[c], c))
    topics = []
    for citation in ranked[:limit]:
        doc_id, _, clause_id = citation.rpartition(":")
        topics.append(Topic(doc_id, clause_id, first[citation], further[citation],
                            _label(label, doc_id, clause_id)))
    return topics


def _label(label: Label | None, doc_id: str, clause_id: str) -> str | None:
    if label is None:
        return None
    try:
        return label(doc_id, clause_id)
    except Exception:  # a clause since removed from the index: the report still shows the id
        logger.debug("no label for %s:%s", doc_id, clause_id, exc_info=True)
        return None


def traffic(source: Source, period: Period) -> list[DayStats]:
    """Questions, answers and latency per UTC day: one row per day and channel, then one row
    per day for every channel together (:data:`ALL_CHANNELS`). Days without questions are
    left out."""
    latencies: dict[tuple[date, str], list[float]] = defaultdict(list)
    answered: Counter[tuple[date, str]] = Counter()
    query = select(answers.c.asked_at, answers.c.channel, answers.c.status,
                   answers.c.latency_ms).where(_asked_in(period))
    with connected(source) as connection:
        for asked_at, channel, status, latency in connection.execute(query):
            day = utc(asked_at).date()
            for key in ((day, channel), (day, ALL_CHANNELS)):
                latencies[key].append(float(latency))
                answered[key] += status == ANSWERED
    rows = []
    for (day, channel), values in latencies.items():
        p50, p95 = np.percentile(np.asarray(values), [50, 95])
        rows.append(DayStats(day, channel, len(values), answered[day, channel],
                             round(float(p50), 1), round(float(p95), 1)))
    rows.sort(key=lambda r: (r.day, r.channel == ALL_CHANNELS, r.channel))
    return rows


def _completed() -> ColumnElement[bool]:
    """A 👎 without a reason that a later 👎 of the same answer gives a reason for: the chat
    channels record 没帮助 at once and the reason chosen after it as a further row
    (:mod:`bot.conversation`), which is one 👎, counted with its reason."""
    later = feedback.alias("later")
    return and_(feedback.c.rating < 0, feedback.c.reason.is_(None), exists().where(
        later.c.answer_id == feedback.c.answer_id, later.c.rating < 0,
        later.c.reason.is_not(None), later.c.id > feedback.c.id))


def ratings(source: Source, period: Period) -> Ratings:
    """How many 👍 and 👎 were given in the period, and the 👎 by reason (a 👎 without a reason
    followed by one with a reason for the same answer counts once, with the reason)."""
    query = select(feedback.c.rating, feedback.c.reason, func.count()).where(
        feedback.c.at >= period.since, feedback.c.at < period.until, not_(_completed())
    ).group_by(feedback.c.rating, feedback.c.reason)
    up = down = 0
    reasons: Counter[str] = Counter()
    with connected(source) as connection:
        for rating, reason, count in connection.execute(query):
            if rating > 0:
                up += count
            else:
                down += count
                reasons[REASON_LABELS.get(reason, reason) if reason else "未说明"] += count
    return Ratings(up, down, tuple(sorted(reasons.items(), key=lambda r: (-r[1], r[0]))))


def disliked(source: Source, period: Period, limit: int | None = None) -> list[Disliked]:
    """The 👎 ratings given in the period, newest first, with the answers they rate (a 👎
    whose reason came in a later row is that row)."""
    query = (
        select(answers.c.id, feedback.c.at, answers.c.asked_at, answers.c.channel,
               answers.c.question, answers.c.status, answers.c.citations, feedback.c.reason,
               feedback.c.comment)
        .join(answers, answers.c.id == feedback.c.answer_id)
        .where(feedback.c.rating < 0, feedback.c.at >= period.since, feedback.c.at < period.until,
               not_(_completed()))
        .order_by(feedback.c.at.desc(), feedback.c.id.desc())
        .limit(limit))
    with connected(source) as connection:
        return [Disliked(answer_id, utc(rated_at), utc(asked_at), channel, question, status,
                         split_citations(citations), reason, comment)
                for answer_id, rated_at, asked_at, channel, question, status, citations, reason,
                comment in connection.execute(query)]


def unanswered_questions(source: Source, period: Period) -> list[Question]:
    """The distinct questions of the period that were not answered, with their counts."""
    query = select(answers.c.question).where(_asked_in(period), answers.c.status != ANSWERED)
    with connected(source) as connection:
        return count_questions(text for (text,) in connection.execute(query))


def unanswered(source: Source, period: Period, embed: Embed | None,
               threshold: float = DEFAULT_THRESHOLD, linkage: Linkage = "average"
               ) -> list[Cluster]:
    """The questions not answered, grouped by similarity (:mod:`usage.clusters`); without
    ``embed`` each distinct question is a group of its own."""
    return group(unanswered_questions(source, period), embed, threshold, linkage)


def group(questions: list[Question], embed: Embed | None,
          threshold: float = DEFAULT_THRESHOLD, linkage: Linkage = "average") -> list[Cluster]:
    """Distinct questions grouped by similarity, or one group each without ``embed``."""
    if embed is None:
        singles = [Cluster(q.text, q.count, (q,)) for q in questions]
        return sorted(singles, key=lambda c: (-c.count, c.representative))
    return cluster_questions(questions, embed, threshold, linkage)


def build_report(source: Source, period: Period, *, embed: Embed | None = None,
                 label: Label | None = None, topics: int | None = 20,
                 threshold: float = DEFAULT_THRESHOLD, linkage: Linkage = "average"
                 ) -> Report:
    """Every part of the report, read in one connection (closed before the questions are
    embedded)."""
    with connected(source) as connection:
        days = traffic(connection, period)
        top = top_topics(connection, period, topics, label)
        rated = ratings(connection, period)
        down = disliked(connection, period)
        questions = unanswered_questions(connection, period)
    totals = [row for row in days if row.channel == ALL_CHANNELS]
    return Report(
        period=period, asked=sum(row.asked for row in totals),
        answered=sum(row.answered for row in totals), topics=tuple(top), days=tuple(days),
        ratings=rated, disliked=tuple(down),
        unanswered=tuple(group(questions, embed, threshold, linkage)))
