"""Reading a chat message: greetings, thanks, emoji, personal context, two questions, tail typos."""

from __future__ import annotations

import pytest

from engine.phrasing import load_phrasing, read

PHRASING = load_phrasing()


@pytest.mark.parametrize(("message", "text", "asked"), [
    ("请问开面馆要办许可吗？谢谢！", "开面馆要办许可吗？", "开面馆要办许可吗？"),
    ("您好，开面馆要办许可吗🙏", "开面馆要办许可吗", "开面馆要办许可吗"),
    ("开面馆要办许可吗😊😊", "开面馆要办许可吗", "开面馆要办许可吗"),
    ("我妈今年七十了。住在乡下。她看病能用医保卡吗？麻烦了",
     "我妈今年七十了。住在乡下。她看病能用医保卡吗？", "她看病能用医保卡吗？"),
    ("面馆能开在小区里吗？要交什么费？", "面馆能开在小区里吗？要交什么费？", "面馆能开在小区里吗？"),
    ("店里没啥人。还要年检吗？", "店里没啥人。还要年检吗？", "还要年检吗？"),
    ("年检取消了马？", "年检取消了吗？", "年检取消了吗？"),
    ("年检应该取消了巴？", "年检应该取消了吧？", "年检应该取消了吧？"),
    ("Can I open a noodle shop? Thanks", "Can I open a noodle shop?", "Can I open a noodle shop?"),
    # A full stop ends an English sentence before a capital, not inside a number.
    ("We run a bakery in Fuzhou. Do we still need a permit?",
     "We run a bakery in Fuzhou. Do we still need a permit?", "Do we still need a permit?"),
    ("Is the rate still 1.5 percent?", "Is the rate still 1.5 percent?",
     "Is the rate still 1.5 percent?"),
    ("面馆能开在小区里嘛 我家楼下有空铺", "面馆能开在小区里嘛？我家楼下有空铺", "面馆能开在小区里嘛？"),
    ("还要年检吗，店里没啥人", "还要年检吗？店里没啥人", "还要年检吗？"),
    ("干嘛 要交这个费", "干嘛 要交这个费", "干嘛 要交这个费"),
])
def test_wrapping_is_peeled_off(message: str, text: str, asked: str) -> None:
    utterance = read(message, PHRASING)
    assert (utterance.text, utterance.asked) == (text, asked)


def test_a_real_word_ending_in_ba_is_not_a_typed_ba() -> None:
    known = {"大巴"}
    assert read("去机场能坐大巴", PHRASING, is_word=known.__contains__).text == "去机场能坐大巴"


def test_a_real_word_ending_is_not_a_tail_typo() -> None:
    known = {"号码"}
    assert read("这是什么号码", PHRASING, is_word=known.__contains__).text == "这是什么号码"


def test_a_second_question_is_kept() -> None:
    utterance = read("哪些材料可以不交？有没有统一清单？谢谢", PHRASING)
    assert (utterance.asked, utterance.also) == ("哪些材料可以不交？", "有没有统一清单？")
    assert read("还要年检吗？", PHRASING).also == ""


@pytest.mark.parametrize("request_", ["麻烦帮我列一下吧？", "可以具体说说吗？", "麻烦给我介绍一下吧？"])
def test_a_bare_request_beside_a_question_is_no_second_question(request_: str) -> None:
    utterance = read(f"今年的体育场馆免费开放日有哪几天？{request_}", PHRASING)
    assert (utterance.asked, utterance.also) == ("今年的体育场馆免费开放日有哪几天？", "")


@pytest.mark.parametrize("request_", ["能告诉我这事归哪个部门管吗？", "讲讲费用？", "告诉我在哪办？"])
def test_a_request_naming_its_topic_is_a_second_question(request_: str) -> None:
    assert read(f"开放日有哪几天？{request_}", PHRASING).also != ""


@pytest.mark.parametrize(("message", "asked"), [
    ("秘书处设在那几家单位？", "秘书处设在哪几家单位？"),
    ("那些证明可以免交？", "哪些证明可以免交？"),
    # A demonstrative in a question that asks otherwise, or in no question, stays.
    ("那几家单位负责吗？", "那几家单位负责吗？"),
    ("那些人去不去？", "那些人去不去？"),
    ("那个窗口在哪？", "那个窗口在哪？"),
    ("那些合同要存多久？", "那些合同要存多久？"),
])
def test_na_typed_for_the_question_word(message: str, asked: str) -> None:
    assert read(message, load_phrasing()).asked == asked
