"""What kind of fact a question asks for, and whether a clause holds it."""

from __future__ import annotations

import pytest

from corpus.document import Clause, Sentence
from corpus.units import load_aliases
from engine.answertype import QUANTITY, AnswerTypes
from engine.question import Question, load_cues, understand
from index.search import Hit


@pytest.mark.parametrize(("text", "found"), [
    ("资料应当留存五年", ["五年"]),
    ("在次月十五日内报送", ["十五日"]),
    ("补贴一百元", ["一百元"]),
    ("编号共12位", ["12位"]),
    ("设立一个窗口", []),  # 一 as "a"
    ("统一标准", []),
    ("2030年底前完成", []),
])
def test_quantities_in_digits_or_characters(text: str, found: list[str]) -> None:
    assert [m.group(0) for m in QUANTITY.finditer(text)] == found


def _types() -> AnswerTypes:
    return AnswerTypes(load_cues(), lambda clause, quote: None)


def _hit(clause_id: str, text: str, score: float) -> Hit:
    clause = Clause(doc_id="d", clause_id=clause_id, kind="clause", label=clause_id, text=text)
    return Hit(clause=clause, score=score, sentences=())


def _asked(text: str) -> Question:
    return understand(text, load_cues(), load_aliases(), (), ())


BROAD = _hit("2.1", "加强社区食堂的建设和运营管理。", 0.17)
LINE = _hit("4.3", "畅通群众反映意见渠道，设立并公布社区食堂投诉电话。", 0.14)


@pytest.mark.parametrize(("question", "first"), [
    ("社区食堂有没有投诉电话？", "4.3"),  # whether there is a line: the clause naming one
    ("社区食堂是否设有投诉热线？", "4.3"),
    ("有没有能投诉的电话或者信箱呀？", "4.3"),
    ("社区食堂有公众号吗？", "2.1"),  # another kind of channel than the clause names
    ("社区食堂有没有扶持？", "2.1"),  # no line asked for
    ("社区食堂的投诉电话能打通吗？", "2.1"),  # a line asked about, not whether there is one
    ("投诉电话收费吗？", "2.1"),
    # A channel word only starting another word, or asked about after the question.
    ("社区食堂有没有电话费补助？", "2.1"),
    ("有没有窗口期？", "2.1"),
    ("我打了电话没人接，有没有别的办法？", "2.1"),
])
def test_a_question_whether_there_is_a_line_is_answered_by_a_clause_naming_one(
        question: str, first: str) -> None:
    ordered = _types().first(_asked(question), [BROAD, LINE])
    assert ordered[0].clause.clause_id == first


def test_a_line_far_behind_does_not_answer() -> None:
    far = _hit("4.3", LINE.clause.text, 0.1)
    assert _types().first(_asked("社区食堂有没有投诉电话？"), [BROAD, far])[0] is BROAD


def test_a_channel_used_in_the_abstract_names_no_line() -> None:
    abstract = _hit("3.1", "搭建社区食堂合作平台，拓宽融资渠道，由服务中心负责运营。", 0.16)
    assert _types().first(_asked("社区食堂有没有投诉电话？"), [BROAD, abstract])[0] is BROAD


def test_a_preamble_first_gives_way_to_another_notices_clause_holding_the_fact() -> None:
    def hit(doc_id: str, clause_id: str, text: str, score: float) -> Hit:
        clause = Clause(doc_id=doc_id, clause_id=clause_id, kind="clause", label=clause_id,
                        text=text)
        return Hit(clause=clause, score=score, sentences=())

    reply = hit("reply", "preamble", "关于开设社区食堂专栏的建议收悉，现答复如下。", 0.16)
    dated = hit("plan", "9.1", "门户网站社区食堂专栏每年更新4次。", 0.14)
    question = _asked("社区食堂专栏一年更新几次？")
    assert _types().first(question, [reply, dated])[0] is dated
    # A numbered clause first: another notice's is no answer to what it leaves open.
    clause = hit("reply", "2", "关于开设社区食堂专栏的建议收悉，现答复如下。", 0.16)
    assert _types().first(question, [clause, dated])[0] is clause


def test_several_years_in_a_story_name_no_measure() -> None:
    # 做了十几年: "over ten years", not a question in years; the amount asked has no measure.
    question = _asked("在工地做了十几年工，如今打算开家面馆，小额贷款封顶是多少？")
    assert _types().measure_units(question) == ()


def test_after_a_story_an_amount_elsewhere_in_the_clause_may_answer() -> None:
    sentences = ("加大创业贷款支持力度。", "各地可适当放宽申请条件。", "个人创业的，可申请最高20万元的贷款。")
    clause = Clause(doc_id="d", clause_id="2", kind="clause", label="2", text="".join(sentences),
                    sentences=tuple(Sentence(text=t) for t in sentences))
    best_without_amount = Hit(clause=clause, score=0.2, sentences=(0, 1))
    told = _asked("在工地做了十几年工，如今打算开家面馆。小额贷款封顶是多少？")
    assert _types().strength(told, best_without_amount) == 1
    # Asked straight out, the best sentences must hold it (a fee the clause never states).
    plain = _asked("小额贷款封顶是多少？另外去哪申请？")
    assert _types().strength(plain, best_without_amount) == 0


def test_a_quantity_in_the_measure_asked_may_lie_late_in_a_long_clause() -> None:
    sentences = ("申请人应当如实填报经营信息。", "主管机关将随机抽查。",
                 "抽查中发现问题的，限期整改。", "填报所依据的账簿应当留存三年。")
    clause = Clause(doc_id="d", clause_id="7", kind="clause", label="7", text="".join(sentences),
                    sentences=tuple(Sentence(text=t) for t in sentences))
    question = _asked("填报用的账簿要保管几年？")
    assert _types().measure_units(question)
    assert _types().strength(question, Hit(clause=clause, score=0.2, sentences=(0, 1, 2))) == 1
    # A clause stating no such quantity anywhere does not answer it.
    bare = clause.model_copy(update={"text": "".join(sentences[:3]),
                                     "sentences": clause.sentences[:3]})
    assert _types().strength(question, Hit(clause=bare, score=0.2, sentences=(0, 1, 2))) == 0


def test_the_head_noun_of_the_phrase_asked_names_the_list() -> None:
    # 哪几种…流通模式: the list ends in 等模式, whatever narrows the noun before it.
    question = _asked("对哪几种农产品流通模式给予奖励？")
    assert _types().items_of(question) == "模式"
    listing = _hit("3", "对开展订单农业、农超对接、直供直销等模式的农产品流通给予奖励。", 0.16)
    broad = _hit("1", "支持合作社扩大农产品流通规模。", 0.17)
    assert _types().strength(question, listing) == 2
    assert _types().strength(question, broad) == 1
    assert [h.clause.clause_id for h in _types().first(question, [broad, listing])] == ["3", "1"]


def test_a_list_of_other_items_of_the_noun_is_not_the_one_asked_for() -> None:
    question = _asked("哪些资质材料能免于提交？")
    assert _types().items_of(question) == "材料"
    other = _hit("2", "规范办理流程、申请材料和办理时限。", 0.17)
    asked = _hit("5", "证明事项实行告知承诺的，申请人可免交营业执照、资质证书等材料。", 0.16)
    assert _types().strength(question, other) == 1
    assert _types().strength(question, asked) == 2
