"""Parts of a sentence that frame, report or set aside rather than act, so that a verdict is
not read from them: a report of what someone else asked for (你省请求…), a situation saying
when the rest applies (在…时), an exception in brackets (（…除外）) and an absence describing
whom a rule is for (对不存在欠税情形的企业)."""

from __future__ import annotations

import re

from corpus.links import bigrams

_REPORT = re.compile(r"\s*(?:(?:你|贵)[省市区县州部委局厅办]?|来函"
                     r"|[\u4e00-\u9fff]{1,6}(?:省|市|县|委员|代表))(?:请求|建议|反映|希望|提议)")
"""A sentence opening with a second or third party and what they asked (你省请求…, 来函建议…,
大连市请求在…)."""
_SITUATION = re.compile(r"(?:([^，。；]{0,10}?)(?<![存所现正实])在(?!线)[^，。；]*"
                        r"|(?:非|未|不在)[^，。；在]{2,14}?)"
                        r"(?:(?<![小及按实适随临届准定同])时|期间|过程中)")
"""A part saying only when the rest of the sentence applies (在…时, 执法人员在…期间, or a part
opening with 非 / 未 / 不在 and ending in 时 or 期间: 非执行任务时; not 在线, 24小时, 及时)."""
_EXCEPTION = re.compile(r"[（(](?:(?:[^（()）]|[（(][^（()）]*[）)])*除外|(?:不含|不包括|不包含)[^（()）]*)[）)]")
"""An exception set in brackets (（法律法规不允许的除外）, （不含疫苗）), which may hold brackets
itself."""
_EXCEPTION_WORDS = re.compile(r"[（()）]|除外|不含|不包括|不包含")
_WHEN = re.compile(r"([^，。；、]{2,14}?)(?<![及同临小适按随届准定实平暂当此有那即超限计一每])"
                   r"(?:时|的时候|期间)(?![间期代候效限段长点刻机速])")
"""A condition on when a part applies (接送学生时): the stretch before 时."""
_OPENS_NEGATED = re.compile(r"(?:在|当)?(?:非|未|不在|没有)")
_DENIED = re.compile(r"(?:不|没有|没|未)(?![能得用是会要需必可管少同断仅过论])([\u4e00-\u9fff]{1,6})")
"""What a question says is not the case (周末不接送学生: 接送学生); not 不能, 不用, 不少…."""
_RELATIVE_ABSENCE = re.compile(r"不存在[^，。；]{0,12}的")
"""不存在 describing whom a rule is for (对不存在欠税情形的企业), not denying anything."""


def reports(sentence: str) -> bool:
    """True when the sentence reports what a second or third party asked for: their words,
    not what the notice does."""
    return _REPORT.match(sentence) is not None


def situation_subject(part: str) -> str | None:
    """What comes before the 在 of a part that only says when the rest applies (检查人员 of
    检查人员在进行现场检查时; '' for 在办理登记期间), or None when the part is no such frame."""
    match = _SITUATION.fullmatch(part)
    return (match.group(1) or "") if match else None


def without_asides(part: str) -> str:
    """The part without a bracketed exception and without an absence describing whom it is for:
    what they say is not what the part does."""
    return _RELATIVE_ABSENCE.sub("", _EXCEPTION.sub("", part))


def excepted(part: str, wanted: frozenset[str], least: int) -> bool:
    """True when the question (its words as character pairs, ``wanted``) is about the case a
    bracketed exception of the part leaves out: it shares at least ``least`` pairs with the
    exception that the rest of the part does not have."""
    exception = _EXCEPTION.search(part)
    if exception is None:
        return False
    said = _EXCEPTION_WORDS.sub("", exception.group(0))
    own = bigrams(said) - bigrams(part.replace(exception.group(0), ""))
    # （不含疫苗）: an exception of one word needs only that word.
    return bool(own) and len(wanted & own) >= min(least, len(own))


def unmet_situation(asking: str, part: str, before: str = "") -> bool:
    """True when the part applies only when something is so (接送学生时可以…, or a part
    before it saying only that: 接送学生时，可以…) and the question says it is not (周末不接送
    学生也能…吗): the question denies the condition's last word (学生). A condition opening
    with a negation (非接送学生时) is left alone, and so is an A不A question (算不算).

    :func:`engine.condition.out_of_situation` reads the same for a whole sentence, through
    :func:`engine.condition.applies`; this one reads a part, so that the sentence's other parts
    (…；平时不得…) still answer."""
    denied = [m.group(1) for m in _DENIED.finditer(asking)
              if not (m.start() > 0 and asking[m.start() - 1] == asking[m.start() + 1: m.start() + 2])]
    if not denied:  # most questions deny nothing: no condition to read
        return False
    for stretch in _conditions(part, before):
        if _OPENS_NEGATED.match(stretch) or len(stretch) < 2:
            continue
        head = stretch[-2:]
        if any(head in bigrams(what) for what in denied):
            return True
    return False


def excluded_situation(asking: str, part: str, before: str = "") -> bool:
    """True when the part applies only when something is not so (非执行巡逻任务时，巡逻车不得…)
    and the question says it is (执行巡逻任务时能…吗): the question holds the condition's first
    and last words (执行, 任务) and denies nothing holding the last. The counterpart of
    :func:`unmet_situation`."""
    denied = [m.group(1) for m in _DENIED.finditer(asking)]
    for stretch in _conditions(part, before):
        negation = _OPENS_NEGATED.match(stretch)
        if not negation or len(stretch) - negation.end() < 2:
            continue
        # The question names what is negated from its first word (执行…任务, not 机动车 of
        # 非机动车行驶时 for 电瓶车行驶时) to its last.
        first, head = stretch[negation.end(): negation.end() + 2], stretch[-2:]
        if first in asking and head in asking \
                and not any(head in bigrams(what) for what in denied):
            return True
    return False


def _conditions(part: str, before: str) -> list[str]:
    """What the part applies when (…时 within it), and what the part before it says only
    that of (接送学生时，)."""
    whole = _WHEN.fullmatch(before)
    return [m.group(1) for m in _WHEN.finditer(part)] + ([whole.group(1)] if whole else [])
