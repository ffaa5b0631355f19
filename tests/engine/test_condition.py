"""Conditions on amounts, ages and counts, read from sentences and met (or not) by questions."""

from __future__ import annotations

import pytest

from engine.condition import (
    Bound,
    applies,
    asked,
    bounds,
    excepted,
    lacks,
    meets,
    negates,
    out_of_situation,
)
from tests.engine.test_category import CUT, FOR_FULL_TIME


@pytest.mark.parametrize(("text", "found"), [
    ("我今年19岁", [Bound("岁", 19, 19)]),
    ("本人已满17周岁", [Bound("岁", 17, 17)]),  # 周岁 as the law counts ages
    ("自付了1万2", [Bound("元", 12_000, 12_000)]),
    ("想贷款300万", [Bound("元", 3_000_000, 3_000_000)]),
    ("仅有一家", [Bound("家", 1, 1)]),
    ("车间1200平米", [Bound("平方米", 1_200, 1_200)]),
    ("2030年国庆放几天", []),  # a year is no span of years
])
def test_quantities_a_question_gives(text: str, found: list[Bound]) -> None:
    assert asked(text) == found


@pytest.mark.parametrize(("sentence", "found"), [
    ("扩展至16—24岁失业青年", [Bound("岁", 16, 24)]),
    ("累计超过15000元的部分", [Bound("元", low=15_000, strict=True)]),
    ("入围生产企业在3家及以上的", [Bound("家", low=3)]),
    ("单笔贷款金额500万元及以下", [Bound("元", high=5_000_000)]),
    ("不满16岁的", [Bound("岁", high=16, strict=True)]),
    ("年满16周岁的公民", [Bound("岁", low=16)]),
    # 不能超过 / 未超过 are ceilings and 不得低于 a floor, not 超过 and 低于.
    ("扣除期限最长不得超过48个月", [Bound("个月", high=48)]),
    ("月销售额未超过10万元的", [Bound("元", high=100_000)]),
    ("首付比例不得低于20%", [Bound("%", low=20)]),
    # A period between the word and the amount: a monthly cap is no cap on a yearly amount.
    ("每户补贴的额度不能超过每月800元", []),
    ("有关部门要加强监管", []),
])
def test_conditions_a_sentence_sets(sentence: str, found: list[Bound]) -> None:
    assert bounds(sentence) == found


def test_what_a_question_says_of_its_amounts() -> None:
    assert asked("贷款300万，费率能超过1%吗") == [Bound("元", 3_000_000, 3_000_000),
                                             Bound("%", low=1, strict=True)]
    assert asked("已经满70岁") == [Bound("岁", 70, 70)]
    assert asked("今年16—24岁，不到3家") == [Bound("岁", 16, 24), Bound("家", high=3, strict=True)]
    # The thousands after 万, however written; not a number of another measure.
    for said in ("自付一万八", "自付1万8", "自付1万8000", "自付一万八千元"):
        assert asked(said) == [Bound("元", 18_000, 18_000)], said
    assert asked("花了8000块") == [Bound("元", 8000, 8000)]
    assert asked("花了8000块能报销吗") == [Bound("元", 8000, 8000)]
    assert asked("分到一块地") == []
    assert asked("贷款300万两年") == [Bound("元", 3_000_000, 3_000_000), Bound("年", 2, 2)]


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
    # …but the other conditions of the asker's bracket do.
    ("贷款150万，费率能超过1%吗", "200万元以内的，费率不超过1%；200万元以上的，不超过1.5%",
     False),
    ("贷款150万，费率收0.8%行吗", "200万元以内的，费率不超过1%；200万元以上的，不超过1.5%",
     True),
    ("贷款260万，费率收1.2%行吗", "200万元以内的，费率不超过1%；200万元以上的，不超过1.5%",
     True),
    ("贷款260万，费率能超过1%吗", "200万元以内的，费率不超过1%；200万元以上的，不超过1.5%",
     True),
    # A cap of the bracket's measure inside the asker's bracket does not end it.
    ("贷款150万，费率能超过1%吗", "200万元以内的，单户补助不超过20万元，费率不超过1%；"
     "200万元以上的，费率不超过1.5%", False),
    # What comes before the brackets is not the asker's bracket.
    ("我62岁，缴费10年", "年满60岁，且缴费满15年的，按月领取养老金；缴费不满15年的，应当继续缴费。",
     None),
    # What the question says of an amount is a range too: 不到3家 is never 3家及以上.
    ("只有不到3家企业报名", "报名企业在3家及以上的，采取公开招标", False),
    ("报名的超过5家", "报名企业在3家及以上的，采取公开招标", True),
    # A range that partly meets a condition is read at the amount it names.
    ("超过1万元", "累计2万元以上的部分给予补助", False),
    # 满 / 达到 / 以上 in a question state the asker's own value.
    ("我已经满70岁了", "年满80岁的老年人，可以领取高龄津贴", False),
    ("企业员工达到50人", "职工人数100人以上的企业可以申请补贴", False),
    ("60岁以上的老人", "65岁以上老年人可以免费乘坐公交车", False),
    # A floor and a ceiling at different values are one condition, not brackets.
    ("我今年30岁", "年满16岁，不满60岁的居民可以参加", True),
    ("每年补贴9600元", "每户补贴的额度不能超过每月800元", None),
])
def test_whether_the_askers_quantity_meets_them(question: str, sentence: str,
                                                met: bool | None) -> None:
    assert meets(question, sentence) is met


