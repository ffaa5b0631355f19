"""Yes/no verdicts read from what the quoted sentence does, against what the question asks and
how it leans (see :class:`engine.question.Question`).

The sentence relaxes (取消, 不再, 改为备案), prohibits (不得), restricts to one way (只能),
supervises (监管, 查处), requires (必须, 坚持) or commits to something (推进, 建立, 支持); the question asks whether a
burden remains (need), whether something is allowed (can), whether the government will do it
(will), whether it is so (is) or whether there is such a thing (has), and may fear something bad
(adverse), suppose a burden, or hope for an easing. A verdict is given only when the sentence
speaks about what was asked; a relaxation tried out somewhere (试点) settles nothing firmly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from corpus.links import bigrams
from engine.action import action_of, stops
from engine.agent import given_to_others
from engine.amount import claimed_amount
from engine.category import set_for_others
from engine.change import unchanged
from engine.choice import chosen_option, offers_choice
from engine.compulsion import left_to_them
from engine.figure import stated_figure
from engine.focus import asks_of, done_away, extends, pointed
from engine.framing import (
    excepted,
    excluded_situation,
    reports,
    situation_subject,
    unmet_situation,
)
from engine.membership import listed_place
from engine.penalty import punished
from engine.pilot import confined_trial, left_out, outside_for_sure, outside_pilot, sweeps_past
from engine.question import CHOICE, NoWords, Question, Words, first_option
from engine.reach import conditioned, cut, for_asker, left_to_each_place, not_for_asker
from engine.reading import MIN_OVERLAP, SEGMENT, Action, Reading, Verdict, segments
from engine.revision import revised_figure
from engine.schedule import scheduled_day, scheduled_span
from engine.sequence import stated_order
from engine.spared import brings_in, holds, kept, spared_act
from engine.start import stated_start
from engine.term import stated_term
from engine.vocabulary import Vocabulary, load_vocabulary

SIGNALS_FILE = Path(__file__).parent / "data" / "verdict_signals.json"
_SIGNALS = ("relax", "prohibit", "restrict", "require", "enable", "supervise")
_BINDING = ("prohibit", "restrict", "require")
_CONVERTED = 1_000  # ranks a segment that converts the asked-about term above any overlap
_NOT_CONVERSION = ("革", "造", "善", "进", "变", "正", "制", "组", "建", "扩", "良")
# 改革, 改造, 改善, 改进, 改制, 改组, 改建: no X改Y
_NEAR_BEST = 0.8  # a signal counts only in a segment about as close to the question as the closest


Signals = Vocabulary
"""Signal words by what they do to an obligation."""


def load_signals(path: Path = SIGNALS_FILE) -> Signals:
    """Read the verdict signal words."""
    return load_vocabulary(path)


def decide(question: Question, sentences: list[str], expansions: list[str],
           signals: Signals, words: Words | None = None, clause: str = "") -> Reading:
    """Read a verdict for a yes/no question (see :func:`_read`), turned round when the
    question supposes the burden or feared thing is not so (总不会还得重新办证吧 against 不再
    重新核发…: the verdict on the burden is no, the supposition is right: yes). ``clause`` is
    the whole text the sentences come from (a list's lead sentence may not be among them)."""
    if question.kind != "yesno" or question.polarity is None:
        return Reading(None)
    # 你省请求，国家对…给予补助: what someone asked for, not what the notice does.
    sentences = [s for s in sentences if not reports(s)]
    # （二）…为非独生子女的，…不能超过每月1000元 beside （一）…为独生子女的: a limit or duty set
    # for another category than the asker's binds them to nothing (a right set for others
    # still says it is not theirs).
    others = set_for_others(question.normalized, sentences, cut(words))
    sentences = [s for i, s in enumerate(sentences)
                 if i not in others or not any(signals.has(a, s) for a in _BINDING)]
    scheduled = scheduled_day(question, sentences) or scheduled_span(question, sentences)
    if scheduled is not None:  # 10月12日也放假吧 against …10月12日（星期六）上班
        return scheduled
    if offers_choice(question):  # 是按季度领取，还是年底统一结算 against …年底统一结算
        return chosen_option(question, sentences) or Reading(None)
    member = listed_place(question, sentences, signals, words or NoWords())
    if member is not None:  # 杭州在名单里吗 against 选择北京、天津、上海…11个城市
        return _turned(question, member, signals)
    ordered = stated_order(question, sentences) or unchanged(question, sentences) \
        or given_to_others(question, sentences) or kept(question, sentences, signals) \
        or stated_term(question, sentences) or stated_start(question, sentences, words) \
        or left_to_them(question, sentences, expansions, signals)
    if ordered is not None:  # 要等检测完才放行吗 against 先放后检; 待遇有变化吗 against 待遇不变;
        # 能不备案就开吗 against 实行备案制
        return _turned(question, ordered, signals)
    wanted = bigrams(_topic(question.normalized, signals) + " " + " ".join(expansions))
    listed = punished(question, sentences, clause or "".join(sentences), signals) or \
        stated_figure(question, sentences) or revised_figure(question, sentences) or \
        claimed_amount(question, sentences)
    reading = Reading(*listed) if listed else _read(question, sentences, wanted, signals, words,
                                                    clause or "".join(sentences))
    if reading.verdict is None and not reading.trial and sentences \
            and len(wanted & bigrams(sentences[0])) >= MIN_OVERLAP:
        # The best sentence is about the question, but no part of it settled it; a rule for
        # the asker's own age or amount needs less of the question to reach them.
        reading = (len(wanted & bigrams(sentences[0])) > MIN_OVERLAP
                   and not_for_asker(question, sentences, words)) or \
            for_asker(question, sentences, wanted, signals, words) or reading
    return _turned(question, reading, signals)


def _turned(question: Question, reading: Reading, signals: Signals) -> Reading:
    """The reading turned round when the question supposes its burden is not so."""
    if reading.verdict is None or not _claims_not(question, signals):
        return reading
    return replace(reading, verdict="no" if reading.verdict == "yes" else "yes", turned=True)


_NO_LONGER_ALLOWED = re.compile(r"(?:不会|不可能)[还再也](?:能|可以|允许|准)")


def _claims_not(question: Question, signals: Signals) -> bool:
    """True when the question asks to confirm that a burden or a feared thing is not so: a
    negation (不会, 总不能) in the clause that asks, which ends in 吧. A hoped-for easing
    (总不能…吧 read as 能) is already answered as the asker means it; one supposing something
    may no longer be done (不会再允许那样做吧) is not."""
    if question.stance not in ("adverse", "burden") and question.polarity != "need" \
            and not (question.polarity == "can" and _NO_LONGER_ALLOWED.search(question.asking)):
        return False
    asked = question.asking.rstrip("？?。！! ")
    return asked.endswith("吧") and signals.has("negated_claim", _last_part(asked))


def _last_part(text: str) -> str:
    """The last non-empty comma- or semicolon-separated part of ``text`` ('' if none)."""
    return next((c for c in reversed(SEGMENT.split(text)) if c.strip()), "")


def _read(question: Question, sentences: list[str], wanted: frozenset[str],
          signals: Signals, words: Words | None = None, clause: str = "") -> Reading:
    """Read a verdict for a yes/no question from the best-matching segment that carries a signal.

    Among segments about as close to the question, one whose action settles what the question
    leans towards is preferred (多证合一 over 衔接办证事项 for 是不是还得一个个办). A plan commits
    to what it says: for 会不会… a close segment answers even without a signal word.
    """
    local = left_to_each_place(question, sentences, wanted, signals)
    if local is not None:
        return local
    candidates: list[tuple[int, int, int, str, int, Action | None]] = []
    closest = 0
    # In the best-ranked sentence, a part opening with its verb (可减免部分课时) after parts that
    # do nothing (对持证的学员，在报名培训时) is as close as the topic they state.
    reach: dict[tuple[int, str], int] = {}
    for order, sentence in enumerate(sentences):
        previous = framing = last = ""
        acted = False
        for part in segments(sentence):
            if unmet_situation(question.asking, part, last) \
                    or excluded_situation(question.asking, part, last):
                # 接送学生时可以… for 周末不接送学生也能…吗, 非执行任务时，不得… for 执行任务时
                # 能…吗: the part does not reach the asker.
                previous += part
                last = part
                continue
            last = part
            overlap = len(wanted & bigrams(part))
            # 对小型项目，推行告知承诺制 / 个人接受继续教育，符合条件的，可以选择由其父母扣除:
            # a segment that opens with its verb has no subject of its own; the sentence's topic,
            # stated before it, counts when judging whether it is on topic. A topic set apart
            # (对同一项补贴，…只能选择…) frames every part after it.
            topical = len(wanted & bigrams(previous + part)) \
                if _opens_with_signal(part, signals) else \
                len(wanted & bigrams(framing + part)) if framing else overlap
            previous += part
            if (part.startswith(_TOPIC_MARKERS) or part.endswith("的")) \
                    and action_of(part, signals) is None:
                # 对小型项目 / 户籍在外省、年满六十周岁的: whom or what the rest is for.
                framing += part
            closest = max(closest, overlap)
            if _situation(part, signals):
                # 在进行监督检查…等执法活动时: when the rest applies, which does nothing itself.
                framing += part
                continue
            action: Action | None
            if _converts(part, wanted):
                # 年检改年报, 备案改备查: the asked-about burden itself is turned into
                # something else, as plain an answer as the sentence can give.
                candidates.append((_CONVERTED, 1, -order, part, _CONVERTED, "converted"))
                continue
            action = action_of(part, signals)
            if action == "relax" and brings_in(question.asking, part, signals):
                action = "require"  # 实行备案制 for 要备案吗
            if action is None and extends(question, part, signals):
                # 年满3岁至…的子女，按本条第一款规定执行: the rule reaches the group the
                # sentence named first, which is what the part is about.
                action = "extend"
                overlap = topical = len(wanted & bigrams(previous))
            if action is None and question.polarity == "will" and overlap > MIN_OVERLAP:
                action = "enable"  # what a plan says it does is a commitment
            if action is not None and overlap >= MIN_OVERLAP \
                    and pointed(question, part, action, signals, cut(words)):
                # 能和它一起领吗 against 不得与…同时申领, 还收取押金吗 against 不再收取押金:
                # the part answers the very point asked, however much story
                # the question told before it.
                candidates.append((_CONVERTED, 1, -order, part, _CONVERTED, action))
            elif action is not None:
                candidates.append((overlap, int(_settles(question, action, signals)), -order, part,
                                   topical, action))
                reach[-order, part] = topical if order == 0 and not acted and overlap \
                    and _opens_with_signal(part, signals) else overlap
            acted = acted or action is not None
    if not candidates:
        return not_for_asker(question, sentences, words) or \
            for_asker(question, sentences, wanted, signals, words) or \
            _confirmed(question, sentences, wanted, signals, words)
    best = max(reach.get((c[2], c[3]), c[0]) for c in candidates)
    # as close, give or take a word
    near = [c for c in candidates if reach.get((c[2], c[3]), c[0]) >= best - 1]
    # Tied parts (不得在当年…，但是可以在以后年度…): the one sharing more with the clause
    # that asks (以后的年份能不能…) answers it.
    asked = bigrams(_topic(_last_part(question.asking), signals))
    _, _, negative_order, part, topical, action = max(
        near, key=lambda c: (c[1], c[0], c[2], len(asked & bigrams(c[3]))))
    # The best-ranked sentence may share a single word with the question and still be about it.
    needed = 1 if negative_order == 0 else MIN_OVERLAP
    if not question.english and (topical < needed or topical < _NEAR_BEST * closest):
        # Too little of the question in the part to read its rule; a condition the asker's own
        # figures fail still keeps the rule from them (年满3岁至…的子女，按…执行: 才两岁半),
        # when the clause it stands in is about the question.
        if len(wanted & bigrams(clause)) < MIN_OVERLAP:
            return Reading(None)
        return not_for_asker(question, sentences, words) or Reading(None)
    if outside_pilot(question, part, signals, words or NoWords(), sentences[-negative_order]):
        # A city or province not among the pilot's is not in it; whether a district (or a
        # city in a piloting province) lies inside one is not known: the pilot is quoted.
        if outside_for_sure(question.places, (words or NoWords()).places(part), signals):
            return Reading("no", part, action)
        return Reading(None, part, action, True)
    if action == "relax" and _only_lessened(question, sentences[-negative_order], wanted,
                                            signals):
        return Reading("no", part, action)
    trial = confined_trial(question, part, signals, words or NoWords())
    piloted = (words or NoWords()).places(part)
    if trial and left_out(question, part, piloted, signals):
        return Reading("no", part, action)  # 我在莆田能办吗 against 在厦门开展…试点
    verdict = _verdict(question, part, action, trial, signals)
    if not trial:
        verdict = conditioned(question, sentences[-negative_order], action, verdict, words)
    if verdict is not None and excepted(_stretch(sentences[-negative_order], part), wanted,
                                        MIN_OVERLAP):
        # 涉及跨省河流的取水许可能在市级审批吗 against 下放至市级审批（涉及跨省河流的除外）,
        # 疫苗也能…吗 against 对…进口少量药品（不含疫苗）的申请，由…审批: the asker's case
        # is the one the rule leaves out.
        verdict = "no" if verdict == "yes" else "yes"
    if verdict is None and not trial:
        # 规范开展资质认定，支持具备条件的企业进入市场 and 私营公司能不能进来: the closest part
        # states a duty, which says nothing about what one may do; another part of the same
        # sentence that is on the topic may settle it.
        for other in sorted((c for c in candidates if c[2] == negative_order and c[3] != part
                             and c[4] >= MIN_OVERLAP), key=lambda c: -c[0]):
            if confined_trial(question, other[3], signals, words or NoWords()):
                continue
            settled = _verdict(question, other[3], other[5], False, signals)
            if settled is not None:
                return Reading(settled, other[3], other[5], False)
    return Reading(verdict, part, action, trial)


def _stretch(sentence: str, part: str) -> str:
    """The stretch of ``sentence`` between semicolons that holds ``part`` (what frames it
    and what it does; another ；-clause sets another rule)."""
    return next((piece for piece in re.split(r"[；;]", sentence) if part in piece), part)


def _states(question: Question, signals: Signals) -> bool:
    """True when the question states what a yes confirms: …对吧 / 是真的吗 / …吧, the first
    choice of A还是B, or what the government will do (元旦会和周末连休吗)."""
    asked = question.asking.rstrip("？?。！! ")
    return signals.has("confirm", asked) or asked.endswith("吧") or question.polarity == "will" \
        or bool(CHOICE.search(question.normalized))


def _confirmed(question: Question, sentences: list[str], wanted: frozenset[str],
               signals: Signals, words: Words | None = None) -> Reading:
    """For a question stating something to confirm (清明能和周末连在一起放对吧), the best
    sentence confirms it when, read whole, it says much the same (no part carries a signal:
    nothing is relaxed, forbidden or limited there) and any sweeping word of the question."""
    if not sentences or question.stance == "adverse" or not _states(question, signals):
        return Reading(None)
    sentence = sentences[0]
    if len(wanted & bigrams(sentence)) <= MIN_OVERLAP:
        return Reading(None)
    # 补贴标准是全省统一的对吧 against 根据各地实际确定补贴标准: a sweeping claim needs saying.
    if any(word not in sentence for word in signals.found("absolute", question.asking)):
        return Reading(None)
    # 自付八千块，能报销对吧 against 累计超过一万元的部分…报销: a condition the asker misses.
    verdict = conditioned(question, sentence, "enable", "yes", words)
    return Reading(verdict, sentence.rstrip("。；;"), "enable")


def _denied(question: Question, signals: Signals) -> bool:
    """True when what the question supposes (after 是不是, or before …是真的吗 / 对吧) says
    something is not allowed or not for the asker."""
    text = question.asking.rstrip("？?。！! ")
    tails = [w for w in signals.words.get("confirm", ()) if text.endswith(w)]
    if tails:
        before = text[: -max(len(w) for w in tails)]
        claim = _last_part(before)
    else:
        starts = [text.find(w) + len(w) for w in ("是不是", "是否") if w in text]
        claim = text[min(starts):] if starts else ""
    return signals.has("denial", claim)


def _topic(text: str, signals: Signals) -> str:
    """The question without the words that frame it as a yes/no question (可以…吗, 是不是):
    a part of a sentence matches what is asked about, not how it is asked."""
    for word in sorted(signals.words.get("frame", ()), key=len, reverse=True):
        text = text.replace(word, " ")
    return text


def _settles(question: Question, action: Action, signals: Signals) -> bool:
    """True when the action is what the question's leaning asks about (a burden lifted or
    forbidden, an easing made, a fear countered, a limit on the more that is asked for)."""
    if action == "restrict" and signals.has("more", question.asking):
        return True
    if question.stance == "adverse":
        return action in ("supervise", "curb", "prohibit", "require", "relax")
    if question.polarity == "need" or question.stance == "burden":
        return action in ("relax", "converted", "prohibit") \
            or (action == "curb" and signals.has("misconduct", question.asking))
    if question.polarity == "can" and action in ("prohibit", "curb"):
        return True  # 能…吗 against 不能变更: what may not be done is as plain an answer
    if question.polarity == "will" and action in ("supervise", "curb"):
        return True  # 以后管不管 against 依法查处…等违法行为: keeping watch is what is asked
    return action in ("relax", "enable", "extend")


def _only_lessened(question: Question, sentence: str, wanted: frozenset[str],
                   signals: Signals) -> bool:
    """True when the question asks whether a requirement was done away with (审批是不是已经
    取消了) and the sentence only lessens it (简化…审批程序): a question asking about a
    lessening itself is not, nor is a sentence with a part on the topic easing it otherwise
    (实现无纸化退税), while one doing away with something else (取消部分证明材料) still lessens."""
    if question.polarity != "is" or question.stance == "adverse" \
            or not signals.has("abolish", question.asking) or signals.has("lessen", question.asking):
        return False
    lessening = set(signals.words.get("lessen", ()))
    parts = [p for p in segments(sentence) if signals.has("relax", p)]
    if not any(signals.has("lessen", p) for p in parts):
        return False
    # The topic without the asked easing itself (取消 is in the question and in any 取消…).
    topic = wanted - {b for word in signals.found("abolish", question.asking)
                      for b in bigrams(word)}
    return not any(topic & bigrams(p) for p in parts
                   if set(signals.found("relax", p)) - lessening)


_TOPIC_MARKERS = ("对于", "对", "凡是", "凡")
_SUBJECTLESS = ("也", "并", "且", "均", "都", "还", "再", "另", "同时")


def _situation(part: str, signals: Signals) -> bool:
    """True when the part only says when the rest applies (see :func:`situation_subject`) and
    nothing is forbidden, required or eased before its 在 (严禁…在检查过程中 acts). A subject
    naming watchers (检查人员) acts on nothing."""
    subject = situation_subject(part)
    return subject is not None \
        and action_of(subject, signals) not in ("prohibit", "require", "relax", "restrict")


def _opens_with_signal(part: str, signals: Signals) -> bool:
    """True when the segment starts with a signal word (or 也/并/均… before one), i.e. has no
    subject of its own."""
    part = part.lstrip("".join(_SUBJECTLESS))
    return any(part.startswith(word) for name in _SIGNALS for word in signals.words.get(name, ()))


def _converts(part: str, wanted: frozenset[str]) -> bool:
    """True when the segment turns a two-character term of the question into another (X改Y)."""
    return any(ch == "改" and i >= 2 and part[i + 1: i + 2] not in _NOT_CONVERSION
               and part[i - 2: i] in wanted for i, ch in enumerate(part))


_WIDENED = re.compile(r"由[^，；。]{2,30}?(?:扩展|扩大|拓展|延伸|放宽|扩)(?:至|到)")
"""A part widening whom or what a rule reaches (由高校毕业生扩展至失业青年)."""
_ONLY = re.compile(r"只有|(?<!不)仅|(?<!not )\bonly\b", re.IGNORECASE)  # not 不仅, not only


def _asks_only(question: Question, signals: Signals) -> bool:
    """The question supposes a rule reaches only some (只能, 只有, 仅限…吗, only…?)."""
    return signals.has("restrict", question.asking) or bool(_ONLY.search(question.asking))


def _verdict(question: Question, part: str, action: Action | None, trial: bool,
             signals: Signals) -> Verdict | None:
    """The answer to the question as asked, from what the segment does."""
    if action is None:
        return None
    polarity, stance = question.polarity, question.stance
    if polarity in ("is", "has", "can") and _WIDENED.search(part) and _asks_only(question, signals):
        return "no"  # 是否仅限毕业生领取 against 由毕业生扩展至失业青年: others are reached too
    if action == "extend":
        # The rule reaches the group: a supposed precondition it leaves out (得先读完初中才能…)
        # is not so; one hoping to be reached by it is. Of a choice (现在能…，还是要等…才行)
        # only the first option is what a yes or no answers.
        if stance == "burden" or signals.has("precondition", first_option(question.asking)):
            return "no"
        action = "enable"
    if polarity == "is" and action == "restrict" and signals.has("restrict", question.asking):
        # 是不是只能在一地领 against 只能选择在一地申领: the restriction is what is supposed,
        # whatever else the story says (都再北京 typed for 都在).
        return "yes"
    if polarity in ("can", "is", "has") and stance != "adverse" and action == "restrict" \
            and signals.has("more", question.asking):
        # 只能享受一次 and 第二套也能扣吧, 能同时享受吗: more than the one allowed is not.
        return "no"
    if stance != "adverse" and sweeps_past(question.asking, part, action == "relax", trial,
                                           signals):
        # 是不是一律要检测 against 取消…检测许可; 一律设置 against 探索设置; 是不是全省都推行
        # 了 against 在自贸试验区开展…试点 (not against 在全省开展…试点); 所有园区都…了吗
        # against a pilot somewhere.
        return "no"
    if polarity == "is" and stance != "adverse" and _denied(question, signals):
        # 听说二手设备不能享受补贴，是真的吗 against 允许二手设备…享受补贴: the supposed
        # exclusion is not so; against 不得… it is.
        if action in ("enable", "relax"):
            return None if trial else "no"
        if action == "prohibit":
            return "yes"
    if polarity == "will" and action in ("relax", "prohibit") \
            and signals.has("persist", question.asking):
        return None if trial else "no"  # 排号限制还会不会有 against 取消…排号限制
    if polarity in ("is", "has") and action == "relax" and done_away(question, part, signals):
        return None if trial else "no"  # 这项证明还保留吗 against 取消…证明 (not 简化…)
    if action == "relax" and stance != "adverse" and asks_of(question, part, "still", signals):
        return None if trial else "no"  # 还收取押金吗 against 不再收取押金
    if action == "curb":
        # 能把检测费让申请人出吗 / 乱收的费还得交吗 against 规范…转嫁给申请人等行为: curbed
        # conduct is not allowed, nor a burden the question calls wrongdoing; a lawful fee
        # (物业费还要交吗) or a commitment reads it as supervision.
        if polarity == "can" or ((polarity == "need" or stance == "burden")
                                 and signals.has("misconduct", question.asking)):
            return "no"
        action = "supervise"
    if stance == "adverse":
        # 是不是没人管了 / 会不会乱收费 / 能不讲公益吗: a notice that relaxes, forbids,
        # supervises, requires or commits on the point says the feared thing is not so.
        return None if trial else "no"
    if polarity == "need" or stance == "burden":
        if action == "relax" and _licence_for_filing(question.asking, part, signals):
            return None  # 要备案吗 against 取消…许可: a licence goes, not the filing asked about
        if action in ("relax", "converted"):
            return None if trial else "no"  # 年检改年报, 取消许可: the burden goes
        if action == "prohibit":
            return "no"  # 不得要求…: the burden may not be imposed
        if polarity == "need" and not _names_the_burden(question.asking, part, signals):
            # 开诊所需要许可吗 against 开展诊所备案试点: another burden than the one asked about.
            return None
        if action in ("require", "supervise", "restrict"):
            return "yes"
        # 村里的接生员要不要登记 against 开展乡村接生员登记: the burden asked about is brought in.
        named = signals.found("burden", question.asking)
        return "yes" if polarity == "need" and named and not trial else None
    if action == "prohibit":
        return "no"
    if trial:
        return None  # a pilot somewhere is no firm yes
    spared = spared_act(question)
    if len(spared) >= 2 and action in ("require", "supervise") and holds(part, spared) >= 0:
        return "no"  # 是不是不用参加年检了 against 须按规定参加年度检查: the duty stays
    if polarity == "can" and action in ("require", "supervise"):
        return None  # a duty says nothing about what one may do
    if polarity == "can" and action == "relax" and not spared \
            and stops(part, _last_part(question.asking), signals):
        return "no"  # 还能…吗 against 不再从…中招聘: what is asked for is no longer done
    return "yes"


def _licence_for_filing(asked: str, part: str, signals: Signals) -> bool:
    """True when the question names only burdens other than a licence (备案) and the part only
    licences (许可, 审批): easing a licence says nothing of a filing."""
    licences = set(signals.words.get("permission", ()))
    named, eased = set(signals.found("burden", asked)), set(signals.found("burden", part))
    return bool(named) and not named & licences and bool(eased) and eased <= licences


def _names_the_burden(asked: str, part: str, signals: Signals) -> bool:
    """True unless the question names burdens (许可, 备案…) and the segment names none of them."""
    burdens = set(signals.found("burden", asked))
    if burdens & set(signals.words.get("permission", ())):
        burdens |= set(signals.words["permission"])  # 审批 and 许可 name the same burden
    return not burdens or any(word in part for word in burdens)
