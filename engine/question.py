"""Understanding a question: what kind of answer it wants, which units and deadlines it names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from corpus.units import UnitAliases
from engine.deadlines import KnownDeadlines
from engine.phrasing import Phrasing, read
from engine.unitname import find_units
from engine.vocabulary import Vocabulary, load_vocabulary
from index.search import Query

CUES_FILE = Path(__file__).parent / "data" / "question_cues.json"

QuestionKind = Literal["yesno", "who", "when", "how_many", "list_unit", "list_deadline", "what"]
Polarity = Literal["need", "can", "will", "is", "has"]
"""What a yes/no question asks: is a burden still required (need), is it allowed (can), does the
government do it (will), is it so (is), is there such a thing (has)."""
Stance = Literal["adverse", "burden", "relief"]
"""How a yes/no question leans: it fears something bad (是不是没人管了), supposes a burden
(是不是还得一个个办), or hopes for an easing (是不是不用跑了)."""
POLARITIES: tuple[Polarity, ...] = ("need", "can", "will", "is", "has")
_YEAR = re.compile(r"(20\d{2})\s*年?")
_TRAILING = re.compile(r"[\s？?。！!，,、.]+$")
_LATIN = re.compile(r"[A-Za-z]")
_ENGLISH_BREAK = re.compile(r"[,;:]\s")


Cues = Vocabulary
"""Cue words per answer kind."""


class Words(Protocol):
    """What the engine asks of the tokenizer's dictionary."""

    def is_word(self, text: str) -> bool:
        """True when ``text`` is a known word."""
        ...

    def places(self, text: str) -> frozenset[str]:
        """Place names in ``text``."""
        ...

    def correct(self, text: str) -> str:
        """``text`` with typos mended."""
        ...

    def cut(self, text: str) -> list[str]:
        """Plain segmentation into words (every character kept)."""
        ...


class NoWords:
    """A dictionary that knows nothing (for tests and callers without an index)."""

    def is_word(self, text: str) -> bool:
        """Never a word."""
        return False

    def places(self, text: str) -> frozenset[str]:
        """No places."""
        return frozenset()

    def correct(self, text: str) -> str:
        """As written."""
        return text

    def cut(self, text: str) -> list[str]:
        """No word known: the text is one piece."""
        return [text]


def load_cues(path: Path = CUES_FILE) -> Cues:
    """Read the question cue words."""
    return load_vocabulary(path)


@dataclass(frozen=True)
class Question:
    """A question as the engine understands it."""

    text: str
    normalized: str
    """Everything the person said, normalised, without greetings, thanks and emoji."""
    kind: QuestionKind
    polarity: Polarity | None = None
    units: tuple[str, ...] = ()
    deadline: str | None = None
    years: tuple[int, ...] = ()
    english: bool = False
    asked: str = ""
    """The sentence that asks; the kind, polarity and stance are read from it."""
    stance: Stance | None = None
    places: frozenset[str] = frozenset()
    """Place names the question mentions (福州, 泉州)."""
    also: str = ""
    """A second question asked in the same message, as written."""
    query: Query | None = None
    """The question as retrieval reads it (normalised, tokenised, expanded), worked out once."""

    @property
    def search(self) -> Query | str:
        """What to hand the retriever: the query when it was worked out, else the text."""
        return self.query or self.normalized

    @property
    def asking(self) -> str:
        """The asking sentence (the whole question when it was not told apart)."""
        return self.asked or self.normalized


