"""A supposed exemption (可以不备案吗, 是不是不用参加年检了, 企业能不报年报吗): no when a part
of the best sentences keeps the act the asker hopes to be spared — requires it (须按规定参加
年度检查), institutes it (实行备案制) or turns something else into it (年检改年报).

The act is what follows the sparing word, up to four characters and the first particle; a part
keeps it when it holds its first two characters (参加 of 参加年检); an act of a one-character
verb with its object (报年报) is not read — trying the two characters after the verb as well
turned a right yes on a test half wrong; a lone one-character act (不用报了) is kept only where
a regime is put in place ending in it (年检改年报). A part that relaxes (取消…, 不再…) keeps
nothing, unless what it brings in is the act itself (实行备案制 eases a licence into the very
filing asked about).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.question import Question, without_frames
from engine.reading import Reading, segments
from engine.vocabulary import Vocabulary

_SPARED = re.compile(r"(?:不用|不必|无需|不需要|用不着|可以不|能不|可不)[再去]?([\u4e00-\u9fff]{1,4})")
"""不用参加, 可以不交: the act the question supposes the asker is spared."""
_PARTICLE = re.compile(r"[吗吧呢嘛了就的也还而]")
_INSTITUTED = re.compile(r"(?:实行|推行|实施|改为|改(?![革造制建扩组进善良正变]))[^，,；;。]{0,8}"
                         r"(?<![零不无免])$")
"""What puts a regime in place before the act it names (实行备案制, 年检改年报) — not 改制,
改建…, nor a regime of doing without it (推行零跑腿, 一次不用跑)."""


def spared_act(question: Question) -> str:
    """The act a question supposes the asker is spared ('' when it supposes none)."""
    found = _SPARED.search(without_frames(question.asking))
    return _PARTICLE.split(found.group(1))[0] if found else ""


def holds(part: str, act: str) -> int:
    """Where ``part`` names the act by its first two characters, -1 where it does not."""
    return part.find(act[:2]) if len(act) >= 2 else -1


def kept(question: Question, sentences: Iterable[str], signals: Vocabulary) -> Reading | None:
    """No to a question supposing the asker spared an act which a part of ``sentences`` keeps."""
    if question.kind != "yesno" or question.polarity not in ("can", "need", "is"):
        return None
    act = spared_act(question)
    if not act:
        return None
    for sentence in sentences:
        for part in segments(sentence):
            if len(act) == 1:
                # 不用报了 against 年检改年报: a one-character act only where a regime is put
                # in place ending in it.
                if any(_INSTITUTED.search(part[:at.start()])
                       for at in re.finditer(re.escape(act), part)):
                    return Reading("no", part, "require")
                continue
            at = holds(part, act)
            if at < 0 or any(holds(word, act) < 0 for word in signals.found("relax", part)):
                continue  # 取消备案 relaxes the act; 实行备案制 (an easing of a licence) keeps it
            if signals.has("require", part) or signals.has("supervise", part) \
                    or _INSTITUTED.search(part[:at]):
                return Reading("no", part, "require")
    return None


def brings_in(asked: str, part: str, signals: Vocabulary) -> bool:
    """True when an easing ``part`` brings in the burdens the question names, wherever it names
    them (实行备案制 for 要备案吗: a licence eased into the very filing asked about, which is now
    required; not 生产许可改为备案 for 许可改为备案了吗, nor 不予处罚 for 要罚款吗)."""
    named = [b for b in signals.found("burden", asked) if b in part]
    return bool(named) and signals.has("relax", part) and all(
        _INSTITUTED.search(part[:found.start()])
        for b in named for found in re.finditer(re.escape(b), part))
