"""Membership of a list of places (选择北京、天津、上海…11个城市): a question whether the asker's
place is among them (杭州在名单里吗, 厦门是不是试点城市之一) is answered yes when the list names
it, and no when it names other places only and the asker's place cannot lie inside them (a city
against a list of cities; not a district, which a listed city may hold, nor a city against a
list naming its province: :func:`engine.pilot.outside_for_sure`).

The signal words come from the verdict data file (see :mod:`engine.verdict`).
"""

from __future__ import annotations

import re

from corpus.links import bigrams
from engine.pilot import outside_for_sure
from engine.question import Question, Words
from engine.reading import MIN_OVERLAP, Reading
from engine.vocabulary import Vocabulary
from index.search import Hit

# Three items or more joined by 、 (the last may hold 和: 重庆和沈阳).
_RUN = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8}){2,}")
# 哪些城市, 哪几个省 (not 哪个市场, 哪个市民; nor a bare 哪里, which asks where to go).
_WHICH_PLACES = re.compile(r"哪[些几]?个?(?:地方|城市|省份|省|地区|市(?![场民政级辖]))")
_LEAST = 3
"""Places a run must name to be a list of places."""
_EXCEPT_REACH = 4
"""Characters before a list within which 除 makes it a list of exceptions."""


def asks_places(question: Question, signals: Vocabulary) -> bool:
    """True when the question asks which places (放在哪几个市) or whether its place is among
    those listed (我们省在不在名单里)."""
    generic = set(signals.words.get("generic_place", ()))
    return bool(_WHICH_PLACES.search(question.asking)) or (
        question.kind == "yesno" and question.polarity in ("is", "has")
        and bool(question.places - generic) and signals.has("member_cue", question.asking)
        and not signals.has("member_not", question.asking))


def places_first(question: Question, hits: list[Hit], signals: Vocabulary, words: Words
                 ) -> list[Hit]:
    """The clause of the first hit's notice that lists places moves first for a question
    asking about places (:func:`asks_places`), unless the first names places itself: the list
    answers it, not a clause about how the pilot is run."""
    if not hits or not asks_places(question, signals):
        return hits
    generic = set(signals.words.get("generic_place", ()))
    if words.places(hits[0].clause.text) - generic:
        return hits  # the first hit names places itself (在福州、厦门开展…试点)
    lead = hits[0].clause.doc_id
    # What the places are listed for (政府网站集约化), without the places and the asking words.
    topic = question.asking
    for word in (*question.places, *signals.found("member_cue", topic), *generic):
        topic = topic.replace(word, " ")
    wanted = bigrams(_WHICH_PLACES.sub(" ", topic))
    listing = next((h for h in hits if h.clause.doc_id == lead
                    and len(wanted & bigrams(h.clause.text)) >= MIN_OVERLAP
                    and _lists_places(h.clause.text, generic, words)), None)
    return hits if listing is None else [listing, *(h for h in hits if h is not listing)]


def _lists_places(text: str, generic: set[str], words: Words) -> bool:
    """True when ``text`` lists places (three or more joined by 、), not after 除."""
    for run in _RUN.finditer(text):
        if "除" in text[max(0, run.start() - _EXCEPT_REACH): run.start()]:
            continue
        if len({p for p in words.places(run.group(0)) if p not in generic}) >= _LEAST:
            return True
    return False


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