def understand(text: str, cues: Cues, aliases: UnitAliases, known_units: Iterable[str],
               known_deadlines: KnownDeadlines | Iterable[str], phrasing: Phrasing | None = None,
               words: Words | None = None) -> Question:
    """Classify a question and pick out the units, deadlines, years and places it names."""
    words = words or NoWords()
    utterance = read(text, phrasing or Phrasing(), words.is_word, words.correct)
    normalized, asked = utterance.text, utterance.asked
    lowered = asked.lower()
    english = len(_LATIN.findall(normalized)) > len(normalized) / 2
    units = find_units(normalized, aliases, known_units)
    if not isinstance(known_deadlines, KnownDeadlines):
        known_deadlines = KnownDeadlines(known_deadlines)
    deadline = known_deadlines.find(normalized)
    years = tuple(int(y) for y in _YEAR.findall(normalized))
    stripped = _TRAILING.sub("", asked)
    asks_list = bool(cues.found("list", lowered))
    who = _first(lowered, [w for w in cues.found("who", lowered)
                           if not any(lowered.find(x) == lowered.find(w)
                                      for x in cues.found("who_not", lowered))])
    if who is None and (named := (_ENGLISH_WHO if english else _WHICH_BODY).search(lowered)):
        who = named.start()  # 哪三个部门, which provincial department…: a body asked for
    if who is not None and _embedded(lowered, stripped, who, cues):
        who = None
    # 是不是还得报给几个部门: a yes/no frame before the 几 makes the 几 mean "several"; in
    # 收多少有没有个规定 the frame governs the whole clause the 多少 sits in.
    frame = _first(lowered, [*cues.found("yesno", lowered),
                             *(m.group(0) for m in A_NOT_A.finditer(lowered))])
    # 我们几个…，还需要…吗 asks in its last clause, though no cue marks where.
    body = len(_TRAILING.sub("", lowered))
    last = max((m.end() for m in _CLAUSE_BREAK.finditer(lowered, 0, body)), default=0) \
        if _asks_yes_no(stripped, cues) else None
    when, how_many = _first(lowered, cues.found("when", lowered)), \
        _asked_quantity(lowered, cues, frame, last)
    kind: QuestionKind
    if english and _english_yes_no(lowered, cues):
        kind = "yesno"
    elif asks_list and units and who is None:
        kind = "list_unit"
    elif asks_list and (deadline or _deadline_years(normalized)):
        kind = "list_deadline"
    elif frame is not None and all(frame < c or not _CLAUSE_BREAK.search(lowered, c, frame)
                                   for c in (who, when, how_many) if c is not None):
        kind = "yesno"
    elif who is not None:
        kind = "who"
    elif when is not None:
        kind = "when"
    elif how_many is not None:
        kind = "how_many"
    elif (_asks_yes_no(stripped, cues) or frame is not None or _confirms(asked)
          or _offers_choice(lowered, cues)
          or (english and lowered.startswith(tuple(cues.words.get("english_yesno", ()))))):
        kind = "yesno"
    else:
        kind = "what"
    polarity: Polarity | None = None
    stance: Stance | None = None
    if kind == "yesno":
        framed = _framed(lowered, frame if frame is not None else last)
        polarity = _polarity(framed, cues)
        if polarity == "has" and CHOICE.search(lowered):
            polarity = "is"  # 按季度领取，还是年底统一结算: whether the first option is so
        stance = _stance(framed, polarity, cues)
    return Question(text=text, normalized=normalized, kind=kind, polarity=polarity, units=units,
                    deadline=deadline, years=years, english=english, asked=asked, stance=stance,
                    also=utterance.also,
                    places=words.places(normalized))


def _english_yes_no(text: str, cues: Cues) -> bool:
    """An English question led by a clause of its own (If…, When we…, a statement) whose last
    clause opens with an auxiliary and asks no wh-word: "If we import it only for display,
    can we skip the filing?". A question opening with an auxiliary or asking with a wh-word
    ("What do I need, can I…?") is left to the cues ("Is there a deadline, and when is it?"),
    as is a request to tell ("Can you tell me…")."""
    clauses = [c.strip() for c in _ENGLISH_BREAK.split(text) if c.strip()]
    if len(clauses) < 2 or cues.has("english_request", text):
        return False
    wh = set(cues.words.get("english_wh", ()))
    auxiliaries = tuple(cues.words.get("english_yesno", ()))
    first, last = clauses[0], clauses[-1]
    # "When will it start" asks when; "When we bid on a project" only sets the scene.
    opening = first.split()[:2]
    asks_wh = bool(opening) and opening[0] in wh and (
        opening[0] != "when" or " ".join(opening[1:2]) + " " in auxiliaries)
    return not first.startswith(auxiliaries) and not asks_wh \
        and last.startswith(auxiliaries) and not wh & set(last.split())


def _embedded(text: str, stripped: str, at: int, cues: Cues) -> bool:
    """物业能要求我找哪家装修公司吗: a 谁/哪家 that is the object of a verb steering the asker
    (指定, 要求, 让), after 能 or 可以 in the same clause of a question ending in 吗, is part of
    what a yes/no question asks about; 我可以找谁投诉吗 and 能告诉我找哪个部门吗 ask who."""
    if not _asks_yes_no(stripped, cues):
        return False
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, at)), default=0)
    clause = text[start:at]
    can = _can_at(clause, cues)
    if can is None:
        can = clause.find("可以") if "可以" in clause else None
    return can is not None and bool(cues.found("steer", clause[can:]))


