"""Deadlines in notice text: found as written, with the date they stand for."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from corpus.document import Deadline, DeadlineKind

_Y = r"(?P<y>\d{4})年"
_MD = r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?"
_END = r"(?P<end>年底|底|年末|末)?"

# Order matters: the first pattern that matches at a position wins.
_PATTERNS: list[tuple[DeadlineKind, re.Pattern[str]]] = [
    ("period", re.compile(
        r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日至"
        r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日")),
    ("by", re.compile(
        r"(?P<y>\d{4})年(?:和(?P<y2>\d{4})年)?" + _MD + _END + r"(?:以前|之前|前)(?:分别报送)?")),
    # A recurring one: 每年1月31日前, 每年3月底前, 每月10日前 (no year: no date).
    ("by", re.compile(r"每年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|底)?(?:以前|之前|前)"
                      r"|每月(?P<md>\d{1,2})日(?:以前|之前|前)")),
    ("from", re.compile(r"(?:从|自)?" + _Y + _MD + r"起")),
    ("by", re.compile(r"(?:到|至|截至|截止到?)" + _Y + _MD + _END)),
    ("within", re.compile(r"(?:之日起|起)?(?:次月|次年)?[\d一二三四五六七八九十两]+"
                          r"(?:个工作日|个月|日|天|年)内")),
    ("ongoing", re.compile(
        r"按照国家部署推进|根据工作需要适时开展|按年度进行")),
]


def find_deadlines(text: str) -> tuple[Deadline, ...]:
    """Every deadline written in ``text``, in order of appearance, without overlaps."""
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append((start, Deadline(text=match.group(0), kind=kind, date=_date_of(match))))
    return tuple(deadline for _, deadline in sorted(found, key=lambda item: item[0]))


def parse_deadline(text: str) -> Deadline | None:
    """A table cell such as ``2021年底前`` or ``按照国家部署推进`` as a Deadline (None if empty)."""
    text = text.strip()
    if not text:
        return None
    found = find_deadlines(text)
    if len(found) == 1 and found[0].text == text:
        return found[0]
    # A cell that names several dates (2021年和2022年年底前分别报送) is due by its last one.
    dates = [d.date for d in found if d.date is not None]
    kind: DeadlineKind = found[0].kind if found else "ongoing"
    return Deadline(text=text, kind=kind, date=max(dates) if dates else None)


def _date_of(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    if not groups.get("y"):
        return None
    year = int(groups.get("y2") or groups["y"])
    if groups.get("m2"):
        month, day = groups["m2"], groups.get("d2")
    else:
        month, day = groups.get("m"), groups.get("d")
    if year < 1900 or year > 2200:
        return None
    try:
        if month is None:
            return dt.date(year, 12, 31)
        m = int(month)
        if day is None:
            return dt.date(year, m, calendar.monthrange(year, m)[1])
        return dt.date(year, m, int(day))
    except ValueError:
        return None
