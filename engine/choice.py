"""A choice between two statements (补贴是按季度领取，还是年底统一结算; 是仅限龙岩先行先试，还是
各地同步铺开), answered, as a yes or no on the first option, by which option the notice's own
words support.

The part of the best sentences most about the question (what both options share, and the rest
of the question) is read: it supports an option when it holds words of that option the other
does not have. Yes when it holds only the first option's own words, no when it holds only the
second's; nothing is said when it holds both or neither.
"""

from __future__ import annotations

import re

from corpus.links import bigrams
from engine.question import CHOICE, Question, first_option, own_clause
from engine.reading import MIN_OVERLAP, Reading, segments

_END = re.compile(r"[？?。！!；;]")
_NEGATIONS = ("不", "未", "无", "非", "取消", "停止")
_FUNCTION = frozenset("的了是在也都就还么这那我你他她它们吗呢吧啊呀嘛和与或及把被给对要会能")
"""Characters that make a pair of an option's words say nothing of its content (这么, 的是)."""


def offers_choice(question: Question) -> bool:
    """True for a choice between two statements that :func:`chosen_option` reads (是A，还是B)."""
    return _options(question) is not None


def chosen_option(question: Question, sentences: list[str]) -> Reading | None:
    """Yes when the part of ``sentences`` most about the question supports the first option
    of its choice and not the second, no when the reverse; None for a question offering no
    choice or a part supporting both or neither."""
    options = _options(question)
    if options is None or not sentences:
        return None
    first, second = options
    own_first, own_second = _content(first) - _content(second), _content(second) - _content(first)
    if not own_first or not own_second:
        return None
    topic = _content(question.normalized) - own_first - own_second
    # Of the parts naming either option, the one most about the rest of the question.
    parts = [part for sentence in sentences for part in segments(sentence)
             if bigrams(part) & (own_first | own_second)]
    scored = [(len(topic & bigrams(part)), -i, part) for i, part in enumerate(parts)]
    if not scored or max(scored)[0] < MIN_OVERLAP:
        return None
    part = max(scored)[2]
    if any(word in part for word in _NEGATIONS):
        return None  # 不再按季度领取: an option named to be denied
    held = bigrams(part)
    in_first, in_second = bool(own_first & held), bool(own_second & held)
    if in_first == in_second:
        return None
    return Reading("yes" if in_first else "no", part.rstrip("。；;"), "choice")


def _options(question: Question) -> tuple[str, str] | None:
    """The two options of a choice: the asked part up to 还是, and what follows it to the end
    of the sentence."""
    choice = CHOICE.search(question.normalized)
    if question.polarity != "is" or choice is None or choice.group(0)[0] in "？?":
        return None  # …可以吗？还是…: a second question, not one sentence's two options
    second = _END.split(question.normalized[choice.end():], maxsplit=1)[0]
    # 补贴是按季度领取的: what comes before 是 is what both options are about, not the first's;
    # without a 是 the two cannot be told apart. A premise before (我是退休人员，) is not A.
    first = own_clause(first_option(question.asking).rstrip("？?。！!，, "))
    if "是" not in first[:-1]:
        return None
    first = first.split("是", 1)[1]
    return (first, second) if first and second.strip() else None


def _content(text: str) -> frozenset[str]:
    """The character pairs of ``text`` that carry content (no function characters)."""
    return frozenset(pair for pair in bigrams(text) if not set(pair) & _FUNCTION)
