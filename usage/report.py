"""Reports over the question log: what was asked, how it was answered, what was rated 👎, and
what the notices did not answer, grouped by topic.

Each query takes a SQLAlchemy ``Connection`` or ``Engine`` and a :class:`Period` (its bounds
in UTC, its days cut at midnight in the report's time zone) and returns small frozen records.
The SQL is plain selects that read the same in SQLite and PostgreSQL; counting by clause, by
local day, each answer's latest rating and the latency percentiles are done in Python, so no
dialect's date, window or percentile functions are needed.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import ColumnElement, Connection, Engine, and_, select

from usage.clusters import (
    DEFAULT_THRESHOLD,
    MAX_CLUSTERED,
    Cluster,
    Embed,
    Linkage,
    Question,
    cluster_questions,
    count_questions,
    most_asked,
)
from usage.record import REASON_LABELS
from usage.schema import answers, feedback
from usage.schema import to_utc as utc  # a naive time (as SQLite returns them) is UTC

logger = logging.getLogger(__name__)

Source = Connection | Engine
Label = Callable[[str, str], str | None]
"""(doc_id, clause_id) → the clause's label (七、（一）…), or None when it is not known."""
ALL_CHANNELS = "all"
"""The channel of the rows that count every channel together."""
ANSWERED = "answered"
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Period:
    """The times ``since`` (included) to ``until`` (excluded), kept in UTC; its days are the
    calendar days of ``tz`` (midnight to midnight there), and its times are shown in ``tz``."""

    since: datetime
    until: datetime
    tz: ZoneInfo = UTC_ZONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", utc(self.since))
        object.__setattr__(self, "until", utc(self.until))
        if self.until < self.since:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def last_days(cls, days: int, tz: ZoneInfo = UTC_ZONE, now: datetime | None = None
                  ) -> Period:
        """The last ``days`` calendar days of ``tz``, today included, up to ``now`` (default:
        the present moment): from midnight ``days - 1`` days before today, local time."""
        if days < 1:
            raise ValueError("a report covers at least one day")
        end = utc(now or datetime.now(UTC))
        first = end.astimezone(tz).date() - timedelta(days=days - 1)
        return cls(datetime.combine(first, time(), tzinfo=tz), end, tz)

    def day(self, moment: datetime) -> date:
        """The calendar day of ``tz`` that ``moment`` (naive: UTC) falls on."""
        return utc(moment).astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        """``moment`` (naive: UTC) as the time of ``tz``."""
        return utc(moment).astimezone(self.tz)

    @property
    def zone(self) -> str:
        """The time zone's name (Asia/Shanghai, UTC)."""
        return self.tz.key

    def days(self) -> list[date]:
        """Every calendar day of ``tz`` the period touches, in order."""
        first, last = self.day(self.since), self.day(self.until - timedelta(microseconds=1))
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
    """Questions of one local day (of the period's time zone) in one channel (or :data:`ALL_CHANNELS`), how many were
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
    """An answer whose latest rating in the period is 👎, with the question, what it cited,
    the latest reason and the comments given with its 👎 (see :func:`latest_ratings`)."""

    answer_id: str
    rated_at: datetime
    asked_at: datetime
    channel: str
    question: str
    status: str
    citations: tuple[str, ...]
    reason: str | None
    comment: str | None
    """The comments of its 👎 in order, joined by :data:`COMMENT_JOIN`; None without any."""

    @property
    def reason_label(self) -> str:
        """The reason as the user chose it (答非所问…), empty when none was given."""
        return REASON_LABELS.get(self.reason, self.reason) if self.reason else ""


@dataclass(frozen=True)
class Ratings:
    """The answers rated in the period by their latest rating: 👍, 👎, and the 👎 by reason
    (most given first)."""

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
    ungrouped: int = 0
    """How many distinct unanswered questions were past :data:`~usage.clusters.MAX_CLUSTERED`
    and are listed each on its own (last) rather than grouped."""

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
    """Questions, answers and latency per local day (the period's time zone): one row per day
    and channel, then one row per day for every channel together (:data:`ALL_CHANNELS`). Days without questions are
    left out."""
    latencies: dict[tuple[date, str], list[float]] = defaultdict(list)
    answered: Counter[tuple[date, str]] = Counter()
    query = select(answers.c.asked_at, answers.c.channel, answers.c.status,
                   answers.c.latency_ms).where(_asked_in(period))
    with connected(source) as connection:
        for asked_at, channel, status, latency in connection.execute(query):
            day = period.day(asked_at)
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


COMMENT_JOIN = "；"
"""Between the comments of an answer's 👎 in :attr:`Disliked.comment`."""


@dataclass(frozen=True)
class Rated:
    """An answer's ratings in a period, as one: its latest rating, when it was given, and —
    when that is a 👎 — the latest reason and every comment of its last run of 👎."""

    answer_id: str
    rating: int
    at: datetime
    reason: str | None
    comments: tuple[str, ...]


def latest_ratings(source: Source, period: Period) -> list[Rated]:
    """Each answer rated in the period once, by its latest rating there (by time, then by the
    row's id), newest first.

    An answer can be rated several times: the chat channels record 没帮助 at once and the
    reason chosen after it as a further 👎 row (:mod:`bot.conversation`), their buttons stay
    pressable, and ``POST /v1/feedback`` takes repeats. So 👍, 👎 counts as one 👎; 👎 then 👎
    条款过时 is one 👎 for 条款过时 (and stays so when 没帮助 is pressed once more); the
    ratings after ``until`` or before ``since`` play no part.
    """
    query = (select(feedback.c.answer_id, feedback.c.at, feedback.c.rating, feedback.c.reason,
                    feedback.c.comment)
             .where(feedback.c.at >= period.since, feedback.c.at < period.until)
             .order_by(feedback.c.at, feedback.c.id))
    runs: dict[str, list[tuple[datetime, int, str | None, str | None]]] = {}
    with connected(source) as connection:
        for answer_id, rated_at, rating, reason, comment in connection.execute(query):
            run = runs.setdefault(answer_id, [])
            if run and (rating > 0 or run[-1][1] > 0):  # a change of mind starts a new run
                run.clear()
            run.append((utc(rated_at), rating, reason, comment))
    rated = []
    for answer_id, run in runs.items():
        reasons = [reason for _, _, reason, _ in run if reason]
        comments = dict.fromkeys(c.strip() for _, _, _, c in run if c and c.strip())
        rated.append(Rated(answer_id, run[-1][1], run[-1][0], reasons[-1] if reasons else None,
                           tuple(comments)))
    rated.sort(key=lambda r: (r.at, r.answer_id), reverse=True)
    return rated


def ratings(source: Source, period: Period) -> Ratings:
    """How many answers rated in the period have a 👍 and a 👎 as their latest rating there,
    and those 👎 by reason (:func:`latest_ratings`)."""
    return _ratings(latest_ratings(source, period))


def _ratings(rated: list[Rated]) -> Ratings:
    up = sum(1 for r in rated if r.rating > 0)
    reasons = Counter(REASON_LABELS.get(r.reason, r.reason) if r.reason else "未说明"
                      for r in rated if r.rating < 0)
    return Ratings(up, len(rated) - up,
                   tuple(sorted(reasons.items(), key=lambda r: (-r[1], r[0]))))


def disliked(source: Source, period: Period, limit: int | None = None) -> list[Disliked]:
    """The answers whose latest rating in the period is 👎, each once, newest rating first,
    with the latest reason and the comments (:func:`latest_ratings`)."""
    with connected(source) as connection:
        return _disliked(connection, latest_ratings(connection, period), limit)


def _disliked(connection: Connection, rated: list[Rated], limit: int | None) -> list[Disliked]:
    down = [r for r in rated if r.rating < 0][:limit]
    found: dict[str, tuple[datetime, str, str, str, str | None]] = {}
    ids = [r.answer_id for r in down]
    for start in range(0, len(ids), 500):  # bounded IN lists
        query = select(answers.c.id, answers.c.asked_at, answers.c.channel, answers.c.question,
                       answers.c.status, answers.c.citations).where(
            answers.c.id.in_(ids[start:start + 500]))
        for answer_id, asked_at, channel, question, status, citations in \
                connection.execute(query):
            found[answer_id] = (utc(asked_at), channel, question, status, citations)
    return [Disliked(r.answer_id, r.at, asked_at, channel, question, status,
                     split_citations(citations), r.reason,
                     COMMENT_JOIN.join(r.comments) if r.comments else None)
            for r in down if r.answer_id in found
            for asked_at, channel, question, status, citations in (found[r.answer_id],)]


def unanswered_questions(source: Source, period: Period) -> list[Question]:
    """The distinct questions of the period that were not answered, with their counts."""
    query = select(answers.c.question).where(_asked_in(period), answers.c.status != ANSWERED)
    with connected(source) as connection:
        return count_questions(text for (text,) in connection.execute(query))


def unanswered(source: Source, period: Period, embed: Embed | None,
               threshold: float = DEFAULT_THRESHOLD, linkage: Linkage = "average",
               max_clustered: int = MAX_CLUSTERED) -> list[Cluster]:
    """The questions not answered, grouped by similarity (:mod:`usage.clusters`); without
    ``embed`` each distinct question is a group of its own."""
    return group(unanswered_questions(source, period), embed, threshold, linkage, max_clustered)


def group(questions: list[Question], embed: Embed | None,
          threshold: float = DEFAULT_THRESHOLD, linkage: Linkage = "average",
          max_clustered: int = MAX_CLUSTERED) -> list[Cluster]:
    """Distinct questions grouped by similarity, or one group each without ``embed``.

    Only the ``max_clustered`` most asked are grouped (the clustering holds n×n matrices);
    the rest follow them, each a group of its own, most asked first."""
    if embed is None:
        return _singles(questions)
    head, rest = most_asked(questions, max_clustered)
    return cluster_questions(head, embed, threshold, linkage) + _singles(rest)


def _singles(questions: list[Question]) -> list[Cluster]:
    singles = [Cluster(q.text, q.count, (q,)) for q in questions]
    return sorted(singles, key=lambda c: (-c.count, c.representative))


def build_report(source: Source, period: Period, *, embed: Embed | None = None,
                 label: Label | None = None, topics: int | None = 20,
                 threshold: float = DEFAULT_THRESHOLD, linkage: Linkage = "average",
                 max_clustered: int = MAX_CLUSTERED) -> Report:
    """Every part of the report, read in one connection (closed before the questions are
    embedded). Days are those of ``period.tz``."""
    with connected(source) as connection:
        days = traffic(connection, period)
        top = top_topics(connection, period, topics, label)
        rated = latest_ratings(connection, period)
        down = _disliked(connection, rated, None)
        questions = unanswered_questions(connection, period)
    totals = [row for row in days if row.channel == ALL_CHANNELS]
    return Report(
        period=period, asked=sum(row.asked for row in totals),
        answered=sum(row.answered for row in totals), topics=tuple(top), days=tuple(days),
        ratings=_ratings(rated), disliked=tuple(down),
        unanswered=tuple(group(questions, embed, threshold, linkage, max_clustered)),
        ungrouped=0 if embed is None else max(0, len(questions) - max_clustered))
