"""Membership of a list of places (选择北京、天津、上海…11个城市): a question whether the asker's
place is among them (杭州在不在名单里, 厦门是不是试点城市之一) is answered yes when the list names
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


def listed_place(question: Question, sentences: list[str], signals: Vocabulary,
                 words: Words) -> Reading | None:
    """Yes when the first list of places in the sentences names the asker's place, no when
    the place cannot lie inside any it names; None when the question names no place, asks
    something else than whether it is so, or no sentence lists places."""
    if question.polarity not in ("is", "has") or question.stance == "adverse":
        return None
    generic = set(signals.words.get("generic_place", ()))
    asked = frozenset(p for p in question.places if p not in generic)
    if not asked:
        return None
    for sentence in sentences:
        for run in _RUN.finditer(sentence):
            listed = frozenset(p for p in words.places(run.group(0)) if p not in generic)
            if len(listed) < _LEAST:
                continue
            if asked & listed:
                return Reading("yes", run.group(0), "member")
            if outside_for_sure(asked, listed, signals):
                return Reading("no", run.group(0), "member")
            return None
    return None