def _asked_quantity(text: str, cues: Cues, frame: int | None,
                    last: int | None = None) -> int | None:
    """Where the earliest 多少/几… that asks for a number starts (None when none does).

    A 几 that means "several" asks nothing: after 好/这/那 (要办好几个证), before 前/来
    (几年前), in a clause before the one a yes/no frame asks in (几户人家合开的小店，
    是否要办执照), or counting people or things in a clause before the ``last`` one of a
    question ending in 吗 (我们几个…，还要…吗; 雇了几个人，…吗); after 哪 it asks which
    (哪几种), not how many.
    """
    found = []
    for word in cues.found("how_many", text):
        for match in re.finditer(re.escape(word), text):
            at, end = match.start(), match.end()
            if word.startswith("几") and (
                    (at > 0 and text[at - 1] in "好这那十哪") or text[end:end + 1] in ("前", "来")
                    or (frame is not None and frame > at
                        and _CLAUSE_BREAK.search(text, at, frame))
                    or (last is not None and last > at and _counted_in_story(text, at, end))):
                continue
            found.append(at)
    return min(found) if found else None


_COUNTED = ("几个", "几家", "几户", "几位", "几人")
_MEASURE_AFTER = "工天月年岁次周日小分"
"""After 几个, a measure (几个工作日, 几个月) makes it ask a number, not count people."""


def _counted_in_story(text: str, at: int, end: int) -> bool:
    """我们几个 / 咱几家 / 雇了几个帮工: a 几 counting people or things in the story told
    before the question (not 我们几个月, which asks a number)."""
    return text[at:end] in _COUNTED and text[end:end + 1] not in _MEASURE_AFTER


_DEADLINE_AFTER_YEAR = "底前内以之完要才的需应有将中末"


def _deadline_years(text: str) -> tuple[int, ...]:
    """Years named as a deadline (2022年底前, 到2025年才完成, 2021年要完成), not as the
    topic's date (2019年节假日期间, 2020年春节)."""
    years = []
    for match in _YEAR.finditer(text):
        after = text[match.end(): match.end() + 1]
        before = text[max(0, match.start() - 1): match.start()]
        if not after or not "\u4e00" <= after <= "\u9fff" or after in _DEADLINE_AFTER_YEAR \
                or before in ("到", "至", "于"):
            years.append(int(match.group(1)))
    return tuple(years)


def _confirms(asked: str) -> bool:
    """Asks for a confirmation: a statement ending in 吧 and a question mark (也能抵扣吧？), or
    a 吧 clause that a question-marked clause asking for nothing goes on to restate (也放假吧，
    不用去了？)."""
    asked = asked.rstrip()
    if asked.endswith(("吧？", "吧?")):
        return True
    head, _, tail = asked.rpartition("吧")
    # The tail restates a supposition (不用去了, 没变吧); a 吧 ending a request or a
    # concession (给我讲讲吧, 好吧) or a noun (网吧) is followed by the question proper.
    return bool(head) and tail[:1] in ("，", ",") and asked.endswith(("？", "?")) \
        and not any(w in tail for w in _WH) and not head.endswith(_NOT_SUPPOSING) \
        and (any(w in tail for w in "不没别") or tail.rstrip("？? ").endswith("了"))


CHOICE = re.compile(r"[，,、？?]\s*还是")
"""Where the second option of A，还是B starts (是不是还是… means "still", not "or")."""


def first_option(text: str) -> str:
    """Of a choice (A，还是B) only A, which is what a yes or no answers; else the whole text."""
    choice = CHOICE.search(text)
    return text[:choice.start()] if choice else text


def own_clause(option: str) -> str:
    """The clause an option is stated in, without a premise told before it (我是退休人员，)."""
    return re.split(r"[，,]", option)[-1]
_WH = ("哪", "什么", "怎么", "怎样", "如何", "多少", "几", "谁", "啥", "咋")
_NOT_SUPPOSING = ("好", "行", "算了", "网", "酒", "贴", "书", "氧", "水", "话")


