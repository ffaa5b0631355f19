"""Conditions a sentence sets on a share of a headcount (新招用…人员数量达到企业现有在职职工人数
25%（超过100人的企业达到15%）; 安置残疾人占在职职工总数的比例不低于25%) and whether the two counts a
question gives (现有职工80人，新招了15个) meet them.

Only a question giving both counts is judged — the whole (现有/在职/员工 …人) and the part the
sentence counts, named by the same kind of act (招用 and 新招, 安置 and 安置) — so 80人的企业能申请吗
compares nothing. A size the sentence sets apart in brackets (超过100人的企业达到15%) takes its own
share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numerals import chinese_to_int

_PCT = r"(\d+(?:\.\d+)?)%"
_COUNT = r"(\d+|[一二两三四五六七八九十百]+)"
# 数量达到…人数25%, 人数超过…总数的30%
_REACHES = re.compile(rf"(达到|不低于|不少于|超过|高于)([^，。；（(\d]{{2,24}}?)的?{_PCT}(?:及?以上)?"
                      r"(?:（([^）]{0,30})）)?")
# 占…总数的比例不低于25%
_TAKES = re.compile(rf"占([^，。；（(\d]{{2,24}}?)的?比例(?:应)?(达到|不低于|不少于|超过|高于){_PCT}")
_SIZED = re.compile(rf"超过(\d+)人的[^，。；]{{0,8}}?(?:达到|不低于|不少于){_PCT}")
_WHOLE_WORDS = ("职工", "员工", "人数", "总数", "人员")
# The acts that make a part of a headcount, by the character that names them.
_ACTS = ("招", "纳", "置", "录", "聘", "雇")
_PART_ACTS = "新招|招用|招收|招聘|招了|招到|吸纳|安置|录用|聘用|聘了|雇用|雇了"
_PART = re.compile(rf"({_PART_ACTS})[了到]?[^，。；？?！!\d]{{0,3}}{_COUNT}\s*(?:个人|个|名|位|人)")
_WHOLE = re.compile(rf"(?:现有|在职|职工|员工|工人|一共|总共|共有|全厂|全公司|公司有|厂里有)"
                    rf"[^，。；？?！!\d]{{0,4}}{_COUNT}\s*(?:个人|个|名|位|人)"
                    rf"|{_COUNT}\s*(?:个|名|位)?(?:员工|职工|工人)")


@dataclass(frozen=True)
class Share:
    """A share the counted part must reach of a whole (``percent``, or ``sized_percent`` for a
    whole above ``size``), ``strict`` when it must be passed (超过)."""

    acts: frozenset[str]
    percent: float
    strict: bool = False
    size: int | None = None
    sized_percent: float | None = None

    def holds(self, part: int, whole: int) -> bool:
        """True when ``part`` of ``whole`` reaches the share."""
        wanted = self.sized_percent if self.size is not None and whole > self.size \
            and self.sized_percent is not None else self.percent
        share = 100.0 * part / whole
        return share > wanted if self.strict else share >= wanted


def _int(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(chinese_to_int(text))
    except ValueError:
        return None


def shares(sentence: str) -> list[tuple[tuple[int, int], Share]]:
    """The share conditions of ``sentence`` with their spans."""
    found: list[tuple[tuple[int, int], Share]] = []
    for match in _REACHES.finditer(sentence):
        whole, percent, bracket = match.group(2), match.group(3), match.group(4)
        before = sentence[max(0, match.start() - 30): match.start()]
        if not any(w in whole for w in _WHOLE_WORDS):
            continue
        acts = frozenset(a for a in _ACTS if a in before)
        if not acts:
            continue
        sized = _SIZED.search(bracket or "")
        found.append((match.span(), Share(
            acts, float(percent), strict=match.group(1) in ("超过", "高于"),
            size=int(sized.group(1)) if sized else None,
            sized_percent=float(sized.group(2)) if sized else None)))
    for match in _TAKES.finditer(sentence):
        before = sentence[max(0, match.start() - 20): match.start()]
        acts = frozenset(a for a in _ACTS if a in before)
        if acts and any(w in match.group(1) for w in _WHOLE_WORDS):
            found.append((match.span(), Share(acts, float(match.group(3)),
                                              strict=match.group(2) in ("超过", "高于"))))
    return found


def _counts(question: str) -> tuple[tuple[str, int], int] | None:
    """The part (its act and count) and the whole a question gives, when it gives one each."""
    parts = list(_PART.finditer(question))
    if len(parts) != 1:
        return None
    act, part = parts[0].group(1), _int(parts[0].group(2))
    start, end = parts[0].span()
    wholes = {_int(m.group(1) or m.group(2)) for m in _WHOLE.finditer(question)
              if m.end() <= start or m.start() >= end}
    whole = wholes.pop() if len(wholes) == 1 else None
    if part is None or whole is None or not 0 < part <= whole:
        return None
    return (act, part), whole


def share_met(question: str, sentence: str) -> bool | None:
    """Whether the question's counts meet the sentence's share condition: None when the
    sentence sets none, or the question does not give both counts for an act it names."""
    conditions = shares(sentence)
    if not conditions:
        return None
    counts = _counts(question)
    if counts is None:
        return None
    (act, part), whole = counts
    results = {c.holds(part, whole) for _, c in conditions if c.acts & set(act)}
    return results.pop() if len(results) == 1 else None


def without_shares(sentence: str) -> str:
    """The sentence with its share conditions blanked out, so that the sizes they name (超过100人
    的企业) are not read as conditions on the asker's own counts."""
    for (start, end), _ in sorted(shares(sentence), key=lambda item: item[0], reverse=True):
        sentence = sentence[:start] + "，" + sentence[end:]
    return sentence
