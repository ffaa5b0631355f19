"""Exclusive categories a rule may be set for (全日制 or 非全日制, 公办 or 民办, 文科 or 理工科):
one who says they are of another alternative than the rule's is not reached by it.

Words count only as whole words of the text as the tokenizer cuts it (国有 is not in 全国有条件
nor in 国有土地, 文科 not in 人文科学), the longest first across every group (城镇职工 before
城镇, 非全日制 before 全日制). The data file also lists the words of a clause that make a
category describe someone else than the asker (我爸是退休的, 吸纳农村劳动力的企业), and
words that place the asker in an alternative without naming it (我上面有个哥哥: not an only child).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from contract.errors import DataError

CATEGORIES_FILE = Path(__file__).parent / "data" / "categories.json"
Cut = Callable[[str], Sequence[str]]
"""Plain segmentation of a text into words (every character kept)."""

_CLAUSES = re.compile(r"[，,。；;？?！!]")
_NEGATED = ("不是", "不在", "并非", "不属于", "非", "不再")
_NEGATION_REACH = 3  # characters before a category word in which a negation turns it
_NONE_OF = ("没", "无")  # 没有兄弟姐妹: no word implied
_MAJOR = ("专业", "系")  # 计算机专业, 中文系: one word of the cut holding a major


@dataclass(frozen=True)
class _Implied:
    word: str
    group: int
    alternative: int
    near: tuple[str, ...]
    """Words one of which its clause must hold (学, 专业 for a major); none: any clause."""
    not_before: tuple[str, ...]
    """Words after it that make it something else (兄弟单位)."""


@dataclass(frozen=True)
class _Categories:
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    """Each group's alternatives, each alternative's words."""
    others: tuple[str, ...]
    """Words of a question's clause that make it about someone else (爸, 孩子)."""
    acting: tuple[str, ...]
    """Verbs before a sentence's category word that make it the object of the rule, not its
    subject (吸纳农村劳动力的企业)."""
    words: tuple[tuple[str, int, int], ...] = ()
    """Every category word with its group and alternative, the longest first."""
    implied: tuple[_Implied, ...] = ()
    """Words implying an alternative (哥哥: 非独生子女), the longest first."""


@cache
def _categories() -> _Categories:
    """The category data file, read once."""
    try:
        data = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
        groups = tuple(tuple(tuple(str(w) for w in alternative) for alternative in group)
                       for group in data["groups"])
        words = sorted(((w, g, a) for g, group in enumerate(groups)
                        for a, alternative in enumerate(group) for w in alternative),
                       key=lambda item: -len(item[0]))
        where = {w: (g, a) for w, g, a in words}
        implied = tuple(sorted((_Implied(str(w), *where[str(entry["alternative"])],
                                         tuple(map(str, entry.get("near", ()))),
                                         tuple(map(str, entry.get("not_before", ()))))
                                for entry in data["implied"] for w in entry["words"]),
                               key=lambda item: -len(item.word)))
        found = _Categories(groups, tuple(map(str, data["others"])),
                            tuple(map(str, data["acting"])), tuple(words), implied)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise DataError(f"{CATEGORIES_FILE}: category data missing or invalid: {exc}") from exc
    if any(len(group) < 2 or not all(group) for group in groups):
        raise DataError(f"{CATEGORIES_FILE}: a group needs two alternatives or more, with words")
    return found


@dataclass(frozen=True)
class _Named:
    group: int
    alternative: int
    at: int


def _bounds(text: str, cut: Cut) -> tuple[set[int], set[int]]:
    """Where the cut's words of ``text`` start and end."""
    starts, ends, position = set(), set(), 0
    for word in cut(text):
        starts.add(position)
        position += len(word)
        ends.add(position)
    return starts, ends


def _named(text: str, bounds: tuple[set[int], set[int]]) -> list[_Named]:
    """The category words ``text`` holds as whole words (a run of the cut's words, whose
    ``bounds`` are given), longest first, each masked once found."""
    starts, ends = bounds
    found = []
    for word, group, alternative in _categories().words:
        at = text.find(word)
        while at >= 0:
            if at in starts and at + len(word) in ends:
                found.append(_Named(group, alternative, at))
                text = text[:at] + "\0" * len(word) + text[at + len(word):]
            at = text.find(word, at + 1)
    return found


def _masked(text: str) -> str:
    """``text`` with every category word blanked out (子女 is no one else in 独生子女)."""
    for word, _, _ in _categories().words:
        text = text.replace(word, "\0" * len(word))
    return text


