"""Who does it: the government supposed, someone else given the task by the notice."""

from __future__ import annotations

import pytest

from engine.agent import given_to_others
from engine.reply import yes_no_line
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

RATING = "出台农家乐管理办法，引导行业协会对农家乐开展星级评定。"
CHECK = "由市场监管部门对电梯开展年度检验。"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("农家乐的星级是政府部门直接评定的吗？", RATING, "no"),
    ("农家乐星级评定是不是由官方来搞？", RATING, "no"),
    # The question names the someone else itself: left to the other readings.
    ("农家乐星级是政府委托行业协会评定的吗？", RATING, None),
    # The notice gives the task to a government body: not read here.
    ("电梯年检是政府部门来做的吗？", CHECK, None),
    # Nothing of the question in the part.
    ("小饭馆的卫生等级是政府部门定的吗？", "引导第三方机构开展网约车服务质量测评。", None),
    # The someone else is what the act is done to, or only the channel it goes through.
    ("农家乐星级由官方评定吗？", "规范行业协会组织农家乐星级评定。", None),
    ("停车费由官方收取吗？", "通过第三方支付平台缴纳停车费用。", None),
    # A handing-down between governments is no third party.
    ("农家乐星级由官方评定吗？", "将农家乐星级评定下放（委托）至县级实施。", None),
    # One shared word is not the act asked about.
    ("农家乐的星级由官方亲自评定吗？", "引导行业协会组织星级酒店培训。", None),
    # The same sentence gives the act to a government body as well.
    ("农家乐星级由官方评定吗？",
     "由文旅部门开展农家乐星级评定，鼓励行业协会参与农家乐星级评定。", None),
    # Handed over in the passive: the act named before the someone else.
    ("农家乐星级评定由官方来做吗？", "农家乐星级评定工作交由行业协会实施。", "no"),
    # 自行车 is no one doing it themselves.
    ("骑行赛事由官方举办吗？", "鼓励网球、自行车等赛事举办。", None),
    # Not supposing who does it.
    ("农家乐要评星级吗？", RATING, None),
])
def test_a_task_given_to_others_answers_who_does_it(question: str, sentence: str,
                                                    verdict: str | None) -> None:
    reading = given_to_others(q(question), [sentence])
    assert (reading.verdict if reading else None) == verdict


def test_the_reply_names_whom_the_notice_gives_it_to() -> None:
    question = q("农家乐的星级是政府部门直接评定的吗？")
    reading = decide(question, [RATING], [], load_signals(), Places())
    assert (reading.verdict, reading.action) == ("no", "agent")
    assert yes_no_line(question, reading, None, RATING) == \
        "不是，文件规定：引导行业协会对农家乐开展星级评定。"
