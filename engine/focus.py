"""Whether a part of a sentence answers the very point a question asks, however much story
came before it: doing two things together (能和它一起领吗 against 不得与…同时申领), something
still done (还收取押金吗 against 不再收取押金), or still kept (还保留X吗 against 取消X), the act
asked leave for (能不能私自挪用 against 不得私自挪用), or a group a rule stated elsewhere is extended to (…的子女，按本条第一款规定执行).

The signal words come from the verdict data file (see :mod:`engine.verdict`).
"""

from __future__ import annotations

import re

from engine.category import Cut
from engine.question import Question
from engine.vocabulary import Vocabulary

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_ACT_REACH = 6  # characters after 不得 in which the forbidden act is named
_PHRASE_REACH = 12  # …and after a phrase saying to whom or where (不得对企业群众办事指定…)
_PREPOSITIONS = ("对", "向", "为", "在", "将", "把")
_PARTICLES = "吗呢吧么嘛啊呀"  # 能指定吗: the act ends before the particle
_MANNER = ("这样", "那样", "这么", "那么")  # 能这样收取吗: the act is the verb after them
_NEGATION_REACH = 10  # characters before …规定执行 in which 不按 negates it
_LIST_REACH = 30  # characters between two items of one list


def pointed(question: Question, part: str, action: str, signals: Vocabulary,
            cut: Cut | None = None) -> bool:
    """True when the part forbids or limits doing two things together and the question asks
    about that (一起领, 同时享受), forbids the very act a 可以…吗 asks leave for, or stops
    something the question asks is still done (还…吗 against 不再…). ``action`` is what the
    part does (see :func:`engine.verdict.decide`)."""
    if action in ("prohibit", "restrict"):
        return (signals.has("together", part) and asks_of(question, part, "together", signals)) \
            or (action == "prohibit" and question.polarity == "can"
                and _forbids_the_act(question.asking, part, signals, cut)) \
            or (action == "prohibit" and (question.polarity == "need"
                                          or question.stance == "burden")
                and names_the_listed(question.normalized, part))
    return action == "relax" and asks_of(question, part, "still", signals)


def extends(question: Question, part: str, signals: Vocabulary) -> bool:
    """True when the part puts a group under a rule stated elsewhere (按本条第一款规定执行,
    参照执行) and the question asks whether a right reaches the asker: not 不按…执行, not a
    question about being spared a duty (是不是不用报了) or about wrongdoing (可以违规…吗)."""
    found = signals.found("extend", part)
    if not found or question.polarity not in ("can", "has", "is") \
            or question.stance == "adverse" or signals.has("abolish", question.asking) \
            or signals.has("misconduct", question.asking):
        return False
    at = part.find(found[0])
    return not any(word in part[max(0, at - _NEGATION_REACH): at]
                   for word in signals.words.get("not_extend", ()))


_LISTED_PAIR = re.compile(r"([\u4e00-\u9fff]{2})、([\u4e00-\u9fff]{2})")
_CHARGE = ("收费", "收取", "名义", "缴纳", "交纳", "支付")
"""Words of a part that charges for something (不得以…名义收费)."""


def names_the_listed(question: str, part: str) -> bool:
    """True when the part forbids charging for things the question lists (让交押金、工本费，
    这些还得交吗 against 不得以押金、工本费等名义收费): the two characters on each side of a 、
    of the question are in one list of the part (only other items between them), and the
    part speaks of charging."""
    if not any(word in part for word in _CHARGE):
        return False
    for left, right in (m.groups() for m in _LISTED_PAIR.finditer(question)):
        at = part.find(left)
        while at >= 0:
            end = part.find(right, at + 2)
            if end < 0:
                break
            between = part[at + 2: end]
            if "、" in between and not any(mark in between for mark in "，。；;,") \
                    and len(between) <= _LIST_REACH:
                return True
            at = part.find(left, at + 1)
    return False


