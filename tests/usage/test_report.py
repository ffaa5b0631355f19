"""The report queries over a question log in SQLite and in PostgreSQL: topics, traffic, ratings,
👎, unanswered."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import Engine

from index.fake import HashingEncoder
from tests.usage.logrows import add_answer, add_rating, at, log_engine
from usage.clusters import Question
from usage.report import (
    ALL_CHANNELS,
    Period,
    build_report,
    disliked,
    ratings,
    top_topics,
    traffic,
    unanswered,
    unanswered_questions,
)

MARCH = Period(at(1, 0), at(8, 0))  # 1 to 7 March 2026
SHANGHAI = ZoneInfo("Asia/Shanghai")


def fake_embed(texts: Sequence[str]) -> np.ndarray:
    return HashingEncoder().encode(list(texts), "query")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An empty log in SQLite, and in PostgreSQL (``database_url`` of tests/usage/conftest.py)."""
    engine = log_engine(database_url)
    yield engine
    engine.dispose()


def test_a_period_is_utc_and_lists_its_days() -> None:
    shanghai = timezone(timedelta(hours=8))
    period = Period(datetime(2026, 3, 2, 7, 0, tzinfo=shanghai), datetime(2026, 3, 3, 0, 0))
    assert period.since == datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    assert period.until == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # naive is UTC
    assert period.days() == [date(2026, 3, 1), date(2026, 3, 2)]  # until is excluded
    week = Period.last_days(7, now=at(8, 12))  # the last 7 days, today included
    assert (week.since, week.until) == (at(2, 0), at(8, 12)) and len(week.days()) == 7
    assert week.zone == "UTC" and period.zone == "UTC"


def test_the_days_of_a_period_are_those_of_its_time_zone() -> None:
    """Midnight in Beijing is 16:00 UTC the day before: the last N days start there."""
    week = Period.last_days(7, SHANGHAI, now=at(8, 12))  # 20:00 on 8 March in Beijing
    assert week.since == at(1, 16) and week.until == at(8, 12)
    assert week.days() == [date(2026, 3, d) for d in range(2, 9)]
    assert (week.zone, week.day(at(2, 15, 59)), week.day(at(2, 16))) == (
        "Asia/Shanghai", date(2026, 3, 2), date(2026, 3, 3))
    assert week.local(at(2, 23, 30)) == datetime(2026, 3, 3, 7, 30, tzinfo=SHANGHAI)
    late = Period.last_days(1, SHANGHAI, now=at(8, 17))  # 01:00 on 9 March in Beijing
    assert late.since == at(8, 16) and late.days() == [date(2026, 3, 9)]
    with pytest.raises(ValueError):
        Period(at(2), at(1))
    with pytest.raises(ValueError):
        Period.last_days(0)


def test_topics_count_the_first_citation_apart_from_the_further_ones(engine: Engine) -> None:
    add_answer(engine, "养老机构还要许可吗", at(2), citations="fj:7.1 fj:2.2")
    add_answer(engine, "开养老院要审批吗", at(3), citations="fj:7.1")
    add_answer(engine, "医保怎么办", at(3), citations="fj:2.2 fj:7.1 fj:7.1")  # repeated once
    add_answer(engine, "证照分离谁牵头", at(4), citations="gf-2018-39:A1.9")
    add_answer(engine, "明天下雨吗", at(4), status="not_found", citations="fj:9.9")  # not counted
    add_answer(engine, "before the period", at(1, 0) - timedelta(seconds=1), citations="fj:8.1")
    add_answer(engine, "at its end", at(8, 0), citations="fj:8.1")  # until is excluded
    labels = {("fj", "7.1"): "七、（一）创新养老和医疗服务供给"}

    def label(doc_id: str, clause_id: str) -> str | None:
        if clause_id == "A1.9":
            raise KeyError(clause_id)  # a clause since removed: shown without a label
        return labels.get((doc_id, clause_id))

    topics = top_topics(engine, MARCH, label=label)
    assert [(t.citation, t.count, t.also_cited) for t in topics] == [
        ("fj:7.1", 2, 1), ("fj:2.2", 1, 1), ("gf-2018-39:A1.9", 1, 0)]
    assert topics[0].label == "七、（一）创新养老和医疗服务供给"
    assert topics[1].label is None and topics[2].label is None
    assert (topics[2].doc_id, topics[2].clause_id) == ("gf-2018-39", "A1.9")
    assert [t.citation for t in top_topics(engine, MARCH, limit=1)] == ["fj:7.1"]
    assert top_topics(engine, Period(at(5), at(6))) == []