def _offers_choice(text: str, cues: Cues) -> bool:
    """可以在手机上查，还是只能去医院打印: a choice whose first option is asked with 能, 可以, 要, 会
    reads as a yes/no question on that option (which a yes confirms), and so does a choice
    between two statements (是A，还是B); an option asking for content (需要带哪几样证件，还是只
    带身份证) asks which or what."""
    choice = CHOICE.search(text)
    if choice is None:
        return False
    first = text[:choice.start()]
    if any(w in first for w in _WH):
        return False
    return _polarity(first, cues) in ("need", "can", "will") or _states(first, text[choice.end():])


def _states(first: str, rest: str) -> bool:
    """补贴是按季度领取，还是年底统一结算: a choice between two statements, the first with 是 in
    its own clause and neither asking for content, which a yes or no on the first answers."""
    end = re.search(r"[？?。！!；;]", rest)
    return "是" in own_clause(first) \
        and not any(w in rest[: end.start() if end else len(rest)] for w in _WH)


def _framed(text: str, frame: int | None) -> str:
    """The part of the question that a yes/no frame asks in: from the clause holding the frame
    on. What comes before is a premise (听说小店可以免登记了，我家这种算不算: the question is
    算不算, not 可以)."""
    if frame is None:
        return text
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, frame)]
    return text[starts[-1]:] if starts else text


def _first(text: str, words: Iterable[str]) -> int | None:
    """Where the earliest of ``words`` starts in ``text`` (None when there is none)."""
    found = [text.find(w) for w in words]
    return min(found) if found else None


def _asks_yes_no(text: str, cues: Cues) -> bool:
    """Ends in a yes/no particle (吗, 么 — but not 什么/怎么, which ask for content)."""
    if text.endswith(("什么", "怎么", "为什么", "那么", "多么")):
        return False
    return text.endswith(tuple(cues.words.get("yesno_tail", ())))


def _polarity(text: str, cues: Cues) -> Polarity:
    """The cue that comes first decides (the longer one where two start together); a question
    with none asks whether there is such a thing (有…吗)."""
    positions: list[tuple[int, int, Polarity]] = []
    for name in POLARITIES:
        for word in cues.found(name, text):
            at = _cue_at(text, word, cues)
            if at is not None:
                positions.append((at, -len(word), name))
    for match in A_NOT_A.finditer(text):
        verb = match.group(1)
        shape: Polarity = "need" if verb in "要需用得收交罚缴" else \
            "can" if verb in "能可让准行许" else "is" if verb in "是算对" else "will"
        positions.append((match.start(), -3, shape))
    will = _will(text, cues)
    if will is not None:
        positions.append((will, -1, "will"))
    return min(positions)[2] if positions else "has"


def _cue_at(text: str, word: str, cues: Cues) -> int | None:
    """Where a polarity cue stands in ``text`` (None if nowhere); 能, 让 and English cues only
    where they are not part of another word (技能, 出让, cancel)."""
    if word == "能":
        return _can_at(text, cues)
    if word == "让":
        return _standalone(text, "让", cues.words.get("let_not_before", ()), ())
    if word.isascii():  # "can" is no cue inside "cancel"
        match = re.search(rf"\b{re.escape(word.strip())}\b", text)
        return match.start() if match else None
    return text.find(word)


def _can_at(text: str, cues: Cues) -> int | None:
    """Where 能 means "can" (能…吗, 还能), not part of 技能, 职能, 能力, 能源; None if nowhere."""
    return _standalone(text, "能", cues.words.get("can_not_before", ()),
                       cues.words.get("can_not_after", ()))


def _standalone(text: str, char: str, before: Iterable[str], after: Iterable[str]) -> int | None:
    """The first place of ``char`` in ``text`` not inside a word: not after a character of
    ``before``, not before one of ``after`` (None if nowhere)."""
    before, after = frozenset(before), frozenset(after)
    for i, ch in enumerate(text):
        if ch == char and (i == 0 or text[i - 1] not in before) \
                and (i + 1 >= len(text) or text[i + 1] not in after):
            return i
    return None


