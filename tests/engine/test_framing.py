"""Parts of a sentence that frame, report or set aside rather than act."""

from __future__ import annotations

import pytest

from corpus.links import bigrams
from engine.framing import (
    excepted,
    excluded_situation,
    reports,
    situation_subject,
    unmet_situation,
    without_asides,
)


@pytest.mark.parametrize(("sentence", "reported"), [
    ("你省请求，国家对林场改制给予安置补助。", True),
    ("来函建议设立专项资金。", True),
    ("林场所在市请求国家给予补助。", True),
    ("发展改革委提出：对符合条件的项目给予支持。", False),  # the notice's own reply
    ("经企业申请，可以延期缴纳。", False),
    ("各地要结合实际提出实施办法。", False),
])
def test_a_report_of_what_another_party_asked(sentence: str, reported: bool) -> None:
    assert reports(sentence) is reported


@pytest.mark.parametrize(("part", "subject"), [
    ("检查人员在进行现场检查时", "检查人员"),
    ("在办理登记期间", ""),
    ("严禁检查人员在检查过程中", "严禁检查人员"),  # the caller sees the 严禁
    ("在全省推行电子证照", None),
    ("实现在线办理全程不超过1小时", None),
    ("在收到材料后及时", None),
    # …or when it does not (非…时).
    ("非执行巡逻任务时", ""),
    ("未取得证书时", ""),
    ("可减免部分培训课时", None),
    ("每天工作8小时", None),
])
def test_a_situation_and_what_comes_before_it(part: str, subject: str | None) -> None:
    assert situation_subject(part) == subject


def test_asides_are_not_what_a_part_does() -> None:
    assert without_asides("允许下放至市级审批（涉及跨省河流的除外）") == "允许下放至市级审批"
    assert without_asides("允许经营（列入《负面清单（2031年版）》禁止类的除外）") == "允许经营"
    assert without_asides("对不存在欠费情形的企业") == "对企业"
    assert without_asides("企业改制不存在补助问题") == "企业改制不存在补助问题"


def test_a_question_about_the_case_an_exception_leaves_out() -> None:
    part = "取水许可下放至市级审批（涉及跨省河流、禁止开采区的除外）"
    assert excepted(part, bigrams("跨省河流的取水许可能在市级审批吗"), 2)
    assert not excepted(part, bigrams("本市河流的取水许可能在市级审批吗"), 2)
    assert not excepted("取水许可下放至市级审批", bigrams("跨省河流的取水许可"), 2)
    # （不含…） leaves out as （…除外） does; an exception of one word needs only that word.
    drugs = "对急需进口少量药品（不含疫苗）的申请，由省卫生部门审批"
    assert excepted(drugs, bigrams("国外疫苗也能申请进口吗"), 2)
    assert not excepted(drugs, bigrams("国外的新药也能申请进口吗"), 2)
    assert without_asides("进口少量药品（不包括血液制品）") == "进口少量药品"


@pytest.mark.parametrize(("asking", "part", "before", "unmet"), [
    # The part applies on a run; the asker says there is none.
    ("周末不接送学生的时候，校车也能开标志灯吗？", "校车接送学生时可以使用专用标志灯", "", True),
    ("周末不接送学生的时候，校车也能开标志灯吗？", "可以使用专用标志灯", "校车接送学生时", True),
    # Another part after a semicolon is not under the condition.
    ("周末不接送学生的时候，校车也能开标志灯吗？", "平时不得使用专用标志灯", "可以使用专用标志灯",
     False),
    # A condition opening with a negation is left alone.
    ("周末不接送学生的时候，校车也能开标志灯吗？", "校车不得使用专用标志灯", "非接送学生时", False),
    ("校车接送学生的时候能开标志灯吗？", "校车接送学生时可以使用专用标志灯", "", False),
    # 不能, 不少, A不A are no denial; the denial must name the condition's last word.
    ("校车接送学生时不能开标志灯吗？", "校车接送学生时可以使用专用标志灯", "", False),
    ("不少校车接送学生时都能开标志灯吗？", "校车接送学生时可以使用专用标志灯", "", False),
    ("周末算不算接送学生，能开标志灯吗？", "校车接送学生时可以使用专用标志灯", "", False),
    ("没申请过贷款的企业，申请补贴时要交执照吗？", "企业申请补贴时应当提交营业执照", "", False),
    # 及时, 同时, 暂时, 即时 and 时长 are no conditions.
    ("没及时报备的校车能上路吗？", "校车应及时报备", "", False),
    ("没申请执照能开店吗？", "申请执照时长压缩至3天", "", False),
])
def test_a_condition_the_asker_says_is_not_met(asking: str, part: str, before: str,
                                              unmet: bool) -> None:
    assert unmet_situation(asking, part, before) is unmet


@pytest.mark.parametrize(("asking", "part", "before", "excluded"), [
    # The part is for when the situation is not so; the asker says it is.
    ("巡逻车执行巡逻任务时能使用警灯吗", "巡逻车不得使用警灯", "非执行巡逻任务时", True),
    # …not when the asker denies it too, nor when 非 starts a word (非机动车).
    ("巡逻车不执行巡逻任务时能使用警灯吗", "巡逻车不得使用警灯", "非执行巡逻任务时", False),
    ("电瓶车行驶时能载人吗", "不得载人", "非机动车行驶时", False),
    ("巡逻车能使用警灯吗", "巡逻车不得使用警灯", "非执行巡逻任务时", False),
])
def test_a_rule_for_when_something_is_not_so(asking: str, part: str, before: str,
                                             excluded: bool) -> None:
    assert excluded_situation(asking, part, before) is excluded
