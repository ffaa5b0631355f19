"""Steps in order (先放后检, 先入区、后检测, 先照后证, 先建后验): a notice putting one step
before another answers a yes/no question supposing an order of the same two steps — no when
the question supposes the opposite order (非得等化验报告出来才准放行吗, 放行前必须先检验吗),
yes when it supposes the same (能不能先放行再检测, 不用等检测完就能放行吧).

A step of the question matches a step of the notice when it holds the notice's step (a
one-character step such as 检 inside 检验) or, for a longer one, a character pair of it (检测
inside 检测结果). The reading needs none matched the other way round, and both steps matched —
or one, when the sentence is about what the question is about (two shared words outside the
steps: 进口铁矿 for 对进口铁矿采取先放后检, where 进口原油先报关再放行 shares only 进口);
anything else is left to the other readings. The order is read across a comma (先入库，后使用).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from corpus.links import bigrams
from engine.question import Question
from engine.reading import SEGMENT, Reading, names, segments
from index.search import Hit

_STEP = r"[\u4e00-\u9fff]{1,2}"
_STATED = re.compile(rf"先({_STEP}?)[、，,]?\s*后({_STEP})")
"""An order a notice states: 先放后检, 先入区、后检测 (先后, "one after another", has no step)."""

_PART = r"[^，,。；;？?！!]"
_END = r"[^，,。；;？?！!吗吧呢嘛]"
_MODAL = r"(?:能|可以|可|准|去|给|会|予|再)?"
_DONE = r"(?:出来|完成|完|好|下来|合格|通过|之后|以后|后)?"
# What a question supposes comes first, as (first, then) group names, the negated waits first:
# 不用等X就Y supposes Y before X.
_SUPPOSED: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(rf"(?:不用|不必|无需|不需要|用不着|不要|没必要|不)[先等]+(?P<x>{_PART}{{1,12}}?){_DONE}"
                rf"[，,]?\s*(?:就|便|即|直接){_MODAL}(?P<y>{_END}{{1,8}})"), "y", "x"),
    (re.compile(rf"等(?P<x>{_PART}{{1,12}}?){_DONE}[，,]?\s*(?:才|再|方){_MODAL}"
                rf"(?P<y>{_END}{{1,8}})"), "x", "y"),
    # Not 先X后Y itself: 先征后退 names a kind of refund, it supposes nothing of the asker's.
    (re.compile(rf"先(?P<x>{_PART}{{1,12}}?)[，,]?\s*(?:再|然后|之后|以后|才){_MODAL}"
                rf"(?P<y>{_END}{{1,8}})"), "x", "y"),
    (re.compile(rf"(?P<y>{_PART}{{1,8}}?)(?:之前|以前|前)[，,]?\s*(?:都|一律)?(?:要|得|必须|需要|需)?先"
                rf"(?P<x>{_END}{{1,12}})"), "x", "y"),
    (re.compile(rf"(?P<x>{_PART}{{1,12}}?)(?:了|完|好|合格|通过|之后|以后)[，,]?\s*才{_MODAL}"
                rf"(?P<y>{_END}{{1,8}})"), "x", "y"),
)
_HITS = 3  # how far down a clause stating the order may be brought from


def supposed_order(question: Question) -> tuple[str, str] | None:
    """The two steps a yes/no question supposes, in the order it supposes them; None when it
    supposes no order."""
    if question.kind != "yesno":
        return None
    for pattern, first, then in _SUPPOSED:
        found = pattern.search(question.asking)
        if found:
            return found.group(first), found.group(then)
    return None


def stated_order(question: Question, sentences: Iterable[str]) -> Reading | None:
    """The verdict of the first part stating an order of the question's two steps: yes when
    the question supposes that order, no when it supposes the opposite."""
    supposed = supposed_order(question)
    if supposed is None:
        return None
    about = bigrams(question.asking)
    for sentence in sentences:
        for stated in _STATED.finditer(sentence):
            agrees = _agrees(supposed, stated.group(1), stated.group(2),
                             len(about & _outside(sentence, stated.groups())) >= 2)
            if agrees is not None:
                # the part stating it, with what leads up to it
                said = "，".join(segments(sentence[:_part_end(sentence, stated.end())]))
                return Reading("yes" if agrees else "no", said, "sequence")
    return None


def _outside(text: str, steps: Iterable[str]) -> frozenset[str]:
    """The words of ``text`` outside the named steps."""
    for step in steps:
        if step:
            text = text.replace(step, "\0")
    return bigrams(text)


def _part_end(sentence: str, at: int) -> int:
    """Where the part going on at ``at`` ends."""
    found = SEGMENT.search(sentence, at)
    return found.start() if found else len(sentence)


def ordered_first(question: Question, hits: Sequence[Hit]) -> list[Hit]:
    """When the first hit states no order of the question's steps and a close one does, that
    one answers first (先入区、后检测 before a clause only about 检测)."""
    if not hits or supposed_order(question) is None \
            or stated_order(question, [hits[0].clause.text]) is not None:
        return list(hits)
    stating = next((h for h in hits[1:_HITS] if stated_order(question, [h.clause.text])), None)
    if stating is None:
        return list(hits)
    return [stating, *(h for h in hits if h is not stating)]


def _agrees(supposed: tuple[str, str], first: str, then: str, about: bool) -> bool | None:
    """True when the supposed steps come in the stated order, False when the other way round,
    None when they cannot be told to be the stated steps: both must match, or one when the
    sentence is ``about`` what the question is about."""
    before, after = supposed
    same = [names(before, first), names(after, then)]
    opposite = [names(before, then), names(after, first)]
    if any(same) == any(opposite):
        return None
    matched = same if any(same) else opposite
    if not all(matched) and not about:
        return None
    return any(same)
