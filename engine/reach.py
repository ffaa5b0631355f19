"""Whether a rule reaches the asker: what each place settles for itself, and rules set for
those of some age, amount or count (:mod:`engine.condition`) that the asker's own figures meet
or not (see :mod:`engine.verdict`)."""

from __future__ import annotations

from corpus.links import bigrams
from engine.category import Cut
from engine.condition import applies
from engine.question import Question, Words
from engine.reading import MIN_OVERLAP, SEGMENT, Action, Reading, Verdict, segments
from engine.vocabulary import Vocabulary


def left_to_each_place(question: Question, sentences: list[str], wanted: frozenset[str],
                        signals: Vocabulary) -> Reading | None:
    """家政补贴各市都按同一个标准发吗 against 根据各地实际确定…标准: what each place settles for itself
    is not the same everywhere (None when the question does not ask that, or no part on its
    topic says so)."""
    if question.polarity not in ("is", "has") or question.stance == "adverse" or not sentences \
            or not signals.has("uniform", question.asking):
        return None
    for part in segments(sentences[0]):
        if signals.has("local", part) and len(wanted & bigrams(part)) >= 1:
            return Reading("no", part, None)
    return None


def cut(words: Words | None) -> Cut | None:
    """The tokenizer's segmentation, for reading categories (none without a dictionary)."""
    return words.cut if words is not None else None


def not_for_asker(question: Question, sentences: list[str], words: Words | None = None
                   ) -> Reading | None:
    """No, when the best sentence's rule is for others than the asker: 只有2家的，是否仍公开招标
    against 3家及以上的，采取公开招标; 非户籍人口也能…吗 against 户籍人口的，每人….
    None when that is not so, or the question asks for a burden or fears something."""
    if sentences and question.polarity in ("can", "has", "is") \
            and question.stance != "adverse" \
            and applies(question.normalized, sentences[0], cut(words)) is False:
        return Reading("no", sentences[0].rstrip("。；;"), None)
    return None


def for_asker(question: Question, sentences: list[str], wanted: frozenset[str],
               signals: Vocabulary, words: Words | None = None) -> Reading | None:
    """The best sentence sets a rule for those of the asker's age, amount or count and does
    nothing else the verdict reads (年满60岁的居民，按本条规定执行): it reaches the asker, yes
    (我65岁，也能…吗), and a supposed precondition it leaves out is not so (是不是要满70岁
    才能…: no). Only the asker's own quantities count, not a threshold the question quotes
    (听说要300万元以上才能…). None when nothing compares."""
    if not sentences or question.polarity not in ("can", "has", "is") \
            or question.stance == "adverse" or len(wanted & bigrams(sentences[0])) < MIN_OVERLAP:
        return None
    if len(wanted & bigrams(sentences[0])) == MIN_OVERLAP \
            and not signals.has("extend", sentences[0]):
        return None  # two shared words reach the asker only through a rule extended to them
    own = "，".join(c for c in SEGMENT.split(question.normalized)
                   if not signals.has("precondition", c) and not signals.has("hearsay", c))
    if applies(own, sentences[0], cut(words)) is not True:
        return None
    supposed = question.stance == "burden" or signals.has("precondition", question.asking)
    return Reading("no" if supposed else "yes", sentences[0].rstrip("。；;"))


def conditioned(question: Question, sentence: str, action: Action | None,
                 verdict: Verdict | None, words: Words | None = None) -> Verdict | None:
    """A right or an easing reaches only those meeting its sentence's conditions on amounts,
    ages, counts (18—35岁, 500万元及以下, 超过20000元的部分): one who does not (今年40岁) gets
    no (still needs it, for a burden); one who does gets the right (今年20岁: yes)."""
    if question.stance == "adverse":
        return verdict
    if action not in ("enable", "extend", "relax", "converted"):
        # 自付八千块，能报吧 against …自付部分累计超过一万元的部分…报销, read as a duty (自付):
        # a right asked about whose amount the asker misses is no right of theirs.
        if action == "require" and verdict == "yes" and question.polarity in ("can", "is", "has") \
                and question.stance != "burden" \
                and applies(question.normalized, sentence, cut(words)) is False:
            return "no"
        return verdict
    met = applies(question.normalized, sentence, cut(words))
    if met is False:
        return "yes" if question.polarity == "need" or question.stance == "burden" else "no"
    if met and verdict is None and question.polarity in ("can", "has", "is"):
        return "yes"
    return verdict
