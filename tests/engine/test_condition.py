"""Conditions on amounts, ages and counts, read from sentences and met (or not) by questions."""

from __future__ import annotations

import pytest

from engine.condition import Bound, Quantity, applies, bounds, excepted, meets, negates, quantities


@pytest.mark.parametrize(("text", "found"), [
    ("我今年19岁", [Quantity(19, "岁")]),
    ("自付了1万2", [Quantity(12_000, "元")]),
    ("想贷款300万", [Quantity(3_000_000, "元")]),
    ("仅有一家", [Quantity(1, "家")]),
    ("车间1200平米", [Quantity(1_200, "平方米")]),
    ("2019年春节放几天", []),  # a year is no span of years
])
def test_quantities_a_question_gives(text: str, found: list[Quantity]) -> None:
    assert quantities(text) == found


@pytest.mark.parametrize(("sentence", "found"), [
    ("扩展至16—24岁失业青年", [Bound("岁", 16, 24)]),
    ("累计超过15000元的部分", [Bound("元", low=15_000, strict=True)]),
    ("入围生产企业在3家及以上的", [Bound("家", low=3)]),
    ("单笔贷款金额500万元及以下", [Bound("元", high=5_000_000)]),
    ("不满16岁的", [Bound("岁", high=16, strict=True)]),
    ("有关部门要加强监管", []),
])
def test_conditions_a_sentence_sets(sentence: str, found: list[Bound]) -> None:
    assert bounds(sentence) == found


@pytest.mark.parametrize(("question", "sentence", "met"), [
    ("我今年19岁能参加吗", "扩展至16—24岁失业青年", True),
    ("我今年25岁能参加吗", "扩展至16—24岁失业青年", False),
    ("自付了1万5能报吗", "个人自付累计超过20000元的部分给予补助", False),
    ("自付了3万能报吗", "个人自付累计超过20000元的部分给予补助", True),
    # Either condition will do when joined by 或.
    ("面积420平，投资180万", "投资额在100万元以下或者建筑面积在500平方米以下的工程", True),
    ("面积1500平，投资260万", "投资额在100万元以下或者建筑面积在500平方米以下的工程", False),
    # Brackets with their own rules settle nothing; nor does a measure the question lacks.
    ("贷款300万", "500万元及以下的，费率不超过1%；500万元以上的，不超过1.5%", None),
    ("职工100人，新招10人", "新招用人数达到25%的", None),
])
def test_whether_the_askers_quantity_meets_them(question: str, sentence: str,
                                                met: bool | None) -> None:
    assert meets(question, sentence) is met


_EXCEPTING = "2023年底前除危险化学品、民用爆炸物品以及烟花爆竹外的其他生产许可全部改为备案。"


@pytest.mark.parametrize(("question", "result"), [
    ("烟花爆竹的生产许可也改为备案吗", True),
    ("危险化学品生产许可是否同样改为备案", True),
    # Saying the asker is not one of the excepted kinds (in the same clause) puts them back in.
    ("我们做的不是危险化学品、烟花爆竹那种，还要办生产许可吗", False),
    ("食品生产许可改为备案吗", False),
])
def test_what_a_sentence_excepts(question: str, result: bool) -> None:
    assert excepted(question, _EXCEPTING) is result


@pytest.mark.parametrize(("question", "sentence", "result"), [
    ("我是非户籍人口，也能领这笔补贴吗", "户籍人口的，每人每月发放200元补贴。", True),
    ("我不是退役军人，也能享受优先吗", "退役军人的，在招录时予以优先。", True),
    # 是不是 frames a question; it negates nothing.
    ("是不是10个项目能合并办理", "全省实行10个项目合并办理。", False),
    # A negation the sentence says as well is what it is for.
    ("非公有制企业能参加吗", "支持非公有制企业参加评选。", False),
])
def test_a_question_saying_the_asker_is_not_what_the_rule_is_for(question: str, sentence: str,
                                                               result: bool) -> None:
    assert negates(question, sentence) is result


def test_applies_combines_exceptions_negations_and_quantities() -> None:
    assert applies("烟花爆竹的生产许可改为备案了吗", _EXCEPTING) is False
    assert applies("我不是退役军人，也能享受优先吗", "退役军人的，在招录时予以优先。") is False
    assert applies("我今年40岁能参加吗", "扩展至16—24岁失业青年") is False
    assert applies("我今年20岁能参加吗", "扩展至16—24岁失业青年") is True
    assert applies("食品生产许可改为备案了吗", _EXCEPTING) is None
