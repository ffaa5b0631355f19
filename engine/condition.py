"""Conditions a sentence sets on a quantity (500万元及以下, 超过15000元, 16—24岁, 3家及以上)
and whether the quantity a question gives (贷款300万, 自付1万5, 今年20岁, 只有2家) meets them.

Only quantities of the same measure are compared, and only when the question gives one of that
measure: 员工80人，新招8人 compares nothing, unless the sentence sets a share of a headcount
(:mod:`engine.share`). A sentence that sets both a lower and an upper bracket of one measure
(500万元及以下…，500万元以上…) says nothing for a question that meets one of them: each
bracket has its own rule. Conditions joined by 或 are met by meeting one.

Besides quantities, a sentence may leave some out by name: 除危险化学品、烟花爆竹外的其他…
excepts what it lists, 本市户籍人口的 does not reach one who says 非本市户籍 / 不是本市户籍, and
没有自有住房的 does not reach one who says they have a house. A rule set for one of exclusive
categories (理工科专业…的, 公办幼儿园的) does not reach one who says they are of another (文科,
民办), nor one for a situation (执行任务时) one who says they are not in it (不执行任务的时候).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from contract.errors import DataError
from corpus.links import bigrams
from corpus.numerals import NUMERAL_CHARS, chinese_to_int
from engine.category import Cut, contrasted
from engine.share import share_met, without_shares, without_sizes

_NUMBER = rf"(\d+(?:\.\d+)?|[{NUMERAL_CHARS}]+)"
_MEASURES = "平方米|平米|平|个月|元|块钱|块(?![地田区石板牌砖钱])|周岁|岁|人|家|%|天|亩|项|倍|次|名|年"
# 450平: square metres, 8000块: yuan, as people say them (not 一块地, a piece of land)
_SAME = {"平米": "平方米", "平": "平方米", "块钱": "元", "块": "元", "周岁": "岁"}
# 300万元, 1万5 and 一万五 (= 15,000), 1万8000, 一万八千, 20岁, 两家, 80%: a number, 万 perhaps
# with the thousands after it (not 300万两年: a number of another measure), and its measure.
_QUANTITY = re.compile(rf"{_NUMBER}(万)?((?:\d{{4}}|\d|[一二两三四五六七八九]千?)"
                       rf"(?!\d|个月|周?岁|人|家|天|亩|项|倍|次|名|年|平|%))?({_MEASURES})?")
_AT_LEAST = ("及以上", "以上", "不低于", "不少于", "至少", "最低", "满", "达到", "不得低于",
             "不能低于", "不应低于", "不得少于", "不能少于", "不应少于")
_AT_MOST = ("及以下", "以下", "以内", "不超过", "不高于", "不多于", "最多", "最高", "不能超过",
            "不得超过", "不应超过", "不可超过", "不准超过", "严禁超过", "未超过")
_ABOVE = ("超过", "高于", "多于")
_BELOW = ("不足", "未满", "不满", "低于", "少于", "不到")
_BEFORE = "|".join(sorted((*_AT_LEAST, *_AT_MOST, *_ABOVE, *_BELOW), key=len, reverse=True))
_AFTER = "及以上|以上|及以下|以下|以内"
_RANGE = re.compile(rf"{_NUMBER}(万)?({_MEASURES})?\s*[—\-－~～至到]\s*{_NUMBER}(万)?({_MEASURES})")


@dataclass(frozen=True)
class Quantity:
    """A number with its measure (money in 元, 万 multiplied out)."""

    value: float
    measure: str


@dataclass(frozen=True)
class Bound:
    """One condition on a measure: value ``low``…``high`` (None when open)."""

    measure: str
    low: float | None = None
    high: float | None = None
    strict: bool = False
    """The bound itself does not count (超过 100, 不足 3)."""

    def holds(self, value: float) -> bool:
        """True when ``value`` meets the condition."""
        if self.low is not None and (value < self.low or (self.strict and value == self.low)):
            return False
        return self.high is None or not (value > self.high or (self.strict and value == self.high))


def _number(text: str) -> float | None:
    try:
        return float(text) if text[0].isdigit() else float(chinese_to_int(text))
    except ValueError:
        return None


def _quantity(number: str, wan: str | None, tenth: str | None, measure: str | None
              ) -> Quantity | None:
    value = _number(number)
    if value is None:
        return None
    if wan:
        value = value * 10_000 + _thousands(tenth)
        measure = measure or "元"  # 贷款300万: money, as people say it
    if not measure or (measure == "年" and value >= 1900):  # 2019年 is a year, not a span
        return None
    return Quantity(value, _SAME.get(measure, measure))


def _thousands(after: str | None) -> float:
    """What follows 万: 5 or 五 or 五千 are thousands, 2000 is itself."""
    if not after:
        return 0.0
    if len(after) == 4:
        return float(after)
    return float(chinese_to_int(after[0])) * 1000


def _bounded(text: str) -> list[tuple[tuple[int, int], Bound]]:
    """The ranges and the compared quantities of ``text`` with their spans."""
    found: list[tuple[tuple[int, int], Bound]] = []
    for match in _RANGE.finditer(text):
        low = _quantity(match.group(1), match.group(2), None, match.group(3) or match.group(6))
        high = _quantity(match.group(4), match.group(5), None, match.group(6))
        if low is not None and high is not None and low.measure == high.measure:
            found.append((match.span(), Bound(high.measure, low.value, high.value)))
    taken = [span for span, _ in found]
    for match in re.finditer(rf"({_BEFORE})?{_QUANTITY.pattern}({_AFTER})?", text):
        before, after = match.group(1), match.group(6)
        if not (before or after) or any(s <= match.start() < e for s, e in taken):
            continue
        quantity = _quantity(*match.group(2, 3, 4, 5))
        if quantity is None:
            continue
        word = after or before
        if word in _AT_LEAST:
            bound = Bound(quantity.measure, low=quantity.value)
        elif word in _ABOVE:
            bound = Bound(quantity.measure, low=quantity.value, strict=True)
        elif word in _AT_MOST:
            bound = Bound(quantity.measure, high=quantity.value)
        else:
            bound = Bound(quantity.measure, high=quantity.value, strict=True)
        found.append((match.span(), bound))
    return found


def bounds(sentence: str) -> list[Bound]:
    """The conditions ``sentence`` sets on quantities."""
    return [bound for _, bound in _bounded(sentence)]


def asked(question: str) -> list[Bound]:
    """What the question says of each quantity: a range when it says past or short of an
    amount (超过1%, 不到3家) or gives one (16—24岁), else that amount (贷款300万; 满70岁, 达到50人
    and 60岁以上的老人 state the asker's own value)."""
    found = [(span, bound) for span, bound in _bounded(question)
             if bound.strict or (bound.low is not None and bound.high is not None)]
    spans = [span for span, _ in found]
    for match in _QUANTITY.finditer(question):
        quantity = _quantity(*match.groups())
        if quantity is not None and not any(s <= match.start() < e for s, e in spans):
            found.append((match.span(), Bound(quantity.measure, quantity.value, quantity.value)))
    return [bound for _, bound in sorted(found, key=lambda item: item[0])]


def _within(inner: Bound, outer: Bound) -> bool:
    """Every value ``inner`` allows, ``outer`` allows too."""
    if outer.low is not None and (inner.low is None or inner.low < outer.low or (
            inner.low == outer.low and outer.strict and not inner.strict)):
        return False
    return outer.high is None or not (inner.high is None or inner.high > outer.high or (
        inner.high == outer.high and outer.strict and not inner.strict))


def _apart(one: Bound, other: Bound) -> bool:
    """No value is allowed by both."""
    open_end = one.strict or other.strict
    return any(high is not None and low is not None and (high < low or (high == low and open_end))
               for high, low in ((one.high, other.low), (other.high, one.low)))


def relation(given: Bound, condition: Bound) -> bool | None:
    """True when what the question gives meets the condition, False when it cannot; a range
    that partly meets it is read at the amount it names."""
    if _within(given, condition):
        return True
    if _apart(given, condition):
        return False
    # 超过1万 against 2万以上: read at the amount named, as a bare amount would be.
    named = given.low if given.low is not None else given.high
    return None if named is None else condition.holds(named)


THRESHOLDS_FILE = Path(__file__).parent / "data" / "thresholds.json"
_BEFORE_NAMED = 4  # characters before a threshold word in which 未达到 / 超过 / 有 count


@dataclass(frozen=True)
class _Thresholds:
    """Threshold words (word → measure, value, whether a lower bound) and the words around
    them that turn them round, mean being past them or make them about someone else."""

    words: dict[str, tuple[str, float, bool]]
    turned: tuple[str, ...]
    passed: tuple[str, ...]
    others: tuple[str, ...]


@cache
def _thresholds() -> _Thresholds:
    """The threshold data file, read once."""
    try:
        data = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))
        return _Thresholds(
            words={word: (str(measure), float(value), kind == "at_least")
                   for word, (measure, value, kind) in data["words"].items()},
            turned=tuple(data["turned"]), passed=tuple(data["passed"]),
            others=tuple(data["others"]))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise DataError(f"{THRESHOLDS_FILE}: threshold words missing or invalid: {exc}") from exc