def _stance(text: str, polarity: Polarity, cues: Cues) -> Stance | None:
    """Fear of something bad outweighs a supposed burden, which outweighs a hoped-for easing.

    Read from the clause that carries the question (办事时被窗口为难了，可以打差评吗: the
    complaint is the story, the question is about 差评); a fear the asker wants the government
    to act on (会不会清理乱收费) is a hope, not a fear.
    """
    text = _asking_part(text, cues)
    unwatched = _UNWATCHED.search(text)
    adverse = cues.found("adverse", text)
    if adverse:
        first = min(text.find(word) for word in adverse)
        # 取消许可后从此没人查了吗: what goes before nobody watching is its cause, no remedy.
        if not (unwatched and unwatched.start() <= first) and \
                any(0 <= text.find(word) < first for word in cues.found("counter", text)):
            return "relief"
        return "adverse"
    if unwatched:
        return "adverse"
    if polarity == "can" and _negated_body(text):
        return "adverse"
    # 不用一趟趟跑: a burden the asker hopes to be rid of is an easing hoped for.
    for word in cues.found("negated_burden", text):
        text = re.sub(re.escape(word) + r"[^，,。？?]{0,8}", "不用", text)
    if polarity == "need" or cues.found("burden", text):
        return "burden"
    if cues.found("relief", text):
        return "relief"
    return None


_WHICH_BODY = re.compile(r"哪[一两二三四五几]?[个家些]?(?:部门|单位|机构|厅|局|部委|委员会)")
"""哪三个部门, 哪几家单位: a body asked for, however many."""
_ENGLISH_WHO = re.compile(r"\bwhich(?:\s+[a-z-]+){0,2}?\s+(?:department|agenc(?:y|ies)|bod(?:y|ies)"
                          r"|ministr(?:y|ies)|bureaus?|authorit(?:y|ies)|offices?|units?"
                          r"|organi[sz]ations?|commissions?|governments?|departments)\b"
                          r"(?!\s+(?:can|may|could|are eligible|qualify|are allowed))")
"""Which (provincial, local…) department / agency / body: English asking for a body — not
which units can apply (who is eligible)."""
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
# Nobody keeping watch any more (没人检查了, 再也没有人管, 从此不查了): a fear, whichever verb of
# oversight it names.
_UNWATCHED = re.compile(r"(?:没人|没有人|无人|不再有人|不会有人)[再来去会]{0,2}(?:管|查|监管|检查|过问)"
                        r"|(?<![不没])不(?:再)?(?:管|查|监管|检查)(?:了|啦)")


def _asking_part(text: str, cues: Cues) -> str:
    """From the clause holding the first yes/no cue to the end of the sentence; of a choice
    (A还是B) only A, which is what a yes answers."""
    text = first_option(text)
    positions = [text.find(w) for name in (*POLARITIES, "yesno") for w in cues.found(name, text)]
    positions += [m.start() for m in A_NOT_A.finditer(text)]
    if not positions:
        return text
    cue = min(positions)
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, cue)]
    return text[starts[-1] if starts else 0:]


A_NOT_A = re.compile(r"(.)不\1")
"""支不支持, 上不上班: a verb asked as A不A (its first character is the verb's)."""


def _a_not_a(text: str) -> bool:
    """支不支持, 管不管, 收不收: a yes/no question without any other cue."""
    return bool(A_NOT_A.search(text))


def _will(text: str, cues: Cues) -> int | None:
    """Where 会 asks about the future (会…吗), not as part of 社会, 会计, 机会…; None if nowhere."""
    if not text.rstrip("？?。 ").endswith(("吗", "么", "嘛")):
        return None
    return _standalone(text, "会", cues.words.get("will_not_before", ()),
                       cues.words.get("will_not_after", ()))


def without_frames(text: str) -> str:
    """``text`` with the A-not-A frames of a yes/no question (能不能, 可不可以…), whose 不
    negates nothing, said plainly (能, 可以…): 能不能不去 supposes 能不去."""
    for frame, plain in (("能不能", "能"), ("可不可以", "可以"), ("是不是", "是"), ("要不要", "要"),
                         ("需不需要", "需要"), ("会不会", "会"), ("用不用", "用"), ("有没有", "有")):
        text = text.replace(frame, plain)
    return text


def _negated_body(text: str) -> bool:
    """能不讲公益吗: the thing asked about is itself a negation (frame words aside)."""
    return bool(_NEGATED_ACT.search(without_frames(text)))


# 能不守规矩吗 (a fear), but not a step of a procedure left out (可以不办注册吗, 能不交材料吗): that
# is an easing hoped for.
_NEGATED_ACT = re.compile(r"[能可以].{0,2}不(?![用再必需]|办|交|缴|申|注册|备案|登记|审|考|提交|报|跑|去)")
