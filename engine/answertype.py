"""The kind of fact a question asks for, and whether a hit holds it: a quantity in the measure
asked (元 for 多少钱), a date for 什么时候, the items of what 哪几个方面 / 哪几类 asks for, a
place, office, line or site for 去哪儿办, some money or relief for 发不发津贴. A close hit of the
same notice that holds it answers before a closer one that does not."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from corpus.document import Clause
from engine.question import Cues, Question
from index.search import Hit

TYPE_MARGIN = 0.75
"""A clause that holds the kind of fact asked for answers instead of a closer one that does not
when its score is at least this share of the best."""
# Digits or a number in characters (五年, 十五日, 一百元), but not a lone 一 (一个窗口 is "a").
_NUMERAL = r"(?:\d+(?:\.\d+)?|[二两三四五六七八九十百千][一二两三四五六七八九十百千]*|一[十百千]" \
    r"[一二两三四五六七八九十百千]*)"
# A quantity, not a year: 100项, 3万个, 1～2家, 500平方米, 129项 (but not 2021年).
QUANTITY = re.compile(
    r"(?<![\d一二两三四五六七八九十百千])(?!\d{4}年)" + _NUMERAL + r"(?:[～~\-—至]" + _NUMERAL + r")?"
    r"(?:(?:万|亿)(?:元|人|个|家|名|亩)?|%|个工作日|个月|个|项|家|名|元|平方米|人|天|日|倍|税|类|件|次|年|岁|"
    r"亩|分钟|小时|位|(?<=\d)分(?![之钟点比局公行类期批]))")
# 哪几个方面, 哪些渠道, 哪几类: a question for the items of something; its noun is the measure
# (类, 种) or the first item noun in the phrase after it (方面; 哪几种农产品流通模式: 模式).
_WHICH = re.compile(r"哪(?:几|些)(个|类|种|项|条)?([\u4e00-\u9fff]{0,8})")
_PHRASE_END = re.compile(r"可以|能|要|需|是|有|符合|给予|对|在|由|将|把|被|应|必须|还|都|也|会|的")
"""Where the noun phrase after 哪些 / 哪几种 ends: a verb, modal or particle."""
_MONEY = ("钱", "费", "税", "元", "块")
_CHANNELS = ("phone", "mail", "online", "window")
_CLASSIFIERS = ("个", "项", "类", "种")
_COUNT = r"[\d一二两三四五六七八九十]"
_ITEMS = r"、[^，。；;、]{1,15}"
"""The end of a list of items (…、满意度评价等4个方面), before what names them."""


class AnswerTypes:
    """What a question asks for, read with the question cues; ``linked_row`` gives the appendix
    row that summarises a clause (its deadline counts as the clause's)."""

    def __init__(self, cues: Cues, linked_row: Callable[[Clause, str], Clause | None]) -> None:
        self._cues = cues
        self._linked_row = linked_row
        verbs = "|".join(map(re.escape, sorted(cues.words.get("where_verbs", ()), key=len,
                                               reverse=True)))
        words = "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                         for w in cues.words.get("where", ()))
        # 去哪儿办, 在哪能查询, 哪个地址 (not 区别在哪里, 失去哪些).
        self._where = re.compile(
            rf"(?<![失减除扣])(?:在|去|到)哪(?:里|儿)?(?:能|可以|可|去)?(?:{verbs})"
            + (f"|{words}" if words else ""))
        channels = "|".join(map(re.escape, sorted(
            (w for kind in _CHANNELS for w in cues.words.get(f"channel_{kind}", ())),
            key=len, reverse=True)))
        # 有没有投诉热线能打, 是否设有意见信箱: the channel word ends what is asked for.
        self._channel = re.compile(rf"(?:有没有|有无|是否设有|是否有|有)[^，。？?,]{{0,10}}?"
                                   rf"({channels})(?=可以|能|可|吗|呀|啊|呢|吧|或|和|、|，|,|？|\?|$)")
        bodies = "|".join(map(re.escape, cues.words.get("where_bodies", ())))
        # 到社保经办机构补办, 向乡镇人民政府申请, 由县级民政部门受理: a body one goes to (not
        # one merely named: 办法由…部门制定).
        self._to_body = re.compile(rf"(?:到|向|赴|至)[^，。；]{{0,10}}?(?:{bodies})|由[^，。；]"
                                   rf"{{0,10}}?(?:{bodies})(?:负责)?(?:办理|受理|核发)")
        frames = "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                          for w in sorted(cues.words.get("benefit_frames", ()), key=len,
                                          reverse=True))
        benefits = "|".join(map(re.escape, cues.words.get("benefit", ())))
        # 发不发津贴, 有奖励吗, is there a subsidy: whether money is given (not 津贴能网上申领吗).
        self._money = re.compile(rf"(?:{frames})[^，。？?！!,]{{0,8}}?(?:{benefits})")

    def asks_where(self, q: Question) -> bool:
        """True for a what-question asking where to go, write or call (去哪儿申领)."""
        return q.kind == "what" and bool(self._where.search(q.asking.lower()))

    def asks_money(self, q: Question) -> bool:
        """True for a yes/no question whether some money is given (发不发津贴)."""
        return q.kind == "yesno" and bool(self._money.search(q.asking.lower()))

    def asks_channel(self, q: Question) -> str:
        """The kind of line or channel a yes/no question asks whether there is (有没有投诉热线,
        是否设有信箱: "phone", "mail"), or "" — not for one asked about (平台收费吗), nor a word
        only starting another (平台费, 窗口期, 电话费)."""
        if q.kind != "yesno":
            return ""
        match = self._channel.search(q.asking.lower())
        return next((kind for kind in _CHANNELS if match and match.group(1)
                     in self._cues.words.get(f"channel_{kind}", ())), "")

    def holds(self, q: Question, hit: Hit) -> bool:
        """The hit holds the kind of fact asked for: a quantity (in the asked measure) for
        多少/几, a date for 什么时候; any hit will do for other questions."""
        return self.strength(q, hit) > 0

    def strength(self, q: Question, hit: Hit) -> int:
        """2 when the hit holds the fact asked for in the measure named first (元 for 多少钱),
        or lists the items asked for (哪几个方面), 1 when it holds it in another measure that
        may answer (% for 多少钱) or lists nothing, 0 when it holds no quantity or date asked
        for, no place for a where-question, or grants nothing for a yes/no question about
        money (补贴, 补助)."""
        clause = hit.clause
        if q.kind == "how_many":
            best = _best_sentences(hit)
            units = self.measure_units(q)
            found = [m.group(0) for s in best for m in QUANTITY.finditer(s)]
            if not units:
                # A story told before the question draws the best sentences away from the
                # amount: one elsewhere in the clause may answer.
                story = not q.normalized.startswith(q.asking[:4])
                return 2 if found else 1 if story and QUANTITY.search(clause.text) else 0
            if any(f.endswith(units[0]) for f in found):
                return 2
            # A rule buried late in a long clause (…相关资料应当留存五年) is not among the
            # sentences closest to the question, and still answers it.
            return 1 if any(f.endswith(units) for f in found) or any(
                m.group(0).endswith(units) for m in QUANTITY.finditer(clause.text)) else 0
        if q.kind == "when":
            row = self._linked_row(clause, clause.text)
            return 2 if clause.deadlines or (row and row.deadlines) or clause.links else 0
        if self.asks_money(q):
            # 发不发津贴, 有奖励吗: a clause granting no money or relief says nothing of it.
            return 2 if self._cues.has("benefit_answers", clause.text) else 0
        channel = self.asks_channel(q)
        if channel:
            # 有没有投诉热线: a clause naming a line of that kind (投诉电话, 热线).
            answers = f"channel_{channel}_answers"
            return 2 if any(self._cues.has(answers, s) for s in _best_sentences(hit)) else 1
        if self.asks_where(q):
            # 去哪儿申领, 哪个地址: a place, an office, a line or a site to go to.
            best = _best_sentences(hit)
            return 2 if any(self._cues.has("where_answers", s) or self._to_body.search(s)
                            for s in best) else 0
        narrowed, noun = self._items(q)
        if noun:
            # 等4个方面 / 等三类 / 、…方面: a measure (类) needs 等 or a count before it (分类
            # names no list).
            named = rf"(?:等{_COUNT}*|{_COUNT}+)个?{noun}" if noun in ("类", "种") else \
                rf"(?:等?{_COUNT}*(?:个|项|条|类|种)?){re.escape(noun)}"
            # 哪些资质材料: a list of other materials (、申请材料) is not the one asked for.
            return 2 if re.search(_ITEMS + named, clause.text) \
                and narrowed[:2] in clause.text else 1
        return 2

    def first(self, q: Question, hits: Sequence[Hit]) -> list[Hit]:
        """The closest hit of the same document that holds the kind of fact asked for moves
        first, when it is not far behind (春节放几天: the day count, not the preamble that names
        the holidays; 每月能扣多少钱: 1000元, not 100%; 包括哪几个方面: the clause listing
        them); another document's clause is no answer to what this one leaves open."""
        hits = list(hits)
        if not hits or (q.kind not in ("how_many", "when") and not self.items_of(q)
                        and not self.asks_where(q) and not self.asks_money(q)
                        and not self.asks_channel(q)):
            return hits
        strength = self.strength(q, hits[0])
        if strength == 2:
            return hits
        # A preamble first (a reply letter's salutation, a notice's opening) settles nothing
        # for its document: a close clause of another one holding the fact may answer.
        opening = hits[0].clause.clause_id == "preamble"
        close = [h for h in hits[1:] if h.score >= TYPE_MARGIN * hits[0].score
                 and (opening or h.clause.doc_id == hits[0].clause.doc_id)]
        typed = max(close, key=lambda h: self.strength(q, h), default=None)
        if typed is None or self.strength(q, typed) <= strength:
            return hits
        return [typed, *(h for h in hits if h is not typed)]

    def items_of(self, q: Question) -> str:
        """The noun whose items a what-question asks for (哪几个方面 → 方面, 哪几类 → 类), or
        "" when it asks for none."""
        return self._items(q)[1]

    def _items(self, q: Question) -> tuple[str, str]:
        """What narrows the items asked for and the noun naming them (哪几种农产品流通模式 →
        农产品流通, 模式); ("", "") when a what-question asks for no items."""
        match = _WHICH.search(q.asking) if q.kind == "what" else None
        if not match:
            return "", ""
        measure, after = match.groups()
        # The noun phrase after 哪几种 ends in its head (哪几种农产品流通模式 → 模式), which
        # names the list (订单农业、农超对接等模式); 哪几类 alone is named by the measure. The
        # phrase ends where a verb or particle starts (哪些企业符合条件: 企业, not 条件).
        after = _PHRASE_END.split(after, maxsplit=1)[0]
        ends = [after.find(n) + len(n) for n in self._cues.found("item_nouns", after)
                if len(n) == 2]
        if not ends:
            return "", measure if measure in ("类", "种") else ""
        end = min(ends)
        return after[:end - 2], after[end - 2:end]

    def measure_units(self, q: Question) -> tuple[str, ...]:
        """The units a quantity must carry to answer a 多少/几 question (多少钱 → 元 or %);
        empty when the question names no measure."""
        text = q.asking
        for cue in self._cues.found("how_many", text):
            at = text.find(cue)
            if cue.startswith("几") and at > 0 and text[at - 1] in "好这那十":
                continue  # 做了十几年工, 好几个证: "several", no measure asked
            after = text[at + len(cue):]
            # 上调幅度有多少, 比例为多少: the measure named just before the cue.
            before = text[:at]
            stripped = before.rstrip("是为有约大概一般")
            for name, units in self._cues.words.items():
                measure = name.removeprefix("measure_")
                if measure in _MONEY and cue.endswith(_CLASSIFIERS):
                    continue  # 几个税, 几项费: how many kinds, not how much
                if measure != name and (cue.endswith(measure) or after.startswith(measure)
                                        or after[1:1 + len(measure)] == measure
                                        or before.endswith(measure)
                                        or (len(measure) > 1 and stripped.endswith(measure))):
                    if measure in _CLASSIFIERS and cue.endswith(measure) and after[:1] in _MONEY:
                        return (*units, after[:1])  # 几个税 counts in 税 too (6税合一)
                    return units
        return ()


def _best_sentences(hit: Hit) -> list[str]:
    """The hit's three best sentences (its whole text when none were picked out)."""
    return [hit.clause.sentences[i].text for i in hit.sentences[:3]] or [hit.clause.text]