def test_traffic_per_day_and_channel_with_latency_percentiles(engine: Engine) -> None:
    for latency in (10.0, 20.0, 30.0, 40.0, 100.0):
        add_answer(engine, "q", at(2, 9), latency_ms=latency)
    add_answer(engine, "q", at(2, 23, 59), status="not_found", channel="widget", latency_ms=5.0)
    add_answer(engine, "q", at(3, 0, 1), channel="widget", latency_ms=7.0)  # the next UTC day
    rows = {(r.day.day, r.channel): r for r in traffic(engine, MARCH)}
    assert list(rows) == [(2, "api"), (2, "widget"), (2, ALL_CHANNELS), (3, "widget"),
                          (3, ALL_CHANNELS)]
    api = rows[2, "api"]
    assert (api.asked, api.answered, api.answer_rate) == (5, 5, 1.0)
    assert (api.p50_ms, api.p95_ms) == (30.0, 88.0)  # linear between the 4th and 5th value
    assert (rows[2, "widget"].asked, rows[2, "widget"].answered) == (1, 0)
    day = rows[2, ALL_CHANNELS]
    assert (day.asked, day.answered, round(day.answer_rate, 3)) == (6, 5, 0.833)
    assert day.p50_ms == 25.0
    assert (rows[3, ALL_CHANNELS].asked, rows[3, ALL_CHANNELS].p95_ms) == (1, 7.0)


def test_ratings_and_the_answers_rated_down(engine: Engine) -> None:
    good = add_answer(engine, "养老机构还要许可吗", at(2), citations="fj:7.1")
    bad = add_answer(engine, "<b>医保</b>怎么转", at(2), citations="fj:2.3 fj:A1.9")
    old = add_answer(engine, "去年的问题", at(1, 0) - timedelta(days=3))
    add_rating(engine, good, at(2, 13), 1)
    add_rating(engine, bad, at(3), -1, "off_topic", "问的是转移，答的是参保")
    add_rating(engine, bad, at(4), -1, "outdated")
    add_rating(engine, old, at(5), -1)  # rated in the period: counted, without a reason
    add_rating(engine, good, at(9), -1, "unclear")  # after the period
    summary = ratings(engine, MARCH)
    assert (summary.up, summary.down) == (1, 2)  # bad is rated down twice: once, its latest
    assert summary.reasons == (("未说明", 1), ("条款过时", 1))
    down = disliked(engine, MARCH)
    assert [(d.answer_id, d.reason_label) for d in down] == [(old, ""), (bad, "条款过时")]
    assert down[1].question == "<b>医保</b>怎么转" and down[1].citations == ("fj:2.3", "fj:A1.9")
    assert down[1].comment == "问的是转移，答的是参保"  # the comment of its earlier 👎 kept
    assert down[1].rated_at == at(4) and down[1].asked_at == at(2)
    assert down[0].asked_at < MARCH.since
    assert [d.answer_id for d in disliked(engine, MARCH, limit=1)] == [old]


def test_each_answer_counts_once_by_its_latest_rating(engine: Engine) -> None:
    """Chat buttons stay pressable and POST /v1/feedback takes repeats: an answer rated 👍, 👍,
    👎, 👎 条款过时, 👎 没说清楚 is one 👎 for 没说清楚, listed once with both comments."""
    repeated = add_answer(engine, "养老机构还要许可吗", at(2))
    changed = add_answer(engine, "医保怎么转", at(2))
    again = add_answer(engine, "开养老院要审批吗", at(2))
    up_then_down = add_answer(engine, "证照分离谁牵头", at(2))
    add_rating(engine, repeated, at(3, 1), 1)
    add_rating(engine, repeated, at(3, 2), 1)
    add_rating(engine, repeated, at(3, 3), -1)
    add_rating(engine, repeated, at(3, 4), -1, "outdated", "去年改了")
    add_rating(engine, repeated, at(3, 5), -1, "unclear", "看不懂")
    add_rating(engine, changed, at(3, 1), -1, "off_topic", "答非所问")
    add_rating(engine, changed, at(3, 2), 1)  # changed its mind: a 👍
    add_rating(engine, again, at(4, 1), -1)
    add_rating(engine, again, at(4, 2), -1, "outdated")
    add_rating(engine, again, at(4, 3), -1)  # 没帮助 pressed again: still 条款过时
    add_rating(engine, up_then_down, at(5, 1), 1)
    add_rating(engine, up_then_down, at(5, 2), -1)
    summary = ratings(engine, MARCH)
    assert (summary.up, summary.down) == (1, 3)
    assert summary.reasons == (("未说明", 1), ("条款过时", 1), ("没说清楚", 1))
    down = disliked(engine, MARCH)
    assert [(d.answer_id, d.reason, d.comment, d.rated_at) for d in down] == [
        (up_then_down, None, None, at(5, 2)),
        (again, "outdated", None, at(4, 3)),
        (repeated, "unclear", "去年改了；看不懂", at(3, 5))]
    report = build_report(engine, MARCH)
    assert (report.ratings, report.disliked) == (summary, tuple(down))


