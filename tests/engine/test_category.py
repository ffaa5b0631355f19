"""Exclusive categories a rule is set for, read as whole words, against the asker's own."""

from __future__ import annotations

import pytest

from engine.category import contrasted, set_for_others
from index.tokenize import Tokenizer

CUT = Tokenizer([], frozenset()).cut
"""jieba's own dictionary: categories are read as whole words."""

FOR_FULL_TIME = "具有全日制本科以上学历的毕业生，可以申请青年人才租房补贴。"


@pytest.mark.parametrize(("question", "result"), [
    ("我是非全日制本科毕业的，能申请租房补贴吗", True),  # 非全日制 holds no 全日制
    ("我是全日制本科毕业的，能申请租房补贴吗", False),
    ("能申请租房补贴吗", False),  # no category said: nothing to compare
    ("全日制和非全日制的都能申请吗", False),  # both named: not a claim about the asker
])
def test_a_rule_for_one_of_exclusive_categories(question: str, result: bool) -> None:
    assert contrasted(question, FOR_FULL_TIME, CUT) is result


def test_a_category_that_qualifies_no_one_sets_no_rule() -> None:
    question = "我在民办幼儿园当老师，能参加这个培训吗"
    assert contrasted(question, "公办幼儿园的教师可以参加省级骨干教师培训。", CUT)
    # Not in a phrase saying who the rule is for (no 的 after it in its clause), or the
    # sentence names both: the rule is not kept to one.
    assert not contrasted(question, "加快发展公办幼儿园，扩大普惠性资源。", CUT)
    assert not contrasted(question, "公办、民办幼儿园的教师均可参加培训。", CUT)
    # What the sentence itself negates (非营利性) is its own alternative.
    assert contrasted("我们是营利性的机构，能申请吗", "非营利性养老机构的床位可以申请运营补贴。", CUT)


@pytest.mark.parametrize(("question", "sentence"), [
    # A category word inside a longer word is none (全国有, 国有土地, 人文科学, 居民办理).
    ("我们是民营企业，能申请吗", "鼓励全国有条件的地区对参展企业给予补贴。"),
    ("我们是民营企业，能申请吗", "使用国有土地建设的产业项目，可以申请补贴。"),
    ("我是理科生，能报名吗", "支持高校开展人文科学研究的青年教师报名。"),
    ("居民办理入托手续，能享受保育费免费吗", "公办幼儿园的保育费实行免费。"),
    # 城镇职工 is its own word, not 城镇.
    ("我是农村的，能参加职工医保吗", "城镇职工基本医疗保险的参保范围包括各类企业。"),
    # Someone else's category, or one the asker says they are not.
    ("我爸退休了，我能申请吗", "在职职工的子女可以申请托育补贴。"),
    ("我们幼儿园不是民办的，老师能参加吗", "公办幼儿园的教师可以参加省级骨干教师培训。"),
    ("我已经不在境外了，能申请吗", "境内就业的留学人员可以申请落户。"),
    # The category's members are what the rule acts on, not whom it is for.
    ("我们公司在城镇，能领补贴吗", "对吸纳农村劳动力就业的企业给予补贴。"),
])
def test_no_category_where_the_words_say_something_else(question: str, sentence: str) -> None:
    assert not contrasted(question, sentence, CUT)


ONLY_CHILD = "（一）纳税人为独生子女的，按照每月2000元的标准定额扣除；"
NOT_ONLY_CHILD = "（二）纳税人为非独生子女的，由其与兄弟姐妹分摊每月2000元的扣除额度。"


@pytest.mark.parametrize(("question", "result"), [
    # A brother or sister said of the asker: not an only child.
    ("我上面还有个姐姐，这项扣除我想按每月2000元算，行吗", True),
    ("我们兄妹三个一起出钱，我能按2000算吗", True),
    # None said, or said to be none: nothing implied.
    ("这项扣除我想按每月2000元算，行吗", False),
    ("我没有兄弟姐妹，能按2000算吗", False),
    # Named outright, the asker's own word stands (子女 in 独生子女 is no one else), and
    # outweighs what is implied.
    ("我属于独生子女，能按2000算吗", False),
    ("我属于独生子女，我爸还有个弟弟，能按2000算吗", False),
    # Someone else's brother, or 兄弟 of another word.
    ("我老公有个弟弟，我能按2000算吗", False),
    ("兄弟单位的人说能按2000算，我能吗", False),
    ("我们姐弟俩一起赡养，我能按2000算吗", True),
])
def test_an_alternative_implied_by_the_asker_s_family(question: str, result: bool) -> None:
    assert contrasted(question, ONLY_CHILD, CUT) is result


def test_a_major_implies_its_side() -> None:
    rule = "具有高等院校理工科专业专科以上学历的中国公民可以参加考试。"
    assert contrasted("我大学读的是哲学，能报名吗", rule, CUT)
    assert contrasted("我是法学专业毕业的，能报名吗", rule, CUT)
    assert not contrasted("我大学读的是计算机，能报名吗", rule, CUT)
    # Only as a major: not a word in another (化学品), nor one without 学 / 专业 near it.
    assert not contrasted("我学的电子工程，外语也过了六级，能报名吗", rule, CUT)
    assert not contrasted("我在危险化学品仓库上班，能报名吗", rule, CUT)


def test_the_rule_for_another_alternative_beside_the_asker_s_own() -> None:
    lead = "纳税人赡养父母的支出，按照以下标准定额扣除："
    sentences = [NOT_ONLY_CHILD, ONLY_CHILD, lead]
    # The rule for the asker's own alternative is there: the other one says nothing of them.
    assert set_for_others("我属于独生子女，能按2000算吗", sentences, CUT) == {0}
    assert set_for_others("我上面有个哥哥，能按2000算吗", sentences, CUT) == {1}
    # Only a rule for others: it stays, as the answer that the asker is not reached.
    assert set_for_others("我属于独生子女，能按2000算吗", [NOT_ONLY_CHILD, lead], CUT) == set()
    assert set_for_others("能按2000算吗", sentences, CUT) == set()
    assert set_for_others("我属于独生子女，能按2000算吗", sentences, None) == set()
