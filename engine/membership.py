"""Membership of a list of places (选择北京、天津、上海…11个城市): a question whether the asker's
place is among them (杭州在名单里吗, 厦门是不是试点城市之一) is answered yes when the list names
it, and no when it names other places only and the asker's place cannot lie inside them (a city
against a list of cities; not a district, which a listed city may hold, nor a city against a
list naming its province: :func:`engine.pilot.outside_for_sure`).

The signal words come from the verdict data file (see :mod:`engine.verdict`).
"""

from __future__ import annotations

import re

from engine.pilot import outside_for_sure
from engine.question import Question, Words
from engine.reading import Reading
from engine.vocabulary import Vocabulary

# Three items or more joined by 、 (the last may hold 和: 重庆和沈阳).
_RUN = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8}){2,}")
_LEAST = 3
"""Places a run must name to be a list of places."""
_EXCEPT_REACH = 4
"""Characters before a list within which 除 makes it a list of exceptions."""


def listed_place(question: Question, sentences: list[str], signals: Vocabulary,
                 words: Words) -> Reading | None:
    """Yes when the first list of places in the sentences names the asker's place, no when
    the list is closed (no 等) and the place cannot lie inside any it names; None when the
    question names no place, does not ask whether it is among those listed (名单, 之一, 试点…)
    or asks whether it is not, or no sentence lists places (a list after 除 lists exceptions)."""
    if question.polarity not in ("is", "has") or question.stance == "adverse" \
            or not signals.has("member_cue", question.asking) \
            or signals.has("member_not", question.asking):
        return None
    generic = set(signals.words.get("generic_place", ()))
    asked = frozenset(p for p in question.places if p not in generic)
    if not asked:
        return None
    for sentence in sentences:
        for run in _RUN.finditer(sentence):
            first, *_, last = run.group(0).split("、")
            if "除" in sentence[max(0, run.start() - _EXCEPT_REACH): run.start()] + first:
                continue  # 除北京、上海…外: the places left out, not those listed
            items = run.group(0).removesuffix("等")
            listed = frozenset(p for p in words.places(items) if p not in generic)
            if len(listed) < _LEAST:
                continue
            if asked & listed:
                return Reading("yes", items, "member")
            # 北京、上海等11个城市: an open list may hold the place without naming it.
            if "等" in last or sentence[run.end(): run.end() + 1] == "等":
                return None
            if outside_for_sure(asked, listed, signals):
                return Reading("no", items, "member")
            return None
    return None
