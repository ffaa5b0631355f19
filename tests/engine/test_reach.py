"""Whether a rule reaches the asker: each place's own settling, and the asker's figures
against a rule's conditions."""

from __future__ import annotations

from corpus.links import bigrams
from engine.question import NoWords
from engine.reach import conditioned, left_to_each_place, not_for_asker
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

SIGNALS = load_signals()


def test_what_each_place_settles_is_not_the_same_everywhere() -> None:
    question = q("社区食堂补贴各市都按同一个标准发吗？")
    sentences = ["社区食堂补贴标准由各地根据实际确定。"]
    wanted = bigrams(question.normalized)
    reading = left_to_each_place(question, sentences, wanted, SIGNALS)
    assert reading is not None and reading.verdict == "no"
    assert left_to_each_place(q("社区食堂有补贴吗？"), sentences, wanted, SIGNALS) is None


def test_an_easing_reaches_only_those_meeting_its_conditions() -> None:
    sentence = "对年满60岁的老年人，免收公交乘车费用。"
    assert conditioned(q("我今年65岁，坐公交能免费吗？"), sentence, "relax", None, NoWords()) \
        == "yes"
    assert conditioned(q("我今年50岁，坐公交能免费吗？"), sentence, "relax", "yes", NoWords()) \
        == "no"
    # A duty is not an easing: what it says stands.
    assert conditioned(q("我今年50岁，坐公交能免费吗？"), sentence, "require", None,
                       NoWords()) is None


def test_a_rule_for_others_than_the_asker() -> None:
    sentences = ["年满60岁的老年人，免收公交乘车费用。"]
    reading = not_for_asker(q("我今年50岁，坐公交能免费吗？"), sentences, NoWords())
    assert reading is not None and reading.verdict == "no"
    assert not_for_asker(q("我今年65岁，坐公交能免费吗？"), sentences, NoWords()) is None


def test_a_rule_for_the_askers_age_reaches_them_beside_a_closer_sentence() -> None:
    sentences = ["年满3岁至小学入学前的儿童，按本条第一款规定执行。",
                 "符合条件的家庭按照每个儿童每月200元的标准领取营养补助。"]
    reading = decide(q("我孙子4岁还没入学，儿童营养补助能领吗？"), sentences, [], SIGNALS,
                     Places())
    assert reading.verdict == "yes"
    # Too young for the rule: not reached.
    assert decide(q("我孙子2岁还没入学，儿童营养补助能领吗？"), sentences, [], SIGNALS,
                  Places()).verdict != "yes"
    # Two shared words (申请, 补贴) reach the asker only through a rule extended to them.
    assert decide(q("我今年65岁，能申请养老补贴吗？"), ["年满60周岁的残疾人申请护理补贴，按本办法第五条执行。"],
                  [], SIGNALS, Places()).verdict is None
