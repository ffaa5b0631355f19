"""Steps in order: a notice's 先X后Y against the order a yes/no question supposes."""

from __future__ import annotations

import pytest

from corpus.document import Clause
from engine.reading import Reading
from engine.reply import yes_no_line
from engine.sequence import ordered_first, stated_order, supposed_order
from engine.verdict import decide, load_signals
from index.search import Hit
from tests.engine.test_verdict import Places, q

# Made-up sentences stating an order of two steps.
ORE = "对进口铁矿，采取“先放后检”监管方式，提高通关效率。"
FOOD = "境外入区的水果，实行“先入区、后检测”，根据检测结果进行后续处置。"
LICENCE = "推行“先照后证”改革，申请人领取营业执照后即可开展一般经营活动。"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # The opposite order supposed: waiting for one step before the other, or doing it first.
    ("进口铁矿难道还得等化验报告出来才准放行吗？", ORE, "no"),
    ("进口铁矿放行前都要先检验吗？", ORE, "no"),
    ("进口铁矿要化验合格以后才准放行吗？", ORE, "no"),
    ("水果是不是要检测完才能入区？", FOOD, "no"),
    ("是否必须先取得许可证以后，才准许领取营业执照", LICENCE, "no"),
    # The same order supposed: yes.
    ("进口铁矿能不能先放行再检验？", ORE, "yes"),
    ("进口铁矿不用等检验完就能放行吧？", ORE, "yes"),
    ("水果可以先入区再检测吗？", FOOD, "yes"),
    ("能不能先领营业执照，再办许可证？", LICENCE, "yes"),
])
def test_an_order_answers_the_order_a_question_supposes(question: str, sentence: str,
                                                         verdict: str) -> None:
    reading = stated_order(q(question), [sentence])
    assert reading is not None and (reading.verdict, reading.action) == (verdict, "sequence")


@pytest.mark.parametrize(("question", "sentence"), [
    # No order supposed (先X后Y only named; a deadline; one step only).
    ("先征后退的那类优惠，现在还备不备案？", "除先征后退外的其余优惠事项一律改为备查。"),
    ("进口铁矿通关速度会变慢吗？", ORE),
    ("进口铁矿还要检验吗？", ORE),
    # An order of other steps than the notice's.
    ("是不是要先交材料才能预约？", ORE),
    # No order stated: 先后 (one after another) has no steps.
    ("是不是要先申报才能出口？", "各地先后出台了申报和出口办法。"),
])
def test_no_order_no_reading(question: str, sentence: str) -> None:
    assert stated_order(q(question), [sentence]) is None


def test_a_name_of_an_order_supposes_none() -> None:
    assert supposed_order(q("先征后退的那类优惠，现在还备不备案？")) is None
    assert supposed_order(q("难道还得等化验完才准放行吗？")) == ("化验", "放行")


def test_the_verdict_turns_for_a_negated_supposition() -> None:
    # 总不会要等…吧 supposes the wait is not so; the notice agrees: 对，…
    question = q("进口铁矿总不会还得等化验完才准放行吧？")
    reading = decide(question, [ORE], [], load_signals(), Places())
    assert (reading.verdict, reading.turned) == ("yes", True)


def test_the_reply_quotes_the_part_with_its_lead() -> None:
    question = q("进口铁矿难道还得等化验报告出来才准放行吗？")
    reading = decide(question, [ORE], [], load_signals(), Places())
    assert reading == Reading("no", "对进口铁矿，采取“先放后检”监管方式", "sequence")
    assert yes_no_line(question, reading, None, ORE) == \
        "不需要，文件规定：对进口铁矿，采取“先放后检”监管方式。"


def test_an_order_asked_with_de_ma_is_answered_shi() -> None:
    # 是先…再…的吗 reads as 有…吗; the order is still confirmed with 是 or 不是.
    question = q("进口铁矿是先检验再放行的吗？")
    reading = decide(question, [ORE], [], load_signals(), Places())
    assert yes_no_line(question, reading, None, ORE).startswith("不是，文件规定：")


def _hit(clause_id: str, text: str) -> Hit:
    clause = Clause(doc_id="d", clause_id=clause_id, kind="clause", label=clause_id, text=text)
    return Hit(clause=clause, score=0.1, sentences=())


def test_a_close_clause_stating_the_order_answers_first() -> None:
    hits = [_hit("1", "加强进口铁矿检验检疫。"), _hit("2", ORE), _hit("3", LICENCE)]
    question = q("进口铁矿难道还得等化验完才准放行吗？")
    assert [h.clause.clause_id for h in ordered_first(question, hits)] == ["2", "1", "3"]
    # Already first, too far down, or no order supposed: left alone.
    assert ordered_first(question, [hits[1], hits[0]]) == [hits[1], hits[0]]
    far = [hits[0], hits[2], _hit("4", "其他。"), hits[1]]
    assert ordered_first(question, far) == far
    assert ordered_first(q("进口铁矿还要检验吗？"), hits) == hits


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # One step shared, the rest of the question about something else: no reading.
    ("进口石材是不是先报关再放行？", ORE, None),
    # One step shared, the sentence about the same goods: read.
    ("进口铁矿要化验合格以后才准放行吗？", ORE, "no"),
    # Both steps shared, whatever the goods.
    ("进口货物能不能先放行再检验？", ORE, "yes"),
    # The order stated across a comma.
    ("原料是不是要检测完才能入库？", "对原料实行先入库，后检测的管理方式。", "no"),
])
def test_an_order_needs_both_steps_or_the_same_subject(question: str, sentence: str,
                                                       verdict: str | None) -> None:
    reading = stated_order(q(question), [sentence])
    assert (reading.verdict if reading else None) == verdict
