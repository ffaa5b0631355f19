"""Conditions a sentence sets on a share of a headcount (新招用…人员数量达到企业现有在职职工人数
25%（超过100人的企业达到15%）; 安置残疾人占在职职工总数的比例不低于25%) and whether the two counts a
question gives (在职80人，新招了15个) meet them.

Only a question giving both counts is judged — the whole (现有/在职/员工 …人) and the part the
sentence counts, named by the same act (招用 and 新招, 安置 and 安置) — so 80人的企业能申请吗
compares nothing. A size the sentence sets apart in brackets (超过100人的企业达到15%) takes its own
share; a bracket not read leaves the share unjudged. Only floors are read (达到, 不低于, 超过): a
cap (不得超过…10%) or a negated floor (未达到) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.numerals import NUMERAL_CHARS, chinese_to_int

_PCT = r"(\d+(?:\.\d+)?)%"
_COUNT = rf"(\d+|[{NUMERAL_CHARS}]+)"
_GAP = rf"[^，。；？?！!\d{NUMERAL_CHARS}]"
_FLOOR = "达到|不低于|不少于|超过|高于"
# 数量达到…人数25%, 人数超过…总数的30%, with the bracket after it if any
_REACHES = re.compile(rf"({_FLOOR})([^，。；（(\d]{{2,24}}?)的?{_PCT}(?:及?以上)?"
                      r"(?:[（(]([^）)]{0,30})[）)])?")
# 占…总数的比例不低于25%
_TAKES = re.compile(rf"占([^，。；（(\d]{{2,24}}?)的?比例(?:应)?({_FLOOR}){_PCT}")
# (超过100人的企业达到15%), (100人以上的企业为15%)
_SIZED = re.compile(rf"(超过)?(\d+)人(及?以上)?的[^，。；]{{0,8}}?(?:{_FLOOR}|为|是|按){_PCT}")
_NEGATED = ("不", "未")  # 不超过, 不得超过, 未达到: a cap or a floor not met
_WHOLE_WORDS = ("职工", "员工", "人数", "总数", "人员")
_NOT_HEADCOUNT = ("工资", "总额", "费用", "金额", "收入", "资金")
# The acts that make a part of a headcount, each with the words that name it.
_ACTS = {"招": ("招用", "招收", "招聘", "新招", "招了", "招到"), "吸纳": ("吸纳",),
         "安置": ("安置",), "录用": ("录用",), "聘": ("聘用", "聘请", "聘了"),
         "雇": ("雇用", "雇佣", "雇了")}
_PART = re.compile(rf"({'|'.join(w for words in _ACTS.values() for w in words)})[了到]?"
                   rf"{_GAP}{{0,3}}{_COUNT}\s*(?:个人|个|名|位|人)")
_WHOLE = re.compile(rf"(?:现有|在职|职工|员工|工人|一共|总共|共有|全厂|全公司|公司有|厂里有)"
                    rf"{_GAP}{{0,4}}{_COUNT}\s*(?:个人|个|名|位|人)"
                    rf"|{_COUNT}\s*(?:个|名|位)?(?:员工|职工|工人)")
_CLAUSE_BREAK = re.compile(r"[，,。；;？?！!]")
# Counts of someone else's firm (我朋友公司新招了20个) are not the asker's.
_OTHERS = ("朋友", "别人", "人家", "他们", "她们", "隔壁", "亲戚", "同行")


@dataclass(frozen=True)
class Share:
    """A share the counted part must reach of a whole (``percent``, or ``sized_percent`` for a
    whole past ``size``), ``strict`` when it must be passed (超过)."""

    acts: frozenset[str]
    percent: float
    strict: bool = False
    size: int | None = None
    sized_percent: float | None = None
    sized_inclusive: bool = False
    """The size itself takes the sized share (100人以上的企业), not only past it (超过100人)."""
    read: bool = True
    """False when a bracket after the share sets another for some size that was not read."""

    def holds(self, part: int, whole: int) -> bool:
        """True when ``part`` of ``whole`` reaches the share."""
        sized = self.size is not None and self.sized_percent is not None and (
            whole > self.size or (self.sized_inclusive and whole == self.size))
        wanted = self.sized_percent if sized and self.sized_percent is not None \
            else self.percent
        share = 100.0 * part / whole
        return share > wanted if self.strict else share >= wanted


def _int(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(chinese_to_int(text))
    except ValueError:
        return None


def _acts(before: str) -> frozenset[str]:
    """The acts named in the clause that ends ``before`` (the words before a comparison)."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    return frozenset(act for act, words in _ACTS.items() if any(w in clause for w in words))


def _negated(sentence: str, at: int) -> bool:
    return any(w in sentence[max(0, at - 2): at] for w in _NEGATED)