def test_only_the_ratings_within_the_period_count(engine: Engine) -> None:
    """A 没帮助 inside the period whose reason came after it ends is a 👎 without a reason
    there, and a 👎 for that reason in the next period; a rating before the period is not
    looked at."""
    chat = add_answer(engine, "养老机构还要许可吗", at(2))
    earlier = add_answer(engine, "医保怎么转", at(2))
    add_rating(engine, chat, at(7, 23, 59), -1)
    add_rating(engine, chat, at(8, 0), -1, "outdated")  # until is excluded
    add_rating(engine, earlier, at(1, 0) - timedelta(minutes=1), -1, "off_topic")
    add_rating(engine, earlier, at(2, 13), 1)
    summary = ratings(engine, MARCH)
    assert (summary.up, summary.down, summary.reasons) == (1, 1, (("未说明", 1),))
    assert [(d.answer_id, d.reason) for d in disliked(engine, MARCH)] == [(chat, None)]
    after = Period(at(8, 0), at(9, 0))
    assert [(d.answer_id, d.reason) for d in disliked(engine, after)] == [(chat, "outdated")]
    before = Period(at(1, 0) - timedelta(days=1), at(1, 0))
    assert [(d.answer_id, d.reason) for d in disliked(engine, before)] == [
        (earlier, "off_topic")]


def test_a_reason_chosen_after_a_bare_down_rating_completes_it(engine: Engine) -> None:
    """The chat channels record 没帮助 at once and the reason chosen after it as a further row:
    one 👎, with its reason; a 没帮助 never given a reason stays a 👎 without one."""
    chat = add_answer(engine, "养老机构还要许可吗", at(2))
    bare = add_answer(engine, "医保怎么转", at(2))
    add_rating(engine, chat, at(3), -1)
    add_rating(engine, chat, at(3, 13), -1, "outdated")
    add_rating(engine, bare, at(4), -1)
    summary = ratings(engine, MARCH)
    assert (summary.up, summary.down) == (0, 2)
    assert summary.reasons == (("未说明", 1), ("条款过时", 1))
    assert [(d.answer_id, d.reason_label) for d in disliked(engine, MARCH)] == [
        (bare, ""), (chat, "条款过时")]


def test_unanswered_questions_are_counted_and_grouped(engine: Engine) -> None:
    for text in ("驾驶证到期了怎么换证", " 驾驶证到期了怎么换证 ", "驾驶证到期了怎么换"):
        add_answer(engine, text, at(2), status="not_found")
    for text in ("营业执照丢了怎么补办", "营业执照丢了如何补办"):
        add_answer(engine, text, at(3), status="not_found")
    add_answer(engine, "养老机构还要许可吗", at(3))  # answered: not listed
    add_answer(engine, "营业执照丢了怎么补办", at(9), status="not_found")  # outside the period
    assert sorted(unanswered_questions(engine, MARCH), key=lambda q: q.text) == [
        Question("营业执照丢了如何补办", 1), Question("营业执照丢了怎么补办", 1),
        Question("驾驶证到期了怎么换", 1), Question("驾驶证到期了怎么换证", 2)]
    clusters = unanswered(engine, MARCH, fake_embed, threshold=0.6)
    assert [(c.representative, c.count, len(c.questions)) for c in clusters] == [
        ("驾驶证到期了怎么换证", 3, 2), ("营业执照丢了如何补办", 2, 2)]  # a tie: first by text
    singles = unanswered(engine, MARCH, None)
    assert (singles[0].representative, singles[0].count) == ("驾驶证到期了怎么换证", 2)
    assert len(singles) == 4