def _forbids_the_act(asked: str, part: str, signals: Vocabulary, cut: Cut | None = None
                     ) -> bool:
    """True when the part forbids the very act the question asks leave for: the two characters
    after its 可以/能不能 follow the part's 不得/禁止 closely, and so does the character after
    them when there is one (能不能私自挪用 / 不得私自挪用; not 可以收取伙食费 / 不得收取…赞助费,
    nor 能投保职工医保 / 不得重复投保居民医保). A lone 能 counts where the tokenizer's ``cut``
    makes it a word of its own (物业能这样收取吗; not 技能, 功能)."""
    acts = set()
    for word in signals.found("may", asked):
        at = asked.find(word)
        alone = _alone(asked, word, cut) if len(word) == 1 else frozenset()
        while at >= 0:
            if len(word) == 1 and (at not in alone or asked.startswith("不", at + 1)):
                at = asked.find(word, at + 1)  # not a word of its own, or 能不能
                continue
            start = at + len(word)
            start += next((len(m) for m in _MANNER if asked.startswith(m, start)), 0)
            run = _CJK_RUN.match(asked, start)
            act = run.group(0).rstrip(_PARTICLES) if run else ""
            # 能向学生收取…吗: the act is past the phrase saying to whom, which a prohibition
            # of another act (不得向学生推销…) shares.
            if len(act) >= 2 and not act.startswith(_PREPOSITIONS):
                acts.add(act[:3])
            at = asked.find(word, at + 1)
    for word in signals.found("prohibit", part):
        at = part.find(word)
        while at >= 0:
            reach = _PHRASE_REACH if part.startswith(_PREPOSITIONS, at + len(word)) \
                else _ACT_REACH
            ahead = part[at + len(word): at + len(word) + reach]
            for act in acts:
                where = ahead.find(act[:2])
                if where >= 0 and (len(act) == 2 or act[2] in ahead[where + 2: where + 4]):
                    return True
            at = part.find(word, at + 1)
    return False


def asks_of(question: Question, part: str, name: str, signals: Vocabulary) -> bool:
    """True when the part is about the very thing a word of ``name`` asks of: the verb after
    一起/同时 in the question follows 同时/一起 in the part too (一起领 / 同时领取, not 一起办 /
    同时享受); the two characters after 还 are in a part that stops something (还收取押金 /
    不再收取押金, not 还能用旧卡 / 不再发放旧卡)."""
    if name == "still" and not signals.has("no_longer", part):
        return False
    ahead = [part[part.find(w) + len(w):][:2] for w in signals.found("together", part)] \
        if name == "together" else [part]
    asked = question.asking
    for word in signals.found(name, asked):
        at = asked.find(word)
        while at >= 0:
            after = asked[at + len(word): at + len(word) + (1 if name == "together" else 2)]
            if after.strip() and _CJK_RUN.fullmatch(after) and any(after in a for a in ahead):
                return True
            at = asked.find(word, at + 1)
    return False


def done_away(question: Question, part: str, signals: Vocabulary) -> bool:
    """The question asks whether X is kept (X是否保留, 还保留X吗) and the part does away with
    that X: the two characters naming it come after the part's 取消/不再 (not a part that only
    lessens it, nor one keeping something itself)."""
    if signals.has("kept", part) or signals.has("lessen", part) \
            or not signals.has("abolish", part):
        return False
    asked = question.asking
    # X是否保留: X comes before, behind the words that only frame the question.
    framing = re.compile("(?:" + "|".join(map(re.escape, signals.words.get("kept_frame", ())))
                         + ")+$")
    after = [part[part.find(w) + len(w):] for w in signals.found("abolish", part)]
    for word in signals.found("kept", asked):
        at = asked.find(word)
        run = _CJK_RUN.match(asked, at + len(word))
        named = run.group(0).strip("吗么呢吧了着的") if run else ""
        if len(named) < 2:
            before = framing.sub("", asked[:at])
            named = before[-2:] if _CJK_RUN.fullmatch(before[-2:]) else ""
        if len(named) >= 2 and any(named[:2] in rest for rest in after):
            return True
    return False


def _alone(text: str, word: str, cut: Cut | None) -> frozenset[int]:
    """Where ``word`` is a token of its own in the tokenizer's cut of ``text`` (nowhere
    without a cut)."""
    if cut is None:
        return frozenset()
    found, at = set(), 0
    for token in cut(text):
        if token == word:
            found.add(at)
        at += len(token)
    return frozenset(found)
