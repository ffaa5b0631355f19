"""Day schedules: whether a day a question names is off or a working day."""

from __future__ import annotations

import pytest

from corpus.document import Clause
from corpus.units import load_aliases
from engine.question import Question, load_cues, understand
from engine.reading import Reading
from engine.reply import yes_no_line
from engine.schedule import Day, asked_days, dated_first, scheduled_day
from engine.verdict import decide, load_signals
from index.search import Hit
from tests.engine.test_verdict import Places, q

# A made-up schedule: a three-day holiday across a new year and one made up with a Saturday.
NEW_YEAR = "元旦：2029年12月31日至2030年1月2日放假调休，共3天。"
AUTUMN = ["中秋节：9月15日至17日放假调休，共3天。", "9月14日（星期六）上班。"]
LABOUR = "劳动节：5月1日放假，与周末连休。"


@pytest.mark.parametrize(("text", "days"), [
    ("十月十二号上班吗", [Day(10, 12)]),
    ("2030年2月2日", [Day(2, 2, 2030)]),
    ("9月3号和9月4号", [Day(9, 3), Day(9, 4)]),
    ("13月1号", []),  # no such month
    ("九月三十一号", [Day(9, 31)]),  # kept as named; no schedule lists it
])
def test_days_named_in_figures_or_words(text: str, days: list[Day]) -> None:
    assert asked_days(text) == days


@pytest.mark.parametrize(("question", "found"), [
    ("9月16号也放假吧？", ("yes", "9月15日至17日放假调休")),
    ("9月14号星期六要不要上班？", ("yes", "9月14日（星期六）上班")),
    ("9月14日放假吗？", ("no", "9月14日（星期六）上班")),
    ("9月16日要上班吗？", ("no", "9月15日至17日放假调休")),
    ("九月十六日不用上班吧？", ("yes", "9月15日至17日放假调休")),  # supposes a day off
    ("9月14日不放假吧？", ("yes", "9月14日（星期六）上班")),  # supposes a working day
    ("12月31日放假吗？", ("yes", "2029年12月31日至2030年1月2日放假调休")),  # across a new year
    ("2030年1月2日放假吗？", ("yes", "2029年12月31日至2030年1月2日放假调休")),
    ("2031年1月2日放假吗？", None),  # another year's day
    # Days the schedule leaves to the calendar, several days, joining a weekend: not read.
    ("9月20日放假吗？", None),
    ("5月2日放假吗？", None),
    ("9月15日和9月14日都放假吗？", None),
    ("5月1日放假，会和周末连休吗？", None),
    ("9月14日有活动吗？", None),  # neither off nor work supposed
])
def test_a_day_is_read_from_the_part_listing_it(question: str,
                                                found: tuple[str, str] | None) -> None:
    reading = scheduled_day(q(question), [NEW_YEAR, *AUTUMN, LABOUR])
    assert ((reading.verdict, reading.segment) if reading else None) == found


def test_a_confirmation_restated_after_its_ba_is_a_yes_no_question() -> None:
    question = q("9月14号星期六也是放假的吧，不用去单位了？")
    reading = decide(question, AUTUMN, [], load_signals(), Places())
    assert (reading.verdict, reading.action) == ("no", "schedule")
    assert yes_no_line(question, reading, None, AUTUMN[1]) == "不是，这天上班：9月14日（星期六）上班。"


def _hit(clause_id: str, text: str) -> Hit:
    clause = Clause(doc_id="d", clause_id=clause_id, kind="clause", label=clause_id, text=text)
    return Hit(clause=clause, score=0.1, sentences=())


def _asked(text: str) -> Question:
    return understand(text, load_cues(), load_aliases(), (), ())


def test_the_clause_listing_the_day_answers_first() -> None:
    hits = [_hit("1", NEW_YEAR), _hit("2", LABOUR), _hit("3", "".join(AUTUMN))]
    assert [h.clause.clause_id for h in dated_first(_asked("9月16日要上班吗？"), hits)] \
        == ["3", "1", "2"]
    # Already first, or a day asked about for something else (a deadline): left alone.
    assert dated_first(_asked("12月31日放假吗？"), hits) == hits
    assert dated_first(_asked("9月16日前要报送哪些材料？"), hits) == hits


def test_the_reply_names_the_day_as_listed() -> None:
    question = q("9月16日要上班吗？")
    reading = Reading("no", "9月15日至17日放假调休", "schedule")
    assert yes_no_line(question, reading, None, "") == "不是，这天放假：9月15日至17日放假调休。"
