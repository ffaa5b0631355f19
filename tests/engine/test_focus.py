"""Whether a part answers the very point asked: together, still, the act, an extension."""

from __future__ import annotations

import pytest

from engine.focus import asks_of, extends, names_the_listed, pointed
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

SIGNALS = load_signals()


def test_the_act_asked_leave_for_is_matched_past_its_verb() -> None:
    question = q("物业可不可以擅自挪用维修基金？")
    assert pointed(question, "物业服务企业不得擅自挪用维修基金", "prohibit", SIGNALS)
    assert not pointed(question, "物业服务企业不得擅自提高收费标准", "prohibit", SIGNALS)


def test_the_act_after_a_lone_能_this_way_and_a_phrase_saying_to_whom() -> None:
    cut = Places().cut
    question = q("物业公司的人说停车位必须租他们的。物业能这样收费吗？")
    part = "物业服务企业不得对业主擅自收费"
    assert pointed(question, part, "prohibit", SIGNALS, cut)
    # The act is read past 这样 and before 吗, and 能 only where it is a word of its own.
    assert not pointed(question, part, "prohibit", SIGNALS)  # no cut: 能 is not read
    assert not pointed(q("物业公司的人说停车位必须租他们的。他们的职能包括收费吗？"), part,
                       "prohibit", SIGNALS, cut)
    # Past a phrase saying to whom, but not farther.
    assert not pointed(question, "物业服务企业不得对业主委员会成员及其他住户另行擅自收费",
                       "prohibit", SIGNALS, cut)
    # A question's act after a phrase saying to whom is not that phrase (能向学生收取…).
    assert not pointed(q("学校能向学生收取教材费吗？"), "学校不得向学生推销教辅资料", "prohibit",
                       SIGNALS, cut)
    sentences = ["落实物业服务收费清单动态调整机制，物业服务企业不得对业主擅自收费。"]
    assert decide(question, sentences, [], SIGNALS, Places()).verdict == "no"


def test_still_needs_the_characters_after_还_in_what_is_stopped() -> None:
    assert asks_of(q("驾校还收取押金吗？"), "不再收取押金", "still", SIGNALS)
    assert not asks_of(q("驾校还能用旧教材吗？"), "不再发放旧教材", "still", SIGNALS)


@pytest.mark.parametrize(("question", "part", "found"), [
    ("本市户籍的小学生也能领午餐补助吧？", "按本条第一款规定执行", True),
    ("本市户籍的小学生也能领午餐补助吧？", "不按本条第一款规定执行", False),
    ("个体户还要报年报吗？", "按本条第一款规定执行", False),  # a duty, not a hope
])
def test_an_extension_reaches_a_group_hoping_for_a_right(question: str, part: str,
                                                         found: bool) -> None:
    assert extends(q(question), part, SIGNALS) is found


def test_things_the_asker_lists_and_a_part_forbidding_charges_for_them() -> None:
    question = q("办居住证时窗口还让交押金、工本费，这些钱还需要交吗？")
    part = "不得以押金、工本费等名义向申请人收费"
    assert names_the_listed(question.normalized, part)
    assert pointed(question, part, "prohibit", SIGNALS)
    # Only one of them named, or a question that is not about bearing them: not the point.
    assert not names_the_listed(question.normalized, "不得收取押金")
    # A part forbidding something else about the listed things does not forbid charging.
    assert not names_the_listed("出租房子需要登记租客身份证、手机号吗？",
                                "不得泄露租客身份证、手机号等个人信息")
    # Both named, but not as items of one list.
    assert not names_the_listed(question.normalized, "押金按规定收取，工本费不得另行收取")
    assert not pointed(q("办居住证能交押金、工本费吗？"), part, "prohibit", SIGNALS)
    # However much the story shares with a part that merely regulates the charging.
    sentence = "规范居住证窗口办理的收费行为，不得以押金、工本费等名义向申请人收费。"
    assert decide(question, [sentence], [], SIGNALS, Places()).verdict == "no"
