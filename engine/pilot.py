"""Pilots (试点): what a part tried out somewhere settles firmly only for an asker inside the
pilot. A question whether the asker's place is in it is answered no by a pilot naming other
places, when the asker's place cannot lie inside them (泉州 against 福州、厦门); a district or
county (思明区) may lie inside a piloting city, which is not known here, while a known city
lies in its own province only (:mod:`index.cities`).

The signal words come from the verdict data file (see :mod:`engine.verdict`).
"""

from __future__ import annotations

import re

from engine.question import Question, Words
from engine.vocabulary import Vocabulary
from index.cities import load_cities

# 所有园区都…: every one of a kind (the clause goes on to 都); 我, 咱 make it the asker's own.
_ALL_OF = re.compile(r"所有[^，,。？?；;！!]{1,20}?都")
_OWN = ("我", "咱", "本")
_CLAUSES = re.compile(r"[，,；;]")
_WIDENED = re.compile(r"全省|全国|全市|全面|推开|推广|铺开|扩大")
# Places that may lie inside another (a district, county, town, village, zone).
_PART_OF = ("区", "县", "镇", "乡", "村", "街道")
# The end of a run before 、/等, or the start of one after 、: the kinds a pilot lists.
_LISTED = re.compile(r"([\u4e00-\u9fff]{2,8})(?=[、等])|(?<=、)([\u4e00-\u9fff]{2,8})")


def pilots(part: str, signals: Vocabulary) -> bool:
    """True when the part only tries something out (在…开展…试点), not extends a pilot (在…试点
    基础上推广)."""
    return signals.has("trial", part) and not signals.has("beyond_trial", part)


def outside_pilot(question: Question, part: str, signals: Vocabulary, words: Words,
                  sentence: str = "") -> bool:
    """True when the question asks whether its place is in a pilot (泉州也在试点里吗) and the
    part names other places only (福州、厦门开展…试点, or 在厦门…试点基础上: the pilot run so
    far, unless its ``sentence`` takes it further, 推广至全省)."""
    run_so_far = signals.has("trial", part) and not _WIDENED.search(sentence or part)
    if question.stance == "adverse" or not (pilots(part, signals) or run_so_far) \
            or not signals.has("trial", question.asking):
        return False
    piloted = words.places(part)
    return bool(question.places and piloted and not question.places & piloted)


def confined_trial(question: Question, part: str, signals: Vocabulary, words: Words) -> bool:
    """True when the segment only pilots what it says somewhere the asker is not.

    A pilot settles the question for someone inside it: the question names one of the pilot's
    places (在福州开诊所 against 福州、厦门开展诊所备案试点) or zones (自贸区), or asks about
    the pilot itself (会不会试行…). A pilot being extended (在…试点基础上推广) confines nothing.
    """
    if not pilots(part, signals):
        return False
    if signals.has("trial", question.asking) or "试行" in question.asking:
        return False
    if question.places & words.places(part):
        return False
    if any(zone in part and zone in question.normalized for zone in signals.words.get("zone", ())):
        return False
    # 开展危化品、水泥等生产企业…试点 and a question about 水泥厂: one of the listed kinds.
    listed = set()
    for match in _LISTED.finditer(part):  # the end of a run before 、/等, the start of one after 、
        run = match.group(0)
        listed |= {run[i:] for i in range(len(run) - 1)} if match.group(1) else \
            {run[:i] for i in range(2, len(run) + 1)}
    return not any(item in question.normalized and words.is_word(item) for item in listed)


def sweeps_past(asking: str, part: str, relaxes: bool, trial: bool, signals: Vocabulary
                ) -> bool:
    """True when the question supposes more than a part that eases or pilots something says:
    a sweeping word the part does not use (一律…, 全省都… against 取消…, 在自贸试验区开展
    …试点), or something of every one of a kind (所有园区都改了吗) against a pilot."""
    if (relaxes or trial or pilots(part, signals)) and signals.has("sweeping", asking) \
            and not any(word.rstrip("都") in part for word in signals.found("sweeping", asking)):
        return True
    # Of 所有, only a claim against a pilot the asker is not in (trial), and not about the
    # asker's own (我们所有员工都…) in the clause saying it.
    match = _ALL_OF.search(asking)
    if not trial or match is None or "所有" in part:
        return False
    clause = _CLAUSES.split(asking[:match.start()])[-1]
    return not any(w in clause for w in _OWN)


def left_out(question: Question, part: str, piloted: frozenset[str], signals: Vocabulary
             ) -> bool:
    """True when the asker's place is for sure outside a pilot confined elsewhere (``part``,
    naming the places ``piloted``): a city the pilot does not name (我在莆田能办吗 against 在厦门
    开展…试点; not a province, which holds cities, nor 福州、厦门等地, an open list), or a city
    named without the free trade zone the pilot is confined to (:func:`outside_zone`)."""
    if question.polarity not in ("can", "is", "has") or "等" in part \
            or question.stance in ("burden", "adverse"):
        return False
    if piloted:
        return not question.places & set(signals.words.get("province", ())) \
            and outside_for_sure(question.places, piloted, signals)
    return outside_zone(question.places, part)


def outside_zone(asked: frozenset[str], part: str) -> bool:
    """True when the part pilots something in free trade zones only (在自贸试验区开展…试点) and
    the asker names only cities, which few of hold one (not 平潭 or 滨海新区, zones themselves,
    nor a province). A city holding part of a zone is not known here: the rule reads the
    asker as outside it."""
    if not asked or "自贸" not in part:
        return False
    cities = load_cities()
    return all(place.removesuffix("市") in cities.province_of and place not in cities.provinces
               for place in asked)


def outside_for_sure(asked: frozenset[str], piloted: frozenset[str], signals: Vocabulary) -> bool:
    """True when the asker's places cannot lie inside the pilot's: each is a city or province,
    not a district, county, town or village (泉州, 浙江; not 思明区), and a city is not asked
    about against a pilot naming a province, which may hold it (泉州 against 福建)."""
    if not asked or any(place.endswith(_PART_OF) for place in asked):
        return False
    provinces = set(signals.words.get("province", ()))
    if all(place in provinces for place in asked) or not piloted & provinces:
        return True
    # 杭州 against 北京、上海…: a known city lies in its own province only.
    province_of = load_cities().province_of
    return all(place in province_of and province_of[place] not in piloted for place in asked)
