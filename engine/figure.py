"""A figure the question states for something the notice sets apart by a short name: 经开区
是否也建200家 against 全市力争达到200家，经济技术开发区达到30家. The part naming what the
question names gives that thing's own figure, which answers whether the stated one is right.

Short names are read as Chinese abbreviations are made: the characters of the short name, in
order, within a longer name that starts and ends as it does (经开区 in 经济技术开发区).
"""

from __future__ import annotations

import re
from typing import Literal

from engine.question import Question
from engine.reading import segments

_HAN = r"\u4e00-\u9fff"
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|亿元|项|个|家|名|所|人|次|天|元|%)")
_SHORT = re.compile(rf"[{_HAN}]{{3,4}}")
_NOT_FIRST = set("的了在是也和与或及等里把被对给就都还")  # a function word starts no name
_NAME_END = set("区局委会办厅部院所站省市县镇")  # names of bodies and places end so
_COMPARED = re.compile(r"(?:以上|以下|以内|超过|不足|不到|至少|不少于|不超过|多于|少于|最多|最少)")
_CLAIM = ("是不是", "是否")
_CONFIRM_TAILS = ("对吧", "是吧", "没错吧", "对不对", "是吗", "吧")


def stated_figure(question: Question, sentences: list[str]
                  ) -> tuple[Literal["yes", "no"], str, Literal["enable"]] | None:
    """Yes or no, and the part giving the figure, when the question states a figure (100项) for
    something a part of the best sentence names in full (经济技术开发区达到30家) while the
    question names it by a short name; None otherwise."""
    if question.polarity != "is" or not sentences:
        return None
    claim = claim_of(question.asking)
    asked = _FIGURE.search(claim)
    if asked is None or _compared(claim, asked):
        return None
    number, measure = float(asked.group(1)), asked.group(2)
    sentence = sentences[0]
    for part in segments(sentence):
        figure = _FIGURE.search(part)
        if figure is None or figure.group(2) != measure or _compared(part, figure):
            continue
        if _names_in_full(question.asking, part[: figure.start()], sentence):
            return ("yes" if float(figure.group(1)) == number else "no"), part, "enable"
    return None


def claim_of(asking: str) -> str:
    """What the question supposes: after 是不是 / 是否, or the last part of a question asking
    to confirm it (…也就200家，对吧); '' when it supposes nothing (the asker's own figures,
    我们公司有50名员工, are no claim)."""
    starts = [asking.find(w) + len(w) for w in _CLAIM if w in asking]
    if starts:
        return asking[min(starts):]
    text = asking.rstrip("？?。！! ")
    if not text.endswith(_CONFIRM_TAILS):
        return ""
    parts = [p for p in segments(text) if p]
    tail = parts[-1] if parts else ""
    # …100项，对吧: the confirming words stand alone; the claim is the part before them.
    return parts[-2] if len(parts) > 1 and tail in _CONFIRM_TAILS else tail


def _compared(text: str, figure: re.Match[str]) -> bool:
    """True when the figure is a bound (200家以上, 超过300名), not an amount."""
    return bool(_COMPARED.search(text[max(0, figure.start() - 4): figure.end() + 3]))


def _names_in_full(question: str, text: str, sentence: str) -> bool:
    """True when ``text`` holds the full name of a short name in the question that the
    sentence does not use itself."""
    for start in range(len(question)):
        for size in (3, 4):
            short = question[start: start + size]
            if len(short) < size or not _SHORT.fullmatch(short) or short[0] in _NOT_FIRST \
                    or short[-1] not in _NAME_END or short in sentence:
                continue
            middle = "".join(f"[{_HAN}]{{0,3}}{re.escape(ch)}" for ch in short[1:])
            full = re.search(re.escape(short[0]) + middle, text)
            if full is not None and len(full.group(0)) > size:
                return True
    return False