def named_bounds(sentence: str) -> list[Bound]:
    """The conditions ``sentence`` sets on the asker by a word the law defines (达到法定劳动年龄的:
    16岁 and over; 未成年: under 18), turned round by 未达到 / 未满 before it; none from one
    past which something is said (超过法定劳动年龄) or one describing someone else (有未成年
    子女的职工)."""
    data = _thresholds()
    found = []
    for word, (measure, value, at_least) in data.words.items():
        at = sentence.find(word)
        while at >= 0:
            before = sentence[max(0, at - _BEFORE_NAMED): at]
            after = sentence[at + len(word):]
            if not (any(w in before for w in data.passed) or before.endswith("有")
                    or after.startswith(data.others)):
                lower = at_least != any(before.endswith(w) for w in data.turned)
                found.append(Bound(measure, low=value) if lower else
                             Bound(measure, high=value, strict=True))
            at = sentence.find(word, at + 1)
    return found


_PARTS = re.compile(r"[，,；;。]")


def meets(question: str, sentence: str) -> bool | None:
    """Whether the quantities the question gives meet the sentence's conditions on them: True,
    False, or None when nothing compares.

    A measure the sentence brackets (200万元以内的，费率不超过1%；200万元以上的，不超过1.5%)
    only picks the part that is the asker's: meeting a bracket says nothing, and the other
    conditions of the asker's part decide (贷款150万，费率能超过1%吗: no)."""
    given: dict[str, list[Bound]] = {}
    for bound in asked(question):
        given.setdefault(bound.measure, []).append(bound)
    # A bracket: one part's floor is another's ceiling (200万元以内的，…200万元以上的), not a
    # condition with two sides (年满16岁、不满60岁的).
    parts = [(*bounds(part), *named_bounds(part)) for part in _PARTS.split(sentence)]
    every = [bound for part in parts for bound in part]
    cuts = {(b.measure, b.low) for b in every if b.high is None} & \
        {(b.measure, b.high) for b in every if b.low is None}
    found: set[bool | None] = set()
    mine = not cuts  # with brackets, only what the asker's bracket says counts
    for part in parts:
        results: set[bool | None] = set()
        for bound in part:
            values = given.get(bound.measure, [])
            if len(values) != 1:
                continue
            if (bound.measure, bound.low if bound.high is None else bound.high) in cuts:
                # A bracket runs from its own bound to the next one's (…及以下的…，费率不超过1%).
                mine = relation(values[0], bound) is True
            elif mine:
                results.add(relation(values[0], bound))
        found |= results if mine else set()
    if "或" in sentence and True in found:
        return True  # 投资额在100万元以下或者建筑面积在500平方米以下: either will do
    return found.pop() if len(found) == 1 else None


