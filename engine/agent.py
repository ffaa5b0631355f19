"""Who does it: a question supposing the government itself does something (是政府部门自己来评的
吗, 是不是官方直接认定) is answered no by a part giving it to someone else — a third party, an
association, the market, the applicants themselves (引导第三方机构或协会组织…进行评级).

That someone else must be the actor of the act asked about: named at the head of the part or
right after a word handing it the task (由, 引导, 鼓励…), with what the question asks done after
it (the act named after the government and a word of the question, or two words) —
规范中介机构收费 or 通过第三方支付平台缴费 give nobody a task — or, handed over in the passive
(评估工作交由第三方实施), before it. The question must not name that someone else itself
(是不是政府委托协会来评: the notice's own arrangement, left to the other readings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.links import bigrams
from engine.question import Question
from engine.reading import Reading, names, segments

_GOVERNMENT = re.compile(r"政府|官方|主管部门|行政部门|有关部门|职能部门|部门|机关")
_OTHERS = re.compile(r"第三方|协会|商会|行业组织|社会组织|中介机构|社会力量|市场化|企业自主|自主开展"
                     r"|自行(?!车)")
_PASSIVE = re.compile(r"(?:由|交由|委托|转由)[^，,；;。]{0,3}$")
_HANDED = re.compile(r"(?:^|(?:由|引导|鼓励|支持|推动|交由|委托|依托|发挥|让|交给|转由|购买)[^，,；;。]{0,3})$")
"""What may stand before the someone else when it is the one doing the act: nothing, or a word
giving it the task (引导行业协会…, 由第三方…); 规范中介机构… makes it the object."""
_SUPPOSED = re.compile(r"(?:是|由)[^，,。？?]{0,4}?(?:" + _GOVERNMENT.pattern + ")+")
"""是政府部门…的吗, 是不是由官方…: the question says who does it."""
_FRAME = re.compile(r"是不是|是否|是|的吗|吗|吧|没错|对吧|自己|直接|亲自|下来|来|去|搞|做|弄|干|[^\u4e00-\u9fff]")
"""Words of the question that are not what is done or what it is done to; 搞, 做 name no act."""


class _Asked:
    """What the question supposes the government does: the act named after the government (评
    of 是官方来评的吗, '' when only 搞 or 做), and the question's words."""

    def __init__(self, asked: str, supposed: re.Match[str]) -> None:
        self.act = _FRAME.sub("", asked[supposed.end():]).replace("的", "")
        self.topic = bigrams(_FRAME.sub("\0", _GOVERNMENT.sub("\0", asked)))

    def done_in(self, text: str) -> bool:
        """True when ``text`` does the act asked about to what the question is about: the act
        and a word of the question, or two words where the question names no act."""
        shared = self.topic & bigrams(text)
        if self.act:
            return bool(shared) and names(text, self.act)
        return len(shared) >= min(2, len(self.topic))


def given_to_others(question: Question, sentences: Iterable[str]) -> Reading | None:
    """No to a question supposing the government does what the first matching part gives to
    someone else."""
    asked = question.asking
    supposed = _SUPPOSED.search(asked)
    if question.kind != "yesno" or question.polarity not in ("is", "has") \
            or supposed is None or _OTHERS.search(asked):
        return None
    what = _Asked(asked, supposed)
    if not what.topic:
        return None
    for sentence in sentences:
        parts = segments(sentence)
        if any(_GOVERNMENT.search(part) and what.done_in(part) for part in parts):
            continue  # the sentence gives the act to a government body too
        for part in parts:
            if _acted_by_others(part, what):
                return Reading("no", part, "agent")
    return None


def _acted_by_others(part: str, what: _Asked) -> bool:
    """True when someone else, given the task, does in ``part`` what the question asks."""
    for found in _OTHERS.finditer(part):
        before = part[:found.start()]
        if _HANDED.search(before) is None:
            continue
        # 评估工作由第三方机构承担: handed over in the passive, the act named before.
        if what.done_in(part[found.end():]) or (_PASSIVE.search(before) and what.done_in(before)):
            return True
    return False
