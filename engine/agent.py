"""Who does it: a question supposing the government itself does something (是政府部门自己来评的
吗, 是不是官方直接认定) is answered no by a part giving it to someone else — a third party, an
association, the market, the applicants themselves (引导第三方机构或协会组织…进行评级).

The part must share a word with the question (what is done or what it is done to), and the
question must not name that someone else itself (是不是政府委托协会来评: the notice's own
arrangement, left to the other readings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.links import bigrams
from engine.question import Question
from engine.reading import Reading, segments

_GOVERNMENT = re.compile(r"政府|官方|主管部门|行政部门|有关部门|职能部门|部门|机关")
_OTHERS = re.compile(r"第三方|协会|商会|行业组织|社会组织|中介机构|社会力量|市场主体|市场化|企业自主|自主开展"
                     r"|自行|委托")
_SUPPOSED = re.compile(r"(?:是|由)[^，,。？?]{0,4}?(?:" + _GOVERNMENT.pattern + ")")
"""是政府部门…的吗, 是不是由官方…: the question says who does it."""
_FRAME = re.compile(r"是不是|是否|是|的吗|吗|吧|没错|对吧|自己|直接|亲自|下来|来|去")


def given_to_others(question: Question, sentences: Iterable[str]) -> Reading | None:
    """No to a question supposing the government does what the first matching part gives to
    someone else."""
    asked = question.asking
    if question.kind != "yesno" or question.polarity not in ("is", "has") \
            or not _SUPPOSED.search(asked) or _OTHERS.search(asked):
        return None
    topic = bigrams(_FRAME.sub("\0", _GOVERNMENT.sub("\0", asked)))
    for sentence in sentences:
        for part in segments(sentence):
            if _OTHERS.search(part) and not _GOVERNMENT.search(part) and topic & bigrams(part):
                return Reading("no", part, "agent")
    return None
