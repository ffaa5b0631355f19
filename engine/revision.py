"""A figure revised (申领条件由登记满2年放宽至满6个月, 期限由30天缩短为15天): the new figure is
the one in force. A question supposing the old one (听说受理要等30天，这话属实吗) is answered no,
one stating the new one yes. Only figures of the same measure are compared (:mod:`engine.condition`
reads them), and only a claim the question makes, not a figure of the asker's own story that
matches neither."""

from __future__ import annotations

import re
from typing import Literal

from engine.condition import Bound, asked
from engine.question import Question
from engine.reading import segments

# 由X放宽至Y, 由X调整为Y: what was, the word of change, what is.
_REVISED = re.compile(r"由([^，；。]*?)(?:放宽|调整|提高|降低|缩短|延长|扩大|下调|上调|减少|增加|压缩|放开)"
                      r"(?:到|至|为)([^，；。]*)")


def revised_figure(question: Question, sentences: list[str]
                   ) -> tuple[Literal["yes", "no"], str, Literal["revise"]] | None:
    """No when the question states the figure a part revises away, yes when it states the
    figure the part revises to; None when no part revises a figure the question states."""
    if question.polarity not in ("is", "need", "has") or question.stance == "adverse":
        return None
    claimed = asked(question.asking)
    if not claimed:
        return None
    for sentence in sentences:
        for part in segments(sentence):
            match = _REVISED.search(part)
            if match is None:
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


def _value(bound: Bound) -> float | None:
    return bound.low if bound.low is not None else bound.high
