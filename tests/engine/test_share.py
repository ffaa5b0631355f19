"""Shares of a headcount a rule sets, against the two counts a question gives."""

from __future__ import annotations

import pytest

from engine.condition import applies
from engine.question import NoWords
from engine.reach import conditioned
from engine.share import Share, share_met, shares, without_shares, without_sizes
from tests.engine.test_verdict import q

# Made up, in the shape notices use: a share, and another share for larger employers.
HIRING = ("企业当年吸纳登记失业人员数量达到企业现有在职职工人数20%（超过200人的企业达到10%）"
          "并签订1年以上劳动合同的，可给予一次性吸纳就业补贴。")
PLACING = "用人单位安置残疾人占在职职工总数的比例不低于1.5%的，可减征残疾人就业保障金。"


def test_the_shares_a_sentence_sets() -> None:
    [(_, share)] = shares(HIRING)
    assert share == Share(frozenset({"吸纳"}), 20.0, size=200, sized_percent=10.0)
    [(_, placing)] = shares(PLACING)
    assert placing.percent == 1.5 and placing.acts == frozenset({"安置"})
    # A share of something else than a headcount, or with no act counting a part, is none.
    assert shares("财政资金占工程总造价的比例不低于30%的，给予补助。") == []
    assert shares("市场占有率达到全国总量的20%以上。") == []


@pytest.mark.parametrize(("question", "met"), [
    ("本单位在册员工50人，今年吸纳了12个失业人员，能领补贴吗？", True),      # 24 % ≥ 20 %
    ("本单位在册员工50人，今年吸纳了8个失业人员，能领补贴吗？", False),       # 16 %
    ("厂里有300名员工，吸纳了36名失业人员，能不能领补贴？", True),                # 12 % ≥ 10 %
    ("厂里有300名员工，吸纳了24名失业人员，能不能领补贴？", False),               # 8 %
    ("我们有80个员工，能申请补贴吗？", None),                                   # no part
    ("我们吸纳了10个失业人员，能申请吗？", None),                               # no whole
    ("我们有80个员工，安置了10个残疾人，能申请吗？", None),                     # another act
    ("我们有80个员工，吸纳了100个失业人员，能申请吗？", None),                  # part > whole
])
def test_whether_the_counts_meet_the_share(question: str, met: bool | None) -> None:
    assert share_met(question, HIRING) is met


@pytest.mark.parametrize(("question", "met"), [
    ("在册员工四十人，吸纳了八个失业人员，能领吗？", True),       # 20 %, numerals in characters
    ("在册员工五十人，吸纳了九个失业人员，能领吗？", False),      # 18 %
    ("我朋友公司吸纳了20个失业人员，本单位在册员工80人，能领吗？", None),  # not the asker's
])
def test_counts_as_people_write_them(question: str, met: bool | None) -> None:
    assert share_met(question, HIRING) is met


@pytest.mark.parametrize("sentence", [
    "用工单位聘用的被派遣劳动者数量不得超过其用工总数的10%。",          # a cap, not a floor
    "企业新招用人员数量未达到职工总数20%的，不予补贴。",                # a floor not met
    "企业为职工缴纳的企业年金费用不超过职工工资总额8%的部分，准予扣除。",  # not a headcount
    "对招用毕业生的企业给予社保补贴；企业研发人员达到职工总数的10%以上的，认定为科技型企业。",
    "企业新招用人员数量达到职工总数20%（规模较大的企业另行确定）的，给予补贴。",  # unread size
])
def test_what_is_not_read_as_a_share_to_meet(sentence: str) -> None:
    for question in ("在册员工100人，新招了30个，聘用了30个，可否享受？",
                     "在册员工100人，新招了5个毕业生，可否享受？",
                     "在册员工100人，聘用了20个，可以吗？"):
        assert share_met(question, sentence) is None


@pytest.mark.parametrize("bracket", ["（超过200人的企业为10%）", "（200人以上的企业达到10%）",
                                     "(超过200人的企业达到10%)"])
def test_brackets_as_notices_write_them(bracket: str) -> None:
    sentence = HIRING.replace("（超过200人的企业达到10%）", bracket)
    assert share_met("厂里有300名员工，吸纳了36名失业人员，能不能领补贴？", sentence) is True
    assert share_met("厂里有300名员工，吸纳了24名失业人员，能不能领补贴？", sentence) is False
    # The size is the firm's whole headcount, not a count the asker must pass.
    assert applies("在册员工50人，吸纳了12个失业人员，合同签了三年，能领吗？", sentence) is True


def test_a_share_stated_by_the_question() -> None:
    assert applies("我们安置的残疾人占职工总数的1%，能减征吗？", PLACING) is False
    assert applies("我们安置的残疾人占职工总数的2%，能减征吗？", PLACING) is True
    # With another share for some size, a bare percentage says nothing of which applies.
    assert share_met("吸纳的失业人员占职工总数的15%，能领吗？", HIRING) is None


def test_a_missed_share_leaves_another_way_open() -> None:
    sentence = "企业新招用人员数量达到职工总数的25%或新招用人数达到30人以上的，给予补贴。"
    assert share_met("在册员工200人，新招了40个，能补贴吗？", sentence) is False
    assert applies("在册员工200人，新招了40个，能补贴吗？", sentence) is not False


def test_the_sizes_a_share_names_are_not_the_askers_counts() -> None:
    # 超过200人的企业 picks the share for larger employers; 在册员工50人 does not miss it.
    assert "200人" not in without_shares(HIRING)
    assert "200人" not in without_sizes(HIRING) and "20%" in without_sizes(HIRING)
    assert applies("本单位在册员工50人，今年吸纳了12个失业人员，合同签了三年，能领吗？",
                   HIRING) is True
    assert applies("本单位在册员工50人，今年吸纳了8个失业人员，合同签了三年，能领吗？",
                   HIRING) is False


def test_a_right_reaches_only_those_meeting_its_share() -> None:
    question = q("我们单位在职职工400人，安置了4名残疾人，可以减征保障金吧？")
    assert conditioned(question, PLACING, "enable", "yes", NoWords()) == "no"
    question = q("我们单位在职职工400人，安置了8名残疾人，可以减征保障金吧？")
    assert conditioned(question, PLACING, "enable", None, NoWords()) == "yes"