# 除…外, not the 除 of 扣除, 解除, 免除, 消除, 排除, 删除….
_EXCEPT = re.compile(r"(?<![扣解免消排删拆剔清废破革])除(?:了)?([^，。；,;]{2,80}?)(?:以)?外")
_ITEM_BREAK = re.compile(r"[、，,/]|以及|及|和|或者|或")
_NEGATED = ("非", "不是", "并非", "不属于")
# A question setting an item apart itself (除了A, A以外, 不涉及A) is not asking about A.
_SET_APART = ("除", "以外", "之外", "不涉及", "不是", "并非", "不属于", "不做", "没有", "非")
# The sentence says its rule is not for X (非X, 不X, X除外, X不纳入…): one not X is not left out.
_NOT_BEFORE = ("非", "不", "无", "未", "除")
_NOT_AFTER = ("除外", "不纳入", "不适用", "不得", "不属于", "不包括", "以外", "之外")
_CLAUSES = re.compile(r"[，,。；;？?！!]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _exceptions(sentence: str) -> list[tuple[int, int, list[str]]]:
    """The spans of the sentence's 除…外 and the items each lists (brackets left out)."""
    found = []
    for match in _EXCEPT.finditer(sentence):
        items = (re.sub(r"[（(][^）)]*[）)]", "", item).strip()
                 for item in _ITEM_BREAK.split(match.group(1)))
        found.append((match.start(), match.end(), [i for i in items if len(i) >= 2]))
    return found


def _negated_rests(question: str) -> list[str]:
    """What follows each 非 / 不是 / 并非 / 不属于 of the question (是不是 aside)."""
    found = []
    for word in _NEGATED:
        start = question.find(word)
        while start >= 0:
            if not (word == "不是" and question[start - 1: start] == "是"):
                found.append(question[start + len(word):])
            start = question.find(word, start + 1)
    return found


def excepted(question: str, sentence: str) -> bool:
    """True when the question names something the sentence excepts (除A、B以及C外的其他…) in
    a clause that does not set it apart itself (不是A、B那种, 除了A, 不涉及A: the rule then
    reaches the asker)."""
    clauses = [c for c in _CLAUSES.split(question) if c]
    for _, _, items in _exceptions(sentence):
        for item in items:
            if any(item in c and not any(w in c for w in _SET_APART) for c in clauses):
                return True
    return False


def negates(question: str, sentence: str) -> bool:
    """True when the question says the asker is not what the sentence's rule is for: 非X or
    不是X in the question, X (two Chinese characters or more) in the sentence, where the
    sentence neither negates nor excludes X itself (非X的…可以, X除外) and does not except it."""
    spans = [(start, end) for start, end, _ in _exceptions(sentence)]
    for rest in _negated_rests(question):
        longest = next((rest[:n] for n in range(min(len(rest), 12), 1, -1)
                        if rest[:n] in sentence), "")
        if len(_CJK.findall(longest)) < 2:
            continue
        at = sentence.find(longest)
        after = sentence[at + len(longest):]
        if sentence[max(0, at - 2): at].endswith(_NOT_BEFORE) or after.startswith(_NOT_AFTER) \
                or any(start <= at < end for start, end in spans):
            continue
        return True
    return False


# A rule for those without something: 没有自有住房的, 无住所的 (not 无偿, 无害化: no 的 follows).
_LACKING = re.compile(r"(?:没有|(?<![并从])无)([\u4e00-\u9fff]{2,6}?)(?:的|而)")
# What the question says someone has: 有套房子, 有住所 (not 没有, 有没有, 无…), a measure word
# aside, up to a particle or punctuation (有套房子，… / 有住房了).
_HAS = re.compile(r"(?<![没无未沒])有(?!没|没有)(?:[一两1-9]?[套个家间处份所])?"
                  r"([\u4e00-\u9fff]{1,4}?)(?=[了的吗呢吧啊在也都还，,。；;？?！!\s]|$)")


def lacks(question: str, sentence: str) -> bool:
    """True when the sentence's rule is for those without something (没有自有住房的, 无住所的)
    and the story before the question says the asker has it (老婆有套房子，我还能…; not the
    有 of the question itself, 也有住房补贴吗): what follows 有 is the thing's last two
    characters, or its last character (房, 房子)."""
    story = question[: len(question) - len(_last_clause(question))]
    held = [match.group(1) for match in _HAS.finditer(story)]
    for match in _LACKING.finditer(sentence):
        thing = match.group(1)
        if any(noun in (thing[-2:], thing[-1], thing[-1] + "子") for noun in held):
            return True
    return False


def _last_clause(text: str) -> str:
    """The last non-empty clause of ``text`` (where a question asks)."""
    return next((c for c in reversed(_CLAUSES.split(text.rstrip("？?。！! "))) if c.strip()), "")


# A situation: what precedes 时 / 的时候 / 期间 (not 时间, 时限, 及时, 小时, 同时…); one the question
# says the asker is not in follows 不 / 没 / 未 / 非, closely.
_WHEN = r"([\u4e00-\u9fff]{2,16}?)(?:的时候|时候|期间|(?<![小同及按届随临适准定实暂当平])时(?![间限效段期代机刻]))"
_SITUATION = re.compile(_WHEN)
_NOT_IN = re.compile(r"(?:不是在|不在|没有在|没在|不是|不|没有|没|未|非)"
                     r"([\u4e00-\u9fff]{2,8}?)(?:的时候|时候|期间|(?<![小同及按届随临适准定实暂当平])时"
                     r"(?![间限效段期代机刻]))")
# What a 不 before them negates is the asker's knowing or the asking itself, not a situation.
_NOT_A_SITUATION = ("知道", "清楚", "确定", "了解", "管", "论", "会", "能", "可以", "知")


def out_of_situation(question: str, sentence: str) -> bool:
    """True when the sentence's rule holds in a situation (执行巡逻任务时可以…, 在校期间免费…)
    and the question says the asker is not in it (不执行任务的时候, 不在校期间): the
    question's situation shares its words (two character pairs, or its only one) with the
    sentence's, which is not itself negated; not when the question also names the situation
    as one the asker may be in (在校期间和不在校期间都…)."""
    if _NOT_IN.search(sentence):
        return False
    situations = [bigrams(match.group(1)) for match in _SITUATION.finditer(sentence)]

    def shared(text: str) -> bool:
        asked = bigrams(text)
        return bool(asked) and any(len(asked & s) >= min(2, len(asked)) for s in situations)

    negated = [m for m in _NOT_IN.finditer(question)
               if not any(w in m.group(1) for w in _NOT_A_SITUATION)]
    spans = [(m.start(), m.end()) for m in negated]
    if any(shared(m.group(1)) and not any(a <= m.end() - 1 < b for a, b in spans)
           for m in _SITUATION.finditer(question)):
        return False
    return any(shared(m.group(1)) for m in negated)


def applies(question: str, sentence: str, cut: Cut | None = None) -> bool | None:
    """Whether the sentence's rule reaches the asker: False when the question is excepted from
    it, says the asker is not what it is for (not of its category, not in its situation), or
    has what the rule is for those without, or its counts miss a share the rule sets (see
    :mod:`engine.share`); else as the quantities decide (see :func:`meets`).
    Categories are read only with ``cut``, the tokenizer's words (see :mod:`engine.category`)."""
    if excepted(question, sentence) or negates(question, sentence) or lacks(question, sentence) \
            or (cut is not None and contrasted(question, sentence, cut)) \
            or out_of_situation(question, sentence):
        return False
    share = share_met(question, sentence)
    if share is None:  # the question's own figures, as written (…占职工总数的20%)
        return meets(question, without_sizes(sentence))
    rest = without_shares(sentence)
    met = meets(question, rest)
    if share is False:
        # …达到25%或…达到30人以上: missing the share leaves the other way open.
        return False if "或" not in rest else (True if met else None)
    return True if met is None else met
