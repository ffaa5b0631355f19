"""Day schedules (节假日安排): which days a notice gives off (…至…日放假调休) and which it makes
working days (…（星期六）上班). A question naming a day and supposing it is off or a working
day (那个星期六也放假吧, 那天要上班吗) is answered from the part that lists the day, and the
clause listing it answers before clauses that only share words with the question.

Only days a part names are read: a day the notice leaves to the calendar (与周末连休) is not
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from engine.question import Question
from engine.reading import Reading, segments
from index.search import Hit

_NUMERAL = "〇零一二两三四五六七八九十"
_DAY = re.compile(rf"(?:(\d{{4}})年)?([\d{_NUMERAL}]{{1,3}})月([\d{_NUMERAL}]{{1,3}})[日号]")
_RANGE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:（[^）]{0,6}）)?\s*(?:至|到|—|－|-|~|～)\s*"
                    r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_WORK = ("上班", "补班")
_OFF = ("放假", "休假", "休息", "调休")
# What a question supposes of the day: off (也放假吧, 不用上班) or a working day (要上班吗).
_SAYS_WORK = re.compile(r"(?<![不没])(?:上班|补班)|不(?:放假|休息|放|休)")
_SAYS_OFF = re.compile(r"(?:不用|不要|不需要|不必|无需|用不着|不会|没)[在再去还要得]{0,2}(?:上班|补班)"
                       r"|放假|休假|休息|(?<!连)(?:放|休)(?=[\d一二两三四五六七八九十几]|假)")
_A_NOT_A = re.compile(r"(.)不\1")
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


def scheduled_day(question: Question, sentences: Sequence[str]) -> Reading | None:
    """Yes or no for a question supposing that the one day it names is off or a working day,
    when a part of ``sentences`` lists that day as one or the other; None otherwise."""
    text = _A_NOT_A.sub(r"\1", question.asking)  # 要不要上班 supposes 要上班
    days = asked_days(text)
    if len({(d.month, d.day) for d in days}) != 1 or "连" in text:
        return None  # several days, or whether the holiday joins a weekend (连休)
    supposed = _supposed(text)
    if supposed is None:
        return None
    for sentence in sentences:
        for part in segments(sentence):
            status = _status(part, days[0])
            if status is not None:
                return Reading("yes" if status == supposed else "no", part, "schedule")
    return None


def covers(text: str, days: Sequence[Day]) -> bool:
    """True when ``text`` makes one of ``days`` off or a working day."""
    return any(_status(part, day) is not None for part in segments(text) for day in days)


def _status(part: str, day: Day) -> str | None:
    """"work" or "off" when ``part`` names ``day`` (or a range holding it) as a working day or
    a day off; None when it does not name the day or says neither."""
    work = any(w in part for w in _WORK)
    off = any(w in part for w in _OFF)
    if work == off:
        return None
    if off:
        for match in _RANGE.finditer(part):
            if _within(day, match):
                return "off"
    for match in _DAY.finditer(_RANGE.sub("", part) if off else part):
        named = Day(_number(match.group(2)), _number(match.group(3)),
                    int(match.group(1)) if match.group(1) else None)
        if (named.month, named.day) == (day.month, day.day) \
                and (named.year is None or day.year is None or named.year == day.year):
            return "work" if work else "off"
    return None


def _within(day: Day, match: re.Match[str]) -> bool:
    """True when ``day`` falls in the range ``match`` (月日至[月]日, across a new year)."""
    start_year = int(match.group(1)) if match.group(1) else day.year or _BASE_YEAR
    end_year = int(match.group(4)) if match.group(4) else start_year
    start = _date(start_year, int(match.group(2)), int(match.group(3)))
    end = _date(end_year, int(match.group(5) or match.group(2)), int(match.group(6)))
    if start is None or end is None:
        return False
    if end < start:  # 12月30日至1月1日
        end = _date(end.year + 1, end.month, end.day) or end
    if end - start > timedelta(days=31):
        return False
    years = [day.year] if day.year else [start.year, end.year]
    return any(start <= asked <= end for y in years
               if (asked := _date(y, day.month, day.day)) is not None)


def _supposed(text: str) -> str | None:
    """What the question supposes of its day: the first of "off" and "work" it says."""
    work, off = _SAYS_WORK.search(text), _SAYS_OFF.search(text)
    if off and (not work or off.start() <= work.start()):
        return "off"
    return "work" if work else None


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


def dated_first(question: Question, hits: list[Hit]) -> list[Hit]:
    """Of a question whether a day it names is off or a working day, the first close hit that
    lists the day moves first when the first hit does not (10月3日要上班吗: the 国庆节 clause,
    not 元旦's)."""
    days = asked_days(question.normalized)
    if not days or not hits or _supposed(_A_NOT_A.sub(r"\1", question.normalized)) is None \
            or covers(hits[0].clause.text, days):
        return hits  # a day asked about for something else (a deadline, an event)
    listing = next((h for h in hits[1:_HITS] if covers(h.clause.text, days)), None)
    if listing is None:
        return hits
    return [listing, *(h for h in hits if h is not listing)]