_EXCEPTING = "2023年底前除危险化学品、民用爆炸物品以及烟花爆竹外的其他生产许可全部改为备案。"


@pytest.mark.parametrize(("question", "result"), [
    ("烟花爆竹厂的生产许可也改为备案了吗", True),
    ("搞危险化学品仓储的，许可这块也放开了？", True),
    # A question setting the item apart itself asks about the others: the rule reaches it.
    ("我们厂的产品不涉及危险化学品、烟花爆竹，生产许可要不要办？", False),
    ("除了烟花爆竹，其他生产许可都改为备案了吗？", False),
    ("烟花爆竹以外的生产许可都改为备案了吗？", False),
    ("食品生产许可改为备案了吗", False),
])
def test_what_a_sentence_excepts(question: str, result: bool) -> None:
    assert excepted(question, _EXCEPTING) is result


def test_the_除_inside_a_word_excepts_nothing() -> None:
    sentence = "解除劳动合同的外来务工人员，可按规定领取失业保险金。"
    assert not excepted("被解除劳动合同的外来务工人员能领失业保险金吗", sentence)


@pytest.mark.parametrize(("question", "sentence", "result"), [
    ("我不是本市居民，能办这张公园年卡吗", "本市居民凭身份证办理公园年卡。", True),
    ("我不是退役军人，也能享受优先吗", "退役军人的，在招录时予以优先。", True),
    # 是不是 frames a question; it negates nothing.
    ("是不是3个证能一起办", "全省实行3个证一起办理。", False),
    # A rule the sentence itself gives those who are not X, or keeps from X, is no rule for X
    # only: one who is not X is not left out by it.
    ("非公有制企业能参加吗", "支持非公有制企业参加评选。", False),
    ("我不是本地户籍，孩子能上公办学校吗", "非本地户籍适龄儿童，凭居住证可以申请入学。", False),
    ("我不是公务员，能申请人才公寓吗", "人才公寓面向引进人才配租，公务员除外。", False),
    ("我不是在校学生，能参加培训吗", "在校学生不纳入补贴范围。", False),
])
def test_a_question_saying_the_asker_is_not_what_the_rule_is_for(question: str, sentence: str,
                                                               result: bool) -> None:
    assert negates(question, sentence) is result


def test_applies_combines_exceptions_negations_and_quantities() -> None:
    assert applies("烟花爆竹厂的生产许可改为备案了吗", _EXCEPTING) is False
    assert applies("我不是退役军人，也能享受优先吗", "退役军人的，在招录时予以优先。") is False
    assert applies("我今年40岁能参加吗", "扩展至16—24岁失业青年") is False
    assert applies("我今年20岁能参加吗", "扩展至16—24岁失业青年") is True
    assert applies("食品生产许可改为备案了吗", _EXCEPTING) is None


