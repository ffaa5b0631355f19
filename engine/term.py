"""How long something runs (延长至2021年底, 执行至2022年6月30日): a yes/no question supposing it
runs to a later date than the notice states for the same act (延长到2023年3月底了吗) is
answered no; one supposing the very date the notice states, yes. A supposed date earlier than
the stated one is left to the other readings (it runs past it, but not "to" it).

The act is the verb before the date — 延长 (延至, 延到, 延期), 截至 (截止), 执行, 实施, 有效 —
and must be the same in the question and the notice; a year alone counts as its last month
(2021年底, 2021年). A question whether something still runs in a year (2023年还可以办理吗) is
answered by any such term of a part on its topic, and one supposing when a task is due (须在
2026年底以前完成吗) by the date a part on its topic gives the task (到2028年…).
"""

from __future__ import annotations

import re
from typing import TypeVar

from corpus.links import bigrams
from engine.question import Question
from engine.reading import MIN_OVERLAP, Reading, segments

_T = TypeVar("_T")
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(?:\d{1,2}[日号])?"
_TERM = re.compile(r"(延长|延至|延到|延期|截至|截止|执行|实施|有效期?|持续)[^，,。；;？?\d]{0,4}?"
                   r"(\d{4})年(?:(\d{1,2})月)?(?:\d{1,2}[日号])?"
                   rf"(?:\s*(?:至|到|—|－|-|~|～)\s*{_DATE})?")
"""An act and the date it runs to: 延长至2021年底; of a span (执行期限为2019年1月1日至2023年12月31日,
有效期为2021年至2025年) the end."""
_SAME_ACT = {"延至": "延长", "延到": "延长", "延期": "延长", "截止": "截至", "有效期": "有效"}


def _terms(text: str) -> list[tuple[str, tuple[int, int]]]:
    """The acts of ``text`` with the year and month each runs to (a bare year: December)."""
    found = []
    for m in _TERM.finditer(text):
        year, month = m.group(2), m.group(3)
        if m.group(4) or m.group(5):  # a span: its end (2019年1月至12月: the same year)
            year, month = m.group(4) or year, m.group(5)
        found.append((_SAME_ACT.get(m.group(1), m.group(1)),
                      (int(year), int(month) if month else 12)))
    return found


_STILL_IN = re.compile(r"(\d{4})年[^，,。；;？?\d]{0,6}?还")
"""2023年还能申请吗: whether something still runs in a year, which a term ending before it
answers (no) as much as a supposed date does."""


_DUE_ASKED = re.compile(r"(\d{4})年(?:(\d{1,2})月)?[底末]?以?前[^，,。；;？?\d]{0,4}?完成")
"""须在2026年底以前完成吗: a date by which the question supposes a task is due."""
_DUE_STATED = re.compile(r"(?:到|至)(\d{4})年(?:(\d{1,2})月)?[底末]?|(\d{4})年(?:(\d{1,2})月)?[底末]以?前")
"""到2028年全市建成…, 2027年6月底前建成…: the date a part gives its task."""


def supposes_term(text: str) -> bool:
    """True when ``text`` supposes how long an act runs (延长到2023年…), asks whether it still
    runs in a year (2023年还能…) or supposes when it is due (须在2026年底以前完成)."""
    return any(pattern.search(text) is not None for pattern in (_TERM, _STILL_IN, _DUE_ASKED))


def _about(text: str) -> frozenset[str]:
    """The words of ``text`` outside its acts and dates."""
    return bigrams(_TERM.sub("\0", text))


def stated_term(question: Question, sentences: list[str]) -> Reading | None:
    """No to a question supposing an act runs later than the notice says, yes to one supposing
    the date it says; None when the notice dates no such act."""
    if question.kind != "yesno" or question.polarity not in ("is", "has", "will", "can", "need"):
        return None
    supposed = _terms(question.asking)
    if not supposed:
        return _still_in(question, sentences) or _due(question, sentences)
    if question.polarity == "need":
        return None
    if len(supposed) != 1:
        return None
    act, until = supposed[0]
    about = _about(question.asking)
    # 缓缴政策延长到…了吗 against 减免政策延长至…，缓缴政策延长至…: of the parts dating the
    # act, the one sharing most with the question.
    dated = [(len(shared), part, stated) for sentence in sentences
             for part in segments(sentence) if (shared := about & _about(part))
             for stated_act, stated in _terms(part) if stated_act == act]
    if dated:
        _, part, stated = max(dated, key=lambda d: d[0])
        if stated == until:
            return Reading("yes", part, "term")
        if stated < until:
            return Reading("no", part, "term")
    return None


def _still_in(question: Question, sentences: list[str]) -> Reading | None:
    """No when the question asks whether something still runs in a year (2023年还能申请吗)
    and a part on its topic ends its term before that year, yes when the term runs to that
    year's end or later; None otherwise."""
    still = _STILL_IN.search(question.asking)
    if still is None:
        return None
    year = int(still.group(1))
    about = _about(question.asking)
    found = _most_about([(len(about & _about(part)), part, stated) for sentence in sentences
                         for part in segments(sentence) for _, stated in _terms(part)])
    if found is None:
        return None
    part, stated = found
    if stated < (year, 1):
        return Reading("no", part, "term")
    if stated >= (year, 12):
        return Reading("yes", part, "term")
    return None


def _due(question: Question, sentences: list[str]) -> Reading | None:
    """Yes when the question supposes a task is due by the date a part on its topic gives it
    (须在2028年底以前完成 against 到2028年…), no when by another date; None otherwise."""
    asked = _DUE_ASKED.search(question.asking)
    if asked is None:
        return None
    supposed = (int(asked.group(1)), int(asked.group(2) or 12))
    about = _about(_DUE_ASKED.sub("\0", question.asking))
    found = _most_about([(len(about & _about(_DUE_STATED.sub("\0", part))), part, stated)
                         for sentence in sentences for part in segments(sentence)
                         if (stated := _DUE_STATED.search(part)) is not None])
    if found is None:
        return None
    part, stated = found
    year, month = stated.group(1) or stated.group(3), stated.group(2) or stated.group(4)
    due = (int(year), int(month or 12))
    return Reading("yes" if due == supposed else "no", part, "term")


def _most_about(dated: list[tuple[int, str, _T]]) -> tuple[str, _T] | None:
    """Of (shared pairs, part, date) the part most about the question and its date, among
    those sharing at least two pairs of characters with it; None when none does."""
    topical = [d for d in dated if d[0] >= MIN_OVERLAP]
    if not topical:
        return None
    _, part, stated = max(topical, key=lambda d: d[0])
    return part, stated
