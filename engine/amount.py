"""An amount a question supposes (储备是否够两个月就行, 公示期是否就是5天) against the amounts
the cited clause gives for the same thing (储备保持六个月销量): yes when the only amount given
is the supposed one, no when none of them is.

Only plain amounts count: a part setting a bound (满2年, 不低于6个月, 最高…) is a condition for
:mod:`engine.condition`; a part counting per another unit (每户 against 每人, 每年 against 每月),
naming nothing the question names, or in a sentence sharing fewer than two pairs with it is
about something else; and a sentence giving the supposed amount beside another (一级每月200元，
二级每月100元; a figure revised from one to the other) leaves the question open.
"""

from __future__ import annotations

import re
from typing import Literal

from corpus.links import bigrams
from corpus.numerals import NUMERAL_CHARS
from engine.condition import asked, bounds
from engine.figure import claim_of
from engine.question import Question
from engine.reading import MIN_OVERLAP, segments

_PER = re.compile(r"每(?:人|户|年|月|天|日|季度|周|次|亩|家)")
_NOT_THING = set(NUMERAL_CHARS) | set("的了是就都也还么吗吧呢个")
_FRAMING = frozenset({"不是", "是否", "就算", "就行", "就够", "够了", "达标", "对吧", "没错"})


def claimed_amount(question: Question, sentences: list[str]
                   ) -> tuple[Literal["yes", "no"], str, Literal["figure"]] | None:
    """Yes or no, and the part giving the amount, for a question supposing one amount of a
    thing the sentences' parts give amounts for; None when nothing compares."""
    if question.polarity != "is" or question.stance == "adverse" or not sentences:
        return None
    claim = claim_of(question.asking)
    if not claim or bounds(claim):
        return None
    supposed = {(b.measure, b.low) for b in asked(claim) if b.low == b.high and not b.strict}
    if len(supposed) != 1:
        return None
    ((measure, value),) = supposed
    # What the amount is of: named in the claim's own clause, before or after 是不是.
    clause = next((c for c in segments(question.asking) if claim[:4] in c), claim)
    about, per = _things(clause, measure), set(_PER.findall(clause))
    stated: list[tuple[float | None, str]] = []
    for sentence in sentences:
        if len(about & _things(sentence, measure)) < MIN_OVERLAP:
            continue  # a sentence about something else
        given = [(b.low, part) for part in segments(sentence) if not bounds(part)
                 for b in asked(part) if b.measure == measure and b.low == b.high]
        if any(amount == value for amount, _ in given) and len({a for a, _ in given}) > 1:
            return None  # the supposed amount beside another (二级…100元, 调整为…)
        stated += [(amount, part) for amount, part in given
                   if set(_PER.findall(part)) <= per and about & _things(part, measure)]
    amounts = {amount for amount, _ in stated}
    if not amounts or (value in amounts and len(amounts) > 1):
        return None
    part = next(part for amount, part in stated if amount == value or value not in amounts)
    return ("yes" if value in amounts else "no"), part, "figure"


def _things(text: str, measure: str) -> frozenset[str]:
    """The character pairs of ``text`` naming things: no numeral, measure or framing."""
    return frozenset(p for p in bigrams(text) if not set(p) & _NOT_THING and p not in measure
                     and p not in _FRAMING)