@pytest.mark.parametrize(("question", "result"), [
    ("我爸在县城有套房子，还能申请这个公租房吗？", True),
    ("我们家有住所证明，能申请吗？", False),  # 住所 is not the thing the rule is for those without
    ("我在县城没有房子，能申请吗？", False),
    ("有没有房子都能申请吗？", False),
    ("我在县城有一处住房，也能申请吗？", True),
    # The 有 of the question itself, and a longer word beginning with the thing, own nothing.
    ("租房住的也有公租房吗？", False),
    ("我家有住房补贴，还能申请吗？", False),
])
def test_a_rule_for_those_without_something_and_one_who_has_it(question: str,
                                                               result: bool) -> None:
    sentence = "在本县没有自有住房的家庭，可以申请公共租赁住房。"
    assert lacks(question, sentence) is result
    # Words beginning with 无 that name no absence (无偿, 无害化) set no such rule.
    assert not lacks(question, "推行无偿代办服务，实现垃圾无害化处理。")


@pytest.mark.parametrize(("question", "result"), [
    ("我儿子15岁，能凭居住证办这个登记吗？", False),
    ("我17岁，能凭居住证办这个登记吗？", True),
    ("能凭居住证办这个登记吗？", None),  # no age given: nothing compares
])
def test_a_threshold_the_law_defines_by_name(question: str, result: bool | None) -> None:
    assert meets(question, "达到法定劳动年龄的务工人员可凭居住证办理参保登记。") is result
    # 未成年: under 18, and 完成年度 holds no 成年人.
    assert meets("我16岁，能领吗？", "未成年学生可领取学习补贴。") is True
    assert meets("我16岁，能领吗？", "完成年度计划的单位可领取奖励。") is None


@pytest.mark.parametrize(("sentence", "result"), [
    ("未达到法定劳动年龄的学生可领取学习补贴。", True),  # turned round by 未达到
    ("未满法定劳动年龄的学生可领取学习补贴。", True),
    ("超过法定劳动年龄的人员可领取高龄津贴。", None),  # past it: another threshold
    ("有未成年子女的职工可以申请育儿假。", None),  # the child's age, not the asker's
    ("未成年人和成年人均可在线领取电子社保卡。", None),  # either will do: no "no"
])
def test_words_around_a_named_threshold(sentence: str, result: bool | None) -> None:
    assert meets("我今年15岁，能领吗？", sentence) is result


@pytest.mark.parametrize(("question", "result"), [
    ("放假不在校期间，还能免费进图书馆吗", True),
    ("没有上课的时候，学生能免费进图书馆吗", False),  # another situation
    ("在校期间能免费进图书馆吗", False),  # in it, not out of it
    ("不及时办理的，还能免费进图书馆吗", False),  # 及时 is no situation
])
def test_a_rule_for_a_situation_and_one_not_in_it(question: str, result: bool) -> None:
    assert out_of_situation(question, "学生在校期间可以免费进入校图书馆。") is result
    # A sentence whose situation is itself a negated one is no rule for those in it only.
    assert not out_of_situation("不在校期间能进吗", "学生不在校期间也可以进入校图书馆。")


@pytest.mark.parametrize(("question", "sentence"), [
    ("我停车没超过两小时，能免费停吗？", "停车超过两小时的，按每小时5元收费。"),  # 小时
    ("我不知道办证大厅在周末时能不能办理？", "办证大厅在周末时也可以办理业务。"),  # not knowing
    ("在校期间和不在校期间都能免费进图书馆吗？", "学生在校期间可以免费进入校图书馆。"),
    ("这两项补贴不可以同时享受吗？", "符合条件的可以同时享受两项补贴。"),  # 同时
])
def test_no_situation_where_the_words_say_something_else(question: str, sentence: str) -> None:
    assert not out_of_situation(question, sentence)


def test_applies_reads_categories_and_situations() -> None:
    assert applies("我是非全日制本科毕业的，能申请租房补贴吗", FOR_FULL_TIME, CUT) is False
    teacher, rule = "我在民办幼儿园当老师，能参加这个培训吗", "公办幼儿园的教师可以参加省级骨干教师培训。"
    assert applies(teacher, rule, CUT) is False
    assert applies(teacher, rule) is None  # no words known: no categories read
    assert applies("放假不在校期间，还能免费进图书馆吗", "学生在校期间可以免费进入校图书馆。") \
        is False