def _headcount(whole: str) -> bool:
    return any(w in whole for w in _WHOLE_WORDS) and not any(w in whole for w in _NOT_HEADCOUNT)


def _reached(sentence: str) -> Iterator[tuple[re.Match[str], frozenset[str]]]:
    """The 达到…人数N% of ``sentence`` that count a headcount's part, with its acts."""
    for match in _REACHES.finditer(sentence):
        acts = _acts(sentence[:match.start()])
        if acts and _headcount(match.group(2)):
            yield match, acts


def shares(sentence: str) -> list[tuple[tuple[int, int], Share]]:
    """The share conditions of ``sentence`` with their spans."""
    found: list[tuple[tuple[int, int], Share]] = []
    for match, acts in _reached(sentence):
        comparison, _, percent, bracket = match.groups()
        if _negated(sentence, match.start()):
            continue
        sized = _SIZED.search(bracket or "")
        found.append((match.span(), Share(
            acts, float(percent), strict=comparison in ("超过", "高于"),
            read=not (bracket and sized is None
                      and any(w in bracket for w in ("人", "企业", "单位", "规模"))),
            size=int(sized.group(2)) if sized else None,
            sized_percent=float(sized.group(4)) if sized else None,
            sized_inclusive=bool(sized and sized.group(3) and not sized.group(1)))))
    for match in _TAKES.finditer(sentence):
        acts = _acts(sentence[:match.start()])
        if acts and _headcount(match.group(1)) and not _negated(sentence, match.start(2)):
            found.append((match.span(), Share(acts, float(match.group(3)),
                                              strict=match.group(2) in ("超过", "高于"))))
    return found


def _counts(question: str) -> tuple[str, int, int] | None:
    """The act, the part and the whole a question gives, when it gives one of each and both
    are the asker's own."""
    parts = list(_PART.finditer(question))
    if len(parts) != 1:
        return None
    act, part = parts[0].group(1), _int(parts[0].group(2))
    start, end = parts[0].span()
    wholes = [m for m in _WHOLE.finditer(question) if m.end() <= start or m.start() >= end]
    counted = {_int(m.group(1) or m.group(2)) for m in wholes}
    whole = counted.pop() if len(counted) == 1 else None
    if part is None or whole is None or not 0 < part <= whole:
        return None
    for match in (parts[0], *wholes):
        clause = _CLAUSE_BREAK.split(question[:match.start()])[-1]
        if any(w in clause for w in _OTHERS):
            return None
    return act, part, whole


def share_met(question: str, sentence: str) -> bool | None:
    """Whether the question's counts meet the sentence's share condition: None when the
    sentence sets none (or one not read whole), or the question does not give both counts for
    an act it names."""
    conditions = shares(sentence)
    if not conditions:
        return None
    counts = _counts(question)
    if counts is None:
        return _stated(question, [c for _, c in conditions])
    act, part, whole = counts
    family = next(a for a, words in _ACTS.items() if act in words)
    named = [c for _, c in conditions if family in c.acts]
    if not named or not all(c.read for c in named):
        return None
    results = {c.holds(part, whole) for c in named}
    return results.pop() if len(results) == 1 else None


_STATED = re.compile(rf"占[^，。；？?！!]{{0,12}}?的?{_PCT}")


def _stated(question: str, conditions: list[Share]) -> bool | None:
    """Whether a share the question states itself (新招的人占职工总数的20%) meets the one
    condition set, when that one takes no other share for some size."""
    stated = [m for m in _STATED.finditer(question) if _headcount(m.group(0))]
    if len(stated) != 1 or len(conditions) != 1 or conditions[0].size is not None \
            or not conditions[0].read:
        return None
    condition = conditions[0]
    share = float(stated[0].group(1))
    return share > condition.percent if condition.strict else share >= condition.percent


def without_shares(sentence: str) -> str:
    """The sentence with its share conditions blanked out, so that the sizes they name (超过100人
    的企业) are not read as conditions on the asker's own counts."""
    for (start, end), _ in sorted(shares(sentence), key=lambda item: item[0], reverse=True):
        sentence = sentence[:start] + "，" + sentence[end:]
    return sentence


def without_sizes(sentence: str) -> str:
    """The sentence with the brackets after its shares blanked out (超过100人的企业达到15%): the
    sizes they name are a condition on the firm's whole headcount, not on a count the asker
    gives, and the share they set is read with the share (:func:`share_met`)."""
    spans = [m.span(4) for m, _ in _reached(sentence) if m.group(4)]
    for start, end in sorted(spans, reverse=True):
        sentence = sentence[:start - 1] + "，" + sentence[end + 1:]
    return sentence
