"""What a part of a sentence does to an obligation, read from the verdict's signal words (see
:mod:`engine.verdict`): forbids, eases, restricts, keeps watch, requires or enables; keeping
watch over wrongdoing curbs it, and sparing a duty eases it."""

from __future__ import annotations

import re

from corpus.links import bigrams
from engine.framing import without_asides
from engine.reading import Action
from engine.vocabulary import Vocabulary

_PUT_OFF = re.compile(r"暂不(?:实施|执行|开展|安排)([^，,；;。]*)")
_STOPPED = re.compile(r"不再([^，,；;。]{2,})")
# Money or papers asked of people: what 不再 lifts from them.
_BURDENED = re.compile(r"收取|收费|缴纳|押金|提供|提交|要求|出具|开具|审")
# A restriction lifted (不再区分户籍, 不再以等级为限, 不再先垫付后报销) opens the thing up.
_LIFTED = re.compile(r"区分|限制|限定|设定|设置|门槛|障碍|额度|为限|为前提|为条件|先.+后|禁止")
# 不再对外地人…设置: whom it is done to, not what is no longer done.
_FOR_WHOM = re.compile(r"^(?:对|为|向|给)[^，,；;。]*?(?=设|作|进行|实行|要求|收取)")
_PRIORITY: tuple[Action, ...] = ("prohibit", "relax", "restrict", "supervise", "require",
                                 "enable")


def stops(part: str, question: str, signals: Vocabulary) -> bool:
    """True when the part no longer does (不再…) something the question names that is no
    burden (不再从应届毕业生中招聘 for one asking to be hired), not a burden it lifts (不再收取
    押金, 不再要求提供证明)."""
    found = _STOPPED.search(part)
    if found is None:
        return False
    stopped = _FOR_WHOM.sub("", found.group(1))
    return not signals.has("burden", stopped) and not signals.has("require", stopped) \
        and not _BURDENED.search(stopped) and not _LIFTED.search(stopped) \
        and bool(bigrams(stopped) & bigrams(question))


def action_of(part: str, signals: Vocabulary) -> Action | None:
    """What the segment does, the strongest reading first (不得 over 加强 over 推进); keeping
    watch over wrongdoing (规范…转嫁…费用等行为) curbs it; sparing a duty (免督查) relaxes."""
    part = without_asides(part)
    action = next((name for name in _PRIORITY if signals.has(name, part)), None)
    if action in (None, "enable") and _ENJOINED.search(part):
        action = "require"  # 执法机关要推行全程记录: what the notice enjoins is required
    if action != "prohibit" and _exempts(part, signals):
        return "relax"
    if action == "supervise" and signals.has("misconduct", part):
        return "curb"
    put_off = _PUT_OFF.search(part)
    if action == "prohibit" and put_off and signals.has("burden", put_off.group(1)):
        return "relax"  # 暂不实施限购, 暂不开展处罚: a burden put off eases
    return action


_ENJOINED = re.compile(r"(?:^|[^不需只还也就主重必想])要(?:推行|实行|建立|落实|严格|加强|确保|做到|坚持)")
"""要 enjoining an act in a notice's voice (…要推行…, 各地要建立…), not 不要 / 需要 / 只要 /
主要; not how a thing is done (要按照规定享受, 要依法…)."""
_EXEMPT = re.compile(r"(?<![避以难未不])免")
"""免 making what follows an exemption (免督查, 免检查), not that of 避免 / 以免."""


def _exempts(part: str, signals: Vocabulary) -> bool:
    """True when the part spares someone a duty or a check it names (实行“免督查”)."""
    for match in _EXEMPT.finditer(part):
        after = part[match.end():].lstrip("“\"「")
        if any(after.startswith(word) for name in ("supervise", "burden", "require")
               for word in signals.words.get(name, ()) if len(word) >= 2):
            return True
    return False
