"""Day schedules: whether a day a question names is off or a working day."""

from __future__ import annotations

import pytest

from corpus.document import Clause
from corpus.units import load_aliases
from engine.question import Question, load_cues, understand
from engine.reading import Reading
from engine.reply import yes_no_line
from engine.schedule import Day, asked_days, dated_first, scheduled_day, scheduled_span
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
    ("9月14号周六需不需要上班？", ("yes", "9月14日（星期六）上班")),
    ("9月14日放假吗？", ("no", "9月14日（星期六）上班")),
    ("9月16日要上班吗？", ("no", "9月15日至17日放假调休")),
    ("12月31日放假吗？", ("yes", "2029年12月31日至2030年1月2日放假调休")),  # across a new year
    ("2030年1月2日放假吗？", ("yes", "2029年12月31日至2030年1月2日放假调休")),
    ("2031年1月2日放假吗？", None),  # another year's day
    ("劳动节就放5月1日一天吗？", ("yes", "5月1日放假")),  # supposed before the day
    # Negated suppositions: a day off (不用上班) or a working day (没放假).
    ("九月十六日不用上班吧？", ("yes", "9月15日至17日放假调休")),
    ("9月16日不去上班吧？", ("yes", "9月15日至17日放假调休")),
    ("9月16日可以不上班吗？", ("yes", "9月15日至17日放假调休")),
    ("9月14日不放假吧？", ("yes", "9月14日（星期六）上班")),
    ("9月14日也没放假吧？", ("yes", "9月14日（星期六）上班")),
    ("9月14日不会放假吧？", ("yes", "9月14日（星期六）上班")),
    # Days the schedule leaves to the calendar, several days, joining a weekend: not read.
    ("9月20日放假吗？", None),
    ("5月2日放假吗？", None),
    ("9月15日和9月14日都放假吗？", None),
    ("5月1日放假，会和周末连休吗？", None),
    ("9月14日有活动吗？", None),  # neither off nor work supposed
    # Something else asked about the day: left to the other readings.
    ("9月16日放假期间高速免费吗？", None),
    ("9月14日上班有加班费吗？", None),
    ("9月14日上班前要提交材料吗？", None),
    ("9月16日值班人员要上班吗？", None),
    ("9月14日我没上班，算旷工吗？", None),
    ("9月14日我能休假吗？", None),
])
def test_a_day_is_read_from_the_part_listing_it(question: str,
                                                found: tuple[str, str] | None) -> None:
    reading = scheduled_day(q(question), [NEW_YEAR, *AUTUMN, LABOUR])
    assert ((reading.verdict, reading.segment) if reading else None) == found


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # A range without a year read across the new year the question names.
    ("2030年1月1日放假吗？", "元旦：12月31日至1月2日放假调休，共3天。", "yes"),
    # Half-width brackets, a double dash, a working day made up for the holiday.
    ("5月3日放假吗？", "劳动节：5月1日(星期三)至5日放假调休。", "yes"),
    ("5月3日放假吗？", "劳动节：5月1日——5日放假调休。", "yes"),
    ("4月28日要上班吗？", "4月28日（星期日）调休上班。", "yes"),
    # Days only mentioned beside 休息 or 上班, not listed as such: not a schedule.
    ("9月10日放假吗？", "9月1日至9月30日申报期间节假日休息。", None),
    ("9月29日放假吗？", "请于9月29日上班时间内到窗口提交材料。", None),
])
def test_the_forms_a_schedule_lists_days_in(question: str, sentence: str,
                                            verdict: str | None) -> None:
    reading = scheduled_day(q(question), [sentence])
    assert (reading.verdict if reading else None) == verdict


def test_a_confirmation_restated_after_its_ba_is_a_yes_no_question() -> None:
    question = q("9月14号周六同样放假吧，不用去单位了？")
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
    assert dated_first(_asked("9月16日放假期间哪些窗口开放？"), hits) == hits


def test_the_reply_names_the_day_as_listed() -> None:
    question = q("9月16日要上班吗？")
    reading = Reading("no", "9月15日至17日放假调休", "schedule")
    assert yes_no_line(question, reading, None, "") == "不是，这天放假：9月15日至17日放假调休。"


@pytest.mark.parametrize(("question", "sentences", "verdict"), [
    # The span of days off supposed against the span listed as 放假.
    ("2030年元旦是1月2号休到1月4号吗？", [NEW_YEAR], "no"),
    ("元旦是12月31日放到1月2日吧？", [NEW_YEAR], "yes"),
    ("中秋放假时间，是否9月14日到9月17日？", AUTUMN, "no"),
    ("中秋是9月15号到9月17号休息吗？", AUTUMN, "yes"),
    # Days inside the span are off; asked where the holiday ends (放到), the end must match.
    ("中秋9月16号到9月17号能休息吗？", AUTUMN, "yes"),
    ("中秋是9月15号放到9月16号吗？", AUTUMN, "no"),
    # Another holiday's span shares no day: not read; nor a span of working days.
    ("国庆是不是10月1日到10月7日放假？", [NEW_YEAR], None),
    ("是不是9月14日到9月15日都要上班？", AUTUMN, None),
])
def test_a_span_of_days_off(question: str, sentences: list[str], verdict: str | None) -> None:
    reading = scheduled_span(q(question), sentences)
    assert (reading.verdict if reading else None) == verdict
