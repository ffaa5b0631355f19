"""How a question is wrapped in a chat message, peeled off before it is read.

People greet, thank, add emoji, tell their story before they ask, ask two things at once and
type on a phone. :func:`read` turns a message into the text to search (everything said, without
the wrapping) and the sentence that asks (the first one that does), which decides what kind of
answer is wanted. The words are data (``data/phrasing.json``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from contract.errors import DataError
from index.normalize import normalize_question

PHRASING_FILE = Path(__file__).parent / "data" / "phrasing.json"
# A full stop ends an English sentence only before a space and a capital (not in 1.5 or e.g.).
_SENTENCE = re.compile(r"(?:[^。！？!?；;\n.]|\.(?!\s+[A-Z]))+(?:[。！？!?；;\n]+|\.(?=\s+[A-Z]))*")
_ASKS = re.compile(r"[？?]|谁|什么|啥|哪|几|多少|多久|多长|怎么|怎样|如何|为何|是否|能否|可否|"
                   r"(.)不\1|有没有|是不是|会不会|要不要|用不用|能不能|可不可以|"
                   r"\b(do|does|did|is|are|can|could|will|would|should|must|may|how|what|when|"
                   r"who|which|where|why)\b", re.IGNORECASE)
_PARTICLE_BREAK = re.compile(r"(?<=[吗嘛])(?<!干嘛)[ \t，,]+(?=\S)")
_PUNCT_END = "。！？!?；;，,、…. "


@dataclass(frozen=True)
class Phrasing:
    """Greetings, sign-offs, particles and tail typos (see the data file)."""

    openings: tuple[str, ...] = ()
    closings: tuple[str, ...] = ()
    particles: tuple[str, ...] = ()
    question_tails: tuple[str, ...] = ()
    tail_typos: dict[str, str] = field(default_factory=dict)
    requests: tuple[str, ...] = ()
    request_frame: str = ""


def load_phrasing(path: Path = PHRASING_FILE) -> Phrasing:
    """Read the phrasing data file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Phrasing(
            openings=tuple(sorted(data["openings"], key=len, reverse=True)),
            closings=tuple(sorted(data["closings"], key=len, reverse=True)),
            particles=tuple(data["particles"]), question_tails=tuple(data["question_tails"]),
            tail_typos={str(k): str(v) for k, v in data["tail_typos"].items()},
            requests=tuple(data["requests"]), request_frame=str(data["request_frame"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: the phrasing data is missing or invalid: {exc}") from exc


@dataclass(frozen=True)
class Utterance:
    """A message as the engine reads it."""

    text: str
    """Everything the person said, normalised, without greetings, thanks and emoji."""
    asked: str
    """The sentence that asks (the first that does; the whole text when none stands out)."""
    also: str = ""
    """A second question in the same message (哪些证明可以免交？清单公开了吗？), if any."""


def read(message: str, phrasing: Phrasing,
         is_word: Callable[[str], bool] = lambda word: False,
         correct: Callable[[str], str] = lambda text: text) -> Utterance:
    """Peel the wrapping off ``message``; ``is_word`` tells real words from tail typos and
    ``correct`` mends typos inside words (see :mod:`engine.spelling`)."""
    text = correct(_without_symbols(normalize_question(message)))
    # 能同时享受嘛 我们家两样都有: a question particle before a space or comma ends the question.
    text = _PARTICLE_BREAK.sub("？", text)
    sentences = [s for s in (_trim(m.group(0), phrasing) for m in _SENTENCE.finditer(text)) if s]
    sentences = [_which(_fix_tail(s, phrasing, is_word)) for s in sentences]
    if not sentences:
        return Utterance(text=text.strip(), asked=text.strip())
    # A question mark says plainly which sentence asks; without one, the first that reads as a
    # question (没啥风险 is no question, so a marked one is preferred).
    marked = [s for s in sentences if s.rstrip().endswith(("？", "?"))]
    asking = marked or [s for s in sentences if _ASKS.search(s)]
    # 都有哪些？麻烦列一下？ the bare request asks nothing the first question does not.
    asking = [s for s in asking if not _requests(s, phrasing)] or asking
    # English sentences split at a full stop keep the space between them.
    whole = "".join(f" {s}" if i and sentences[i - 1].endswith(".") and s[:1].isascii()
                    and s[:1].isalpha() else s for i, s in enumerate(sentences))
    return Utterance(text=whole, asked=asking[0] if asking else whole,
                     also=asking[1] if len(asking) > 1 else "")


_THAT = re.compile(r"那(?=几|些|里|儿)")
_ASKS_ALREADY = re.compile(r"[哪谁啥咋吗呢吧么嘛几]|什么|怎么|怎样|如何|多少|多久|多长|多大|多远|何时|是否"
                           r"|([\u4e00-\u9fff])不\1")


def _which(sentence: str) -> str:
    """那几个 / 那些 / 那里 typed for 哪几个 / 哪些 / 哪里 (the same pinyin): in a sentence ending
    in a question mark that asks nothing else (秘书处设在那几家单位？), it is the question word."""
    if not sentence.rstrip().endswith(("？", "?")) or not _THAT.search(sentence) \
            or _ASKS_ALREADY.search(re.sub(r"那几|那(?=[些里儿])", "", sentence)):
        return sentence
    return _THAT.sub("哪", sentence)


def _requests(sentence: str, phrasing: Phrasing) -> bool:
    """True when the sentence only asks the assistant to do something (麻烦列一下？, 可以具体
    说说吗): a request word, and besides it nothing but the characters that frame a request."""
    found = next((w for w in phrasing.requests if w in sentence), None)
    if found is None:
        return False
    rest = re.sub(r"[\s？?。！!，,～~]", "", sentence.replace(found, ""))
    return all(ch in phrasing.request_frame for ch in rest)


def _without_symbols(text: str) -> str:
    """Drops emoji and other pictographs (and their joiners); keeps letters and punctuation."""
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("So", "Sk", "Cs", "Co") or ch in "\u200d\ufe0f\ufe0e":
            kept.append(" ")
        else:
            kept.append(ch)
    return re.sub(r" {2,}", " ", "".join(kept))


def _trim(sentence: str, phrasing: Phrasing) -> str:
    """A sentence without the greeting before it and the thanks after it ('' if that was all)."""
    s = sentence.strip()
    changed = True
    while changed and s:
        changed = False
        body = s.rstrip(_PUNCT_END)
        for word in phrasing.closings:
            if body.lower().endswith(word) and len(body) > 0:
                s, changed = body[: len(body) - len(word)].rstrip(_PUNCT_END), True
                break
        for word in phrasing.openings:
            if s.lower().startswith(word):
                s, changed = s[len(word):].lstrip(_PUNCT_END), True
                break
    return s.strip()


def _fix_tail(sentence: str, phrasing: Phrasing, is_word: Callable[[str], bool]) -> str:
    """吗 typed as 马/码 at a question's end (not when it ends a real word such as 号码)."""
    body = sentence.rstrip(_PUNCT_END)
    ending = sentence[len(body):]
    while body and body[-1] in phrasing.particles and len(body) > 1 \
            and body[-2] in "".join(phrasing.question_tails):
        body = body[:-1]  # 吗啊 → 吗
    if body and body[-1] in phrasing.tail_typos and not is_word(body[-2:]):
        body = body[:-1] + phrasing.tail_typos[body[-1]]
    return body + ending