def _implied(question: str, masked: str, bounds: tuple[set[int], set[int]]
             ) -> set[tuple[int, int]]:
    """The alternatives the question places the asker in without naming them (我和我姐姐一起
    赡养: 非独生子女; 我是学哲学的: 文科), from whole words (a major also before 专业 / 系)
    outside any category word, not negated just before (没有兄弟姐妹), not in a clause about
    someone else (我爸还有个弟弟), not before a word making them something else (兄弟单位),
    and in a clause holding a word the entry needs near it (学, 专业). ``masked`` is the
    question with its category words blanked, ``bounds`` where its words start and end."""
    starts, ends = bounds
    data = _categories()
    found = set()
    for entry in data.implied:  # the longest first
        for match in re.finditer(re.escape(entry.word), masked):
            at, end = match.start(), match.end()
            whole = at in starts and (end in ends or (bool(entry.near)
                                                     and masked.startswith(_MAJOR, end)))
            before = masked[max(0, at - _NEGATION_REACH): at]
            start, stop = _clause_at(question, at)
            clause = masked[start:at] + masked[end:stop]
            if whole and not any(w in before for w in (*_NEGATED, *_NONE_OF)) \
                    and not masked.startswith(entry.not_before, end) \
                    and not any(w in clause for w in data.others) \
                    and (not entry.near or any(w in masked[start:stop] for w in entry.near)):
                found.add((entry.group, entry.alternative))
        masked = masked.replace(entry.word, "\0" * len(entry.word))  # 姐妹 in 兄弟姐妹
    return found


def _clause_at(text: str, at: int) -> tuple[int, int]:
    """Where the clause (between punctuation) of ``text`` that holds position ``at`` starts
    and ends."""
    start = max((m.end() for m in _CLAUSES.finditer(text, 0, at)), default=0)
    end = _CLAUSES.search(text, at)
    return start, end.start() if end else len(text)


def contrasted(question: str, sentence: str, cut: Cut) -> bool:
    """True when the sentence sets its rule for one alternative of exclusive categories, in a
    phrase saying who it is for (具有理工科专业…学历的公民, 公办幼儿园的教师), and the question
    says the asker is of another only (我是文科的, 我在民办幼儿园): not when the question names
    the rule's alternative too, negates its own (不是民办的), or speaks of someone else in
    that clause (我爸退休了); nor when the sentence names several alternatives or acts on the
    category's members (吸纳农村劳动力的企业)."""
    asked = _asked(question, cut)
    return any(group in asked and alternative not in asked[group]
               for group, alternative in _rule_for(sentence, cut).items())


def set_for_others(question: str, sentences: list[str], cut: Cut | None) -> set[int]:
    """The positions of the sentences setting a rule for another alternative than the asker's
    when one of the others sets it for the asker's own (本人独生子女 against （一）纳税人为独生子女
    的，… and （二）纳税人为非独生子女的，…不能超过每月1000元): those say nothing of the asker.
    A rule for others with none for the asker beside it stays, as the answer that the asker is
    not reached."""
    if cut is None:
        return set()
    asked = _asked(question, cut)
    rules = [_rule_for(sentence, cut) for sentence in sentences]
    own = {group for rule in rules for group, alternative in rule.items()
           if alternative in asked.get(group, set())}
    return {i for i, rule in enumerate(rules)
            if any(group in own and alternative not in asked[group]
                   for group, alternative in rule.items())}


def _asked(question: str, cut: Cut) -> dict[int, set[int]]:
    """The alternatives the question says the asker is of, by group: named, not negated just
    before (不是民办的) nor in a clause about someone else (我爸是退休的), or implied."""
    data = _categories()
    asked: dict[int, set[int]] = {}
    masked = _masked(question)
    bounds = _bounds(question, cut)
    for named in _named(question, bounds):
        before = question[max(0, named.at - _NEGATION_REACH): named.at]
        start, end = _clause_at(question, named.at)
        if any(word in before for word in _NEGATED) \
                or any(w in masked[start:end] for w in data.others):
            continue
        asked.setdefault(named.group, set()).add(named.alternative)
    said = set(asked)
    for group, alternative in _implied(question, masked, bounds):
        if group not in said:  # 作为独生子女，我姐姐…: the word named outweighs
            asked.setdefault(group, set()).add(alternative)
    return asked


def _rule_for(sentence: str, cut: Cut) -> dict[int, int]:
    """The one alternative of each group the sentence sets its rule for, in a phrase saying
    who it is for (…的): not a group whose alternatives it names several of, not one it
    negates itself (非营利性 is its own word), nor one whose members the rule acts on."""
    data = _categories()
    in_sentence: dict[int, set[int]] = {}
    where: dict[int, int] = {}
    for named in _named(sentence, _bounds(sentence, cut)):
        in_sentence.setdefault(named.group, set()).add(named.alternative)
        where[named.group] = named.at
    rule = {}
    for group, alternatives in in_sentence.items():
        if len(alternatives) != 1:
            continue
        at = where[group]
        start, end = _clause_at(sentence, at)
        if "的" not in sentence[at:end] or sentence[at - 1: at] in ("非", "不") \
                or any(verb in sentence[start:at] for verb in data.acting):
            continue
        rule[group] = next(iter(alternatives))
    return rule
