"""Day schedules (节假日安排): which days a notice gives off (…至…日放假调休) and which it makes
working days (…（星期六）上班). A question whose asking clause is about nothing but whether the
one day it names is off or a working day (那个星期六也放假吧, 那天上不上班) is answered from
the part that lists the day, and the clause listing it answers before clauses that only share
words with the question.

Only days listed right before the 放假 / 上班 / 补班 ending a part are read: a day the notice leaves
to the calendar (与周末连休) is not guessed, and a question about something else on that day
(放假期间高速免费吗, 值班人员要上班吗, 我没上班算旷工吗) is left to the other readings. A part
without a year is read in the year the question names; whether the notice is that year's is
left to refusal, which weighs a year the clause and its notice never mention (other_year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from engine.question import A_NOT_A, Question
from engine.reading import Reading, segments
from index.search import Hit

_NUMERAL = "〇零一二两三四五六七八九十"
_DAY = re.compile(rf"(?:(\d{{4}})年)?([\d{_NUMERAL}]{{1,3}})月([\d{_NUMERAL}]{{1,3}})[日号]")
_WEEKDAY = r"(?:[（(][^）)]{0,6}[）)])?"
_DASH = r"(?:至|到|——|—|－|-|~|～)"
_RANGE = re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}})月(\d{{1,2}})日{_WEEKDAY}\s*{_DASH}\s*"
                    rf"(?:(\d{{4}})年)?(?:(\d{{1,2}})月)?(\d{{1,2}})日")
_ONE = rf"(?:\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日{_WEEKDAY}(?:\s*{_DASH}\s*(?:\d{{4}}年)?(?:\d{{1,2}}月)?" \
    rf"\d{{1,2}}日{_WEEKDAY})?"
# A list of days or ranges and what they are: 9月29日（星期日）、10月12日（星期六）上班;
# 10月1日至7日放假调休; 4月28日（星期日）调休上班 (a working day made up for a holiday).
_LISTED = re.compile(rf"({_ONE}(?:[、和及]{_ONE})*)\s*(调休上班|上班|补班|放假)(?:调休)?\s*$")

# What a question supposes of its day, the negated forms first (不用上班 supposes a day off).
_SUPPOSES = (
    ("off", re.compile(r"(?:不用|不要|不需要|不必|无需|用不着|不会|可以不|不去|不|没)[在再去还要得]{0,2}"
                       r"(?:上班|补班)")),
    ("work", re.compile(r"(?:不会|不|没)[还要得会]{0,2}(?:放假|休息|休假|放|休)")),
    ("work", re.compile(r"上班|补班")),
    ("off", re.compile(r"放假|休假|休息|(?<!连)(?:放|休)(?=[\d一二两三四五六七八九十几]|假)")),
)
# Between the day and the supposition only words saying which day, how sure, or that it is
# the same as another (10月12号周六同样放假吧, 那天照常上班吧); after it only the
# question's tail.
_BETWEEN = re.compile(r"(?:[（(]?(?:星期|周|礼拜)[一二三四五六日天][）)]?|那天|这天|当天|那个|这个|也|都|还|就|"
                      r"是|要|需要|需|用|得|会|能|可以|应该|照常|正常|同样|一样|照样|只|的|啊|呀|，|,|\s)*")
_TAIL = re.compile(r"(?:的|了|吗|吧|呢|啊|呀|么|嘛|对吧|是吧|没错吧|对不对|一天|[？?！!。\s])*")
_BEFORE_DAY = re.compile(r"(上班|补班|放假|休息|放|休)[只就]?$")
_HITS = 5  # how far down a listing clause may be brought from, as far as refusal looks
_BASE_YEAR = 2000  # a leap year: 2月29日 exists; the year only orders the days


@dataclass(frozen=True)
class Day:
    """A day of the year as a notice or a question names it (the year when stated)."""

    month: int
    day: int
    year: int | None = None


def asked_days(text: str) -> list[Day]:
    """The days ``text`` names (10月12号, 十月十二日, 2019年2月2日)."""
    days = []
    for match in _DAY.finditer(text):
        month, day = _number(match.group(2)), _number(match.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            days.append(Day(month, day, int(match.group(1)) if match.group(1) else None))
    return days


def asked_day(question: Question) -> tuple[Day, str] | None:
    """The day a yes/no question asks about and what it supposes of it ("off" or "work"),
    when its asking clause is about that alone; None otherwise."""
    if question.kind != "yesno":
        return None
    text = A_NOT_A.sub(r"\1", question.asking)  # 上不上班 supposes 上班
    matches = list(_DAY.finditer(text))
    days = asked_days(text)
    if len(matches) != 1 or len(days) != 1 or "连" in text:
        return None  # several days, or whether the holiday joins a weekend (连休)
    before, after = text[:matches[0].start()], text[matches[0].end():]
    # The clause holding the day, and the clause restating the supposition after a 吧
    # (10月12号也放假吧，不用去了？) if any.
    clause = re.split(r"[，,；;。？?]", after, maxsplit=1)[0] if "吧" not in after else \
        after.split("吧", 1)[0] + "吧"
    for supposed, pattern in _SUPPOSES:
        found = pattern.search(clause)
        if found and _BETWEEN.fullmatch(clause[:found.start()]) \
                and _TAIL.fullmatch(clause[found.end():]):
            return days[0], supposed
    # 只放5月1日一天: the supposition right before the day.
    found = _BEFORE_DAY.search(before)
    if found and _TAIL.fullmatch(clause):
        return days[0], "work" if found.group(1) in ("上班", "补班") else "off"
    return None


def scheduled_day(question: Question, sentences: Sequence[str]) -> Reading | None:
    """Yes or no for a question supposing that the one day it names is off or a working day,
    when a part of ``sentences`` lists that day as one or the other; None otherwise."""
    asked = asked_day(question)
    if asked is None:
        return None
    day, supposed = asked
    for sentence in sentences:
        for part in segments(sentence):
            status = _status(part, day)
            if status is not None:
                return Reading("yes" if status == supposed else "no", part, "schedule")
    return None


_SPAN = re.compile(rf"{_DAY.pattern}{_WEEKDAY}\s*(?:放假|放|休息|休)?\s*(?:到|至|—|-|~|～)\s*"
                   rf"{_DAY.pattern}")
_OFF = re.compile(r"放|休")
_UNTIL = re.compile(r"(?:放|休)(?:假|息)?(?:到|至)")
"""放到 / 休到: the question asks where the days off end, not only whether they are off."""


def asked_span(question: Question) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first and last day off a yes/no question supposes (5月1号放到5月5号), as (month,
    day) pairs; None when it supposes no span of days off."""
    if question.kind != "yesno":
        return None
    found = _SPAN.search(question.asking)
    if found is None or not _OFF.search(question.asking) or "上班" in question.asking:
        return None
    first = (_number(found.group(2)), _number(found.group(3)))
    last = (_number(found.group(5)), _number(found.group(6)))
    return (first, last) if all(1 <= m <= 12 and 1 <= d <= 31 for m, d in (first, last)) \
        else None


