"""Whether something changes: a part saying the thing asked about stays as it is (待遇不变,
保持不变, 照发) answers a question asking whether it changes (有没有变化, 会不会降, 变不变)
with no.

The part must name the thing asked to change — the last two characters before the words of
change, the head of what is asked about (年龄 of 退休年龄会不会变, which 基本待遇不变 does not
keep); where the clause asking names nothing, a word of the question's besides the words of
change. A sentence keeping another thing unchanged answers nothing; 保持稳定增长 keeps
nothing. A question whether one may do something (能不能提前离岗，待遇不变吧) is about that act
and its conditions, not read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.links import bigrams
from engine.question import Question
from engine.reading import SEGMENT, Reading, segments

_UNCHANGED = re.compile(r"不变|保持稳定(?![\u4e00-\u9fff])|维持原|保持原|不受影响|照发|照常发放|不降低|不减少|不调整")
_CHANGE = re.compile(r"(?:有没有|有无|会不会|是否|是不是|有|会|要)(?:什么|啥)?(?:变化|变动|改变|影响|调整)"
                     r"|变不变|(?:会|要)(?:变|降低|减少|扣|打折)|降不降|减不减")
_WORDS = re.compile(r"有没有|有无|会不会|是否|是不是|变化|变动|改变|影响|调整|不变|一样|照旧|照常|保持"
                    r"|维持|这几年|期间|以后|还|吗|呢|吧")


def unchanged(question: Question, sentences: Iterable[str]) -> Reading | None:
    """No to 有没有变化 from the first part keeping the asked thing as it is."""
    asked = question.asking
    change = _CHANGE.search(asked)
    if question.kind != "yesno" or question.polarity not in ("is", "has", "will") \
            or change is None:
        return None
    head = re.sub(r"[^\u4e00-\u9fff]", "", _WORDS.sub("", SEGMENT.split(asked[:change.start()])[-1]))
    head = head.rstrip("会不要是有没的")[-2:]  # 会不 of 会不会降低, read from its second 会
    topic = bigrams(_WORDS.sub("\0", asked))
    for sentence in sentences:
        for part in segments(sentence):
            if not _UNCHANGED.search(part):
                continue
            if head in part if len(head) == 2 else topic & bigrams(_WORDS.sub("\0", part)):
                return Reading("no", part, "keep")
    return None
