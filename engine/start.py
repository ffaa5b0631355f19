"""The day something starts (2021年6月1日起全省实行…, 自2019年1月1日起施行): a question
whether it is so that something starts on a day (是从3月1日起施行的吧) is answered no when
the notice starts it on another. The very day settles nothing by itself (…起停止免费开放 for
是从7月1号开始免费的吗): the other readings answer.

Of the parts of the best sentences that date a start (a date alone in its part, 自…起，, with
the part after it), the one sharing most words with the question (dates aside) is the one it
asks about; a date given without its year or day is compared on what both give. A part
starting something in a place the question does not name (厦门…起开展…试点 for 我在福州，…
是…开始的吗) is left to the readings of pilots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.links import bigrams
from engine.question import NoWords, Question, Words
from engine.reading import Reading, segments

_DAY = r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?"
_ASKED = re.compile(r"是(?:从|自|在)?" + _DAY + r"(?:起|开始|正式开始|就开始)")
"""A start the question claims: 是从3月1日开始, 是3月1日起 (not 3月1日开始还能用吗, where the
day is the asker's)."""
_STATED = re.compile(r"(?:自|从|于)?" + _DAY + r"(?:起|开始)")
"""A start a notice states: 2021年6月1日起, 自2019年1月1日起."""
_MIN_SHARED = 2  # character pairs a part must share with the question to be about it

Day = tuple[int | None, int, int | None]


def _starts(text: str, pattern: re.Pattern[str]) -> list[Day]:
    return [(int(m.group(1)) if m.group(1) else None, int(m.group(2)),
             int(m.group(3)) if m.group(3) else None) for m in pattern.finditer(text)]


def _same(asked: Day, stated: Day) -> bool:
    """True when the days agree on every part both give."""
    return all(a is None or s is None or a == s for a, s in zip(asked, stated, strict=True))


def _about(text: str) -> frozenset[str]:
    """The words of ``text`` outside its dates."""
    return bigrams(re.sub(_DAY, "\0", text))


def stated_start(question: Question, sentences: Iterable[str], words: Words | None = None
                 ) -> Reading | None:
    """No to a question whether something starts on another day than the notice says; None
    when it supposes the day the notice says, supposes no start day, or no part about the
    same thing states one."""
    if question.kind != "yesno" or question.polarity not in ("is", "has"):
        return None
    supposed = _starts(question.asking, _ASKED)
    if len(supposed) != 1:
        return None
    about = _about(question.asking)
    dated = [(len(about & _about(part)), part, stated) for sentence in sentences
             for part in _dated_parts(sentence) for stated in _starts(part, _STATED)]
    dated = [d for d in dated if d[0] >= _MIN_SHARED]
    if not dated:
        return None
    best = max(d[0] for d in dated)
    closest = [d for d in dated if d[0] == best]
    if len({d[2] for d in closest}) != 1:  # equally close parts starting on different days
        return None
    _, part, stated = closest[0]
    named = (words or NoWords()).places(part)
    if (question.places and named and not question.places & named) \
            or _same(supposed[0], stated):
        return None
    return Reading("no", part, "term")


def _dated_parts(sentence: str) -> list[str]:
    """The sentence's parts, a date standing alone (自2023年6月1日起，) joined to the part after
    it."""
    parts: list[str] = []
    carried = ""
    for part in segments(sentence):
        if len(re.sub(_DAY, "", part).strip("自从于起开始 ")) < _MIN_SHARED and _STATED.search(part):
            carried += part
            continue
        parts.append(carried + part)
        carried = ""
    return parts + ([carried] if carried else [])
