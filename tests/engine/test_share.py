"""Shares of a headcount a rule sets, against the two counts a question gives."""

from __future__ import annotations

import pytest

from engine.condition import applies
from engine.question import NoWords
from engine.reach import conditioned
from engine.share import Share, share_met, shares, without_shares
from tests.engine.test_verdict import q

# Made up, in the shape notices use: a share, and another share for larger employers.
HIRING = ("企业当年吸纳登记失业人员数量达到企业现有在职职工人数20%（超过200人的企业达到10%）"
          "并签订1年以上劳动合同的，可给予一次性吸纳就业补贴。")
PLACING = "用人单位安置残疾人占在职职工总数的比例不低于1.5%的，可减征残疾人就业保障金。"


def test_the_shares_a_sentence_sets() -> None:
    [(_, share)] = shares(HIRING)
    assert share == Share(frozenset({"纳"}), 20.0, size=200, sized_percent=10.0)
    [(_, placing)] = shares(PLACING)
    assert placing.percent == 1.5 and placing.acts == frozenset({"置"})
    # A share of something else than a headcount, or with no act counting a part, is none.
    assert shares("财政资金占项目总投资的比例不低于30%的，给予补助。") == []
    assert shares("市场占有率达到全国总量的20%以上。") == []


@pytest.mark.parametrize(("question", "met"), [
    ("我们公司现有职工50人，今年吸纳了12个失业人员，能领补贴吗？", True),      # 24 % ≥ 20 %
    ("我们公司现有职工50人，今年吸纳了8个失业人员，能领补贴吗？", False),       # 16 %
    ("厂里有300名员工，吸纳了36名失业人员，可以申请吗？", True),                # 12 % ≥ 10 %
    ("厂里有300名员工，吸纳了24名失业人员，可以申请吗？", False),               # 8 %
    ("我们有80个员工，能申请补贴吗？", None),                                   # no part
    ("我们吸纳了10个失业人员，能申请吗？", None),                               # no whole
    ("我们有80个员工，安置了10个残疾人，能申请吗？", None),                     # another act
    ("我们有80个员工，吸纳了100个失业人员，能申请吗？", None),                  # part > whole
])
def test_whether_the_counts_meet_the_share(question: str, met: bool | None) -> None:
    assert share_met(question, HIRING) is met


def test_the_sizes_a_share_names_are_not_the_askers_counts() -> None:
    # 超过200人的企业 picks the share for larger employers; 现有职工50人 does not miss it.
    assert "200人" not in without_shares(HIRING)
    assert applies("我们公司现有职工50人，今年吸纳了12个失业人员，签了两年合同，能领吗？",
                   HIRING) is True
    assert applies("我们公司现有职工50人，今年吸纳了8个失业人员，签了两年合同，能领吗？",
                   HIRING) is False


def test_a_right_reaches_only_those_meeting_its_share() -> None:
    question = q("我们单位在职职工400人，安置了4名残疾人，可以减征保障金吧？")
    assert conditioned(question, PLACING, "enable", "yes", NoWords()) == "no"
    question = q("我们单位在职职工400人，安置了8名残疾人，可以减征保障金吧？")
    assert conditioned(question, PLACING, "enable", None, NoWords()) == "yes"