def test_the_whole_report_through_an_engine_or_a_connection(engine: Engine) -> None:
    first = add_answer(engine, "养老机构还要许可吗", at(2), citations="fj:7.1", latency_ms=12.0)
    add_answer(engine, "明天下雨吗", at(2), status="not_found", channel="widget")
    add_answer(engine, "天气预报", at(4), status="not_found", channel="widget")
    add_rating(engine, first, at(2, 13), -1, "unclear", "看不懂")
    with engine.connect() as connection:
        through_connection = build_report(connection, MARCH, embed=fake_embed)
    report = build_report(engine, MARCH, embed=fake_embed)
    assert report == through_connection
    assert (report.asked, report.answered, round(report.answer_rate, 3)) == (3, 1, 0.333)
    assert report.unanswered_count == 2 and len(report.unanswered) == 2
    assert [t.citation for t in report.topics] == ["fj:7.1"]
    assert [d.comment for d in report.disliked] == ["看不懂"]
    assert (report.ratings.up, report.ratings.down) == (0, 1)
    assert {(r.day.day, r.channel) for r in report.days} == {
        (2, "api"), (2, "widget"), (2, ALL_CHANNELS), (4, "widget"), (4, ALL_CHANNELS)}
    empty = build_report(engine, Period(at(20), at(21)))
    assert (empty.asked, empty.answer_rate, empty.unanswered, empty.days) == (0, 0.0, (), ())


def test_days_are_cut_at_midnight_in_the_report_time_zone(engine: Engine) -> None:
    """23:30 UTC on 2 March is 07:30 on 3 March in Beijing: a question of 3 March there."""
    add_answer(engine, "q", at(2, 15, 59), latency_ms=10.0)  # 23:59 on 2 March in Beijing
    add_answer(engine, "q", at(2, 23, 30), latency_ms=30.0)
    add_answer(engine, "q", at(3, 15, 30), status="not_found", latency_ms=50.0)
    utc_days = {(r.day, r.asked) for r in traffic(engine, MARCH) if r.channel == ALL_CHANNELS}
    assert utc_days == {(date(2026, 3, 2), 2), (date(2026, 3, 3), 1)}
    beijing = Period(MARCH.since, MARCH.until, SHANGHAI)
    rows = [r for r in traffic(engine, beijing) if r.channel == ALL_CHANNELS]
    assert [(r.day, r.asked, r.answered, r.p50_ms) for r in rows] == [
        (date(2026, 3, 2), 1, 1, 10.0), (date(2026, 3, 3), 2, 1, 40.0)]
    report = build_report(engine, Period.last_days(2, SHANGHAI, now=at(3, 20)))
    assert report.period.days() == [date(2026, 3, 3), date(2026, 3, 4)]
    assert (report.asked, [r.day for r in report.days]) == (2, [date(2026, 3, 3)] * 2)


def test_only_the_most_asked_questions_are_clustered(engine: Engine) -> None:
    """Past ``max_clustered`` distinct questions the rest are listed ungrouped, last."""
    for text, times in (("驾驶证到期了怎么换证", 3), ("驾驶证到期了怎么换", 2), ("驾驶证到期怎么换证", 1),
                        ("营业执照丢了怎么补办", 1)):
        for _ in range(times):
            add_answer(engine, text, at(2), status="not_found")
    seen: list[list[str]] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        seen.append(list(texts))
        return fake_embed(texts)

    report = build_report(engine, MARCH, embed=embed, threshold=0.6, max_clustered=2)
    assert seen == [["驾驶证到期了怎么换", "驾驶证到期了怎么换证"]]  # only the two most asked
    assert [(c.representative, c.count, len(c.questions)) for c in report.unanswered] == [
        ("驾驶证到期了怎么换证", 5, 2), ("营业执照丢了怎么补办", 1, 1), ("驾驶证到期怎么换证", 1, 1)]
    assert (report.ungrouped, report.unanswered_count) == (2, 7)
    whole = build_report(engine, MARCH, embed=fake_embed, threshold=0.6)
    assert whole.ungrouped == 0 and len(whole.unanswered) == 2
    assert build_report(engine, MARCH, max_clustered=2).ungrouped == 0  # nothing grouped at all
