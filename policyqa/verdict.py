"""Yes/no verdicts read from what the quoted sentence does: 取消/不再/无需 answer "还需要…吗"
with no and "能…吗" with yes; 不得 answers "能…吗" with no. A verdict is given only when the
sentence speaks about what was asked; otherwise there is none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from corpus.links import bigrams
from policyqa.question import Question
from policyqa.vocabulary import Vocabulary, load_vocabulary

SIGNALS_FILE = Path(__file__).parent / "data" / "verdict_signals.json"
Verdict = Literal["yes", "no"]
_SEGMENT = re.compile(r"[，；。,;：:]")
_MIN_OVERLAP = 2  # shared bigrams between the question (with its expansions) and the segment
_SIGNALS = ("relax", "prohibit", "require", "enable")
_CONVERTED = 1_000  # ranks a segment that converts the asked-about term above any overlap
_NOT_CONVERSION = ("革", "造", "善", "进", "变", "正")  # 改革, 改造, 改善, 改进: no X改Y
_NEAR_BEST = 0.8  # a signal counts only in a segment about as close to the question as the closest


Signals = Vocabulary
"""Signal words by what they do to an obligation."""


def load_signals(path: Path = SIGNALS_FILE) -> Signals:
    """Read the verdict signal words."""
    return load_vocabulary(path)


@dataclass(frozen=True)
class Reading:
    """A verdict and the part of the sentence it rests on."""

    verdict: Verdict | None
    segment: str = ""


def segments(sentence: str) -> list[str]:
    """The comma- and semicolon-separated parts of a sentence."""
    return [s for s in (p.strip() for p in _SEGMENT.split(sentence)) if s]


def decide(question: Question, sentences: list[str], expansions: list[str],
           signals: Signals) -> Reading:
    """Read a verdict for a yes/no question from the best-matching segment that carries a signal."""
    if question.kind != "yesno" or question.polarity is None:
        return Reading(None)
    wanted = bigrams(question.normalized + " " + " ".join(expansions))
    candidates: list[tuple[int, int, str, int]] = []
    closest = 0
    for order, sentence in enumerate(sentences):
        previous = ""
        for part in segments(sentence):
            overlap = len(wanted & bigrams(part))
            # 对小型项目，推行告知承诺制: a segment that opens with its verb takes its subject
            # from the segment before, which counts when judging whether it is on topic.
            topical = len(wanted & bigrams(previous + part)) \
                if _opens_with_signal(part, signals) else overlap
            previous = part
            closest = max(closest, overlap)
            if _converts(part, wanted):
                # 年检改年报, 备案改备查: the asked-about burden itself is turned into
                # something else, as plain an answer as the sentence can give.
                candidates.append((_CONVERTED, -order, part, _CONVERTED))
            elif any(signals.has(name, part) for name in _SIGNALS):
                candidates.append((overlap, -order, part, topical))
    if not candidates:
        return Reading(None)
    _, negative_order, part, topical = max(candidates)
    # The best-ranked sentence may share a single word with the question and still be about it.
    needed = 1 if negative_order == 0 else _MIN_OVERLAP
    if not question.english and (topical < needed or topical < _NEAR_BEST * closest):
        return Reading(None)
    return Reading(_verdict(question, part, signals), part)


def _opens_with_signal(part: str, signals: Signals) -> bool:
    """True when the segment starts with a signal word, i.e. has no subject of its own."""
    return any(part.startswith(word) for name in _SIGNALS for word in signals.words.get(name, ()))


def _converts(part: str, wanted: set[str]) -> bool:
    """True when the segment turns a two-character term of the question into another (X改Y)."""
    return any(ch == "改" and i >= 2 and part[i + 1: i + 2] not in _NOT_CONVERSION
               and part[i - 2: i] in wanted for i, ch in enumerate(part))


def _verdict(question: Question, part: str, signals: Signals) -> Verdict | None:
    asked = question.normalized
    relaxes = signals.has("relax", part)
    if signals.has("prohibit", part):
        return "no" if question.polarity == "can" else "yes"
    if relaxes:
        if question.polarity == "need":
            # A relaxation tried out somewhere (自贸区试点) leaves the rule standing elsewhere.
            return None if signals.has("trial", part) else "no"
        if question.polarity == "can":
            return "yes"
        # 有…吗: asking whether a relaxation happens (简化了吗) is yes; asking whether a burden
        # remains (还有限制吗) is no.
        asks_about_relief = signals.has("relax", asked)
        return "yes" if asks_about_relief or not signals.has("burden", asked) else "no"
    if question.polarity == "need" and not _names_the_burden(asked, part, signals):
        # 开诊所需要许可吗 against 开展诊所备案试点: the sentence keeps or brings in another
        # burden than the one asked about, which answers nothing.
        return None
    if signals.has("require", part):
        if question.polarity == "can" and signals.has("negation", _question_body(asked)):
            return "no"  # 能不讲公益吗 against 坚持公益属性
        return "yes" if question.polarity != "can" else None
    if signals.has("enable", part):
        return "yes"
    return None


def _names_the_burden(asked: str, part: str, signals: Signals) -> bool:
    """True unless the question names burdens (许可, 备案…) and the segment names none of them."""
    burdens = set(signals.found("burden", asked))
    if burdens & set(signals.words.get("permission", ())):
        burdens |= set(signals.words["permission"])  # 审批 and 许可 name the same burden
    return not burdens or any(word in part for word in burdens)


def _question_body(text: str) -> str:
    """The question without the yes/no frame words that contain 不 (能不能, 要不要, …)."""
    for frame in ("能不能", "可不可以", "是不是", "要不要", "需不需要", "会不会", "用不用", "有没有"):
        text = text.replace(frame, "")
    return text
