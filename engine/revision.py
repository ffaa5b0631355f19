"""A figure revised (申领条件由登记满2年放宽至满6个月, 期限由30天缩短为15天): the new figure is
the one in force. A question supposing the old one (听说公示天数要30天，这话属实吗) is answered no,
one stating the new one yes. Only figures of the same measure are compared (:mod:`engine.condition`
reads them), and only a claim the question makes, not a figure of the asker's own story that
matches neither."""

from __future__ import annotations

import re
from typing import Literal

from corpus.links import bigrams
from engine.condition import Bound, asked
from engine.question import Question
from engine.reading import MIN_OVERLAP, segments

_CHANGE = "放宽|调整|提高|降低|缩短|延长|扩大|下调|上调|减少|增加|压缩|放开"
_REVISED_WORDS = re.compile(rf"由|{_CHANGE}|到|至|为|是不是|是否|听说|真的|吗")
"""Words that frame a revision or a question about one, which say nothing of its topic."""
_COMPARED = re.compile(r"超过|以上|以下|以内|不到|不足|至少|最多|不少于|不低于|多于|少于")
# 由X放宽至Y, 由X调整为Y: what was, the word of change, what is.
_REVISED = re.compile(rf"由([^，；。]*?)(?:{_CHANGE})(?:到|至|为)([^，；。]*)")


def revised_figure(question: Question, sentences: list[str]
                   ) -> tuple[Literal["yes", "no"], str, Literal["revise"]] | None:
    """No when the question states the figure a part revises away, yes when it states the
    figure the part revises to; None when no part revises a figure the question states."""
    if question.polarity not in ("is", "need", "has") or question.stance == "adverse":
        return None
    # An amount the question states as such (满3年, 30天), not a bound (超过15天, 不超过30天).
    if _COMPARED.search(question.asking):
        return None
    claimed = [b for b in asked(question.asking) if b.low == b.high and not b.strict]
    if not claimed:
        return None
    about = _words(question.asking)
    for sentence in sentences:
        for part in segments(sentence):
            match = _REVISED.search(part)
            # The part must revise what the question is about (办理天数 is not 公示天数).
            if match is None or len(about & _words(part)) < MIN_OVERLAP:
                continue
            old, new = _figures(match.group(1)), _figures(match.group(2))
            for bound in claimed:
                value = _value(bound)
                if value is None or bound.measure not in old or bound.measure not in new:
                    continue
                if value == new[bound.measure]:
                    return "yes", part, "revise"
                if value == old[bound.measure]:
                    return "no", part, "revise"
    return None


def _figures(text: str) -> dict[str, float]:
    """The first figure of each measure in ``text``."""
    found: dict[str, float] = {}
    for bound in asked(text):
        value = _value(bound)
        if value is not None:
            found.setdefault(bound.measure, value)
    return found


def _words(text: str) -> frozenset[str]:
    """The character pairs of ``text`` without its figures and the words of change."""
    return frozenset(pair for pair in bigrams(_REVISED_WORDS.sub("\0", text))
                     if not any(ch.isdigit() for ch in pair))


def _value(bound: Bound) -> float | None:
    return bound.low if bound.low is not None else bound.high