def scheduled_span(question: Question, sentences: Sequence[str]) -> Reading | None:
    """Yes when every day of the span a question supposes off lies in a span a part lists as
    放假 (and, asked 放到…, ends where it does), no when the asked span shares days with it but
    goes past it or ends elsewhere; None otherwise."""
    asked = asked_span(question)
    if asked is None:
        return None
    for sentence in sentences:
        for part in segments(sentence):
            for listed in _LISTED.finditer(part):
                if listed.group(2) != "放假":
                    continue
                for match in _RANGE.finditer(listed.group(1)):
                    stated = ((int(match.group(2)), int(match.group(3))),
                              (int(match.group(5) or match.group(2)), int(match.group(6))))
                    inside = [_within(Day(m, d), match) for m, d in asked]
                    if stated == asked or (all(inside) and not _UNTIL.search(question.asking)):
                        return Reading("yes", part, "schedule")  # every day asked is off
                    if any(inside):  # past the listed span, or 放到 a day before its end
                        return Reading("no", part, "schedule")
    return None


def covers(text: str, day: Day) -> bool:
    """True when ``text`` lists ``day`` as off or a working day."""
    return any(_status(part, day) is not None for part in segments(text))


def dated_first(question: Question, hits: list[Hit]) -> list[Hit]:
    """Of a question whether a day it names is off or a working day, the first close hit that
    lists the day moves first when the first hit does not (10月3日要上班吗: the 国庆节 clause,
    not 元旦's)."""
    asked = asked_day(question)
    if asked is None or not hits or covers(hits[0].clause.text, asked[0]):
        return hits
    listing = next((h for h in hits[1:_HITS] if covers(h.clause.text, asked[0])), None)
    if listing is None:
        return hits
    return [listing, *(h for h in hits if h is not listing)]


def _status(part: str, day: Day) -> str | None:
    """"work" or "off" when ``part`` lists ``day`` (or a range holding it) right before 上班 /
    补班 or 放假 / 调休; None otherwise."""
    for listed in _LISTED.finditer(part):
        days, what = listed.groups()
        status = "off" if what == "放假" else "work"
        for match in _RANGE.finditer(days):
            if _within(day, match):
                return status
        for match in _DAY.finditer(_RANGE.sub("", days)):
            if (_number(match.group(2)), _number(match.group(3))) == (day.month, day.day) \
                    and (not match.group(1) or not day.year or int(match.group(1)) == day.year):
                return status
    return None


def _within(day: Day, match: re.Match[str]) -> bool:
    """True when ``day`` falls in the range ``match`` (月日至[月]日, across a new year)."""
    if match.group(1):
        starts = [int(match.group(1))]
    else:  # no year: the asked day's, or the year before for a range across a new year
        year = day.year or _BASE_YEAR
        starts = [year, year - 1]
    for start_year in starts:
        end_year = int(match.group(4)) if match.group(4) else start_year
        start = _date(start_year, int(match.group(2)), int(match.group(3)))
        end = _date(end_year, int(match.group(5) or match.group(2)), int(match.group(6)))
        if start is None or end is None:
            continue
        if end < start:  # 12月30日至1月1日
            end = _date(end.year + 1, end.month, end.day) or end
        if end - start > timedelta(days=31):
            continue
        years = [day.year] if day.year else [start.year, end.year]
        if any(start <= asked <= end for y in years
               if (asked := _date(y, day.month, day.day)) is not None):
            return True
    return False


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(text: str) -> int:
    """12, 十二 or 一二 as an integer (0 when it is none of these)."""
    if text.isdigit():
        return int(text)
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        if ch not in digits:
            return 0
        value = value * 10 + digits[ch]
    return value
