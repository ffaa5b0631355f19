"""A choice between two statements, answered by which option the notice's words support."""

from __future__ import annotations

import pytest

from corpus.units import load_aliases
from engine.choice import chosen_option
from engine.question import understand
from engine.reply import yes_no_line
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import CUES, PHRASING, Places, q

# Made-up sentences and questions.
SETTLED = "养护补贴年底统一结算到个人账户，具体标准由各县确定。"
PILOT = "在龙岩开展林权抵押登记试点。"
WHOLE = "2022年起各地同步推行林权抵押网上登记，龙岩另行开展林权收储试点。"
QUARTERLY = "养护补贴是按季度领取，还是年底统一结算？"
ONLY_HERE = "林权抵押登记是仅限龙岩先行先试，还是各地已经同步铺开？"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    (QUARTERLY, SETTLED, "no"),
    ("养护补贴是年底统一结算，还是按季度领取？", SETTLED, "yes"),
    ("林权抵押登记是各地已经同步铺开，还是仅限龙岩先行先试？", PILOT, "no"),
    (ONLY_HERE, PILOT, "yes"),
    # The part about what the question asks (抵押网上登记), not the one naming 龙岩's pilot.
    (ONLY_HERE, WHOLE, "no"),
])
def test_the_option_the_part_names(question: str, sentence: str, verdict: str) -> None:
    reading = decide(q(question), [sentence], [], load_signals(), Places())
    assert (reading.verdict, reading.action) == (verdict, "choice")
    line = yes_no_line(q(question), reading, None, sentence)
    assert line.startswith("是的，文件规定：" if verdict == "yes" else "不是，文件规定：")


def _kind(text: str) -> str:
    return understand(text, CUES, load_aliases(), (), (), PHRASING, Places()).kind


def test_a_choice_is_a_yes_no_question_on_its_first_option() -> None:
    question = q(QUARTERLY)
    assert (question.kind, question.polarity) == ("yesno", "is")
    # An option asking for content asks which or what; without 是 in the first option's own
    # clause the options' shared subject cannot be told from the first option's own words.
    assert _kind("养护补贴是按季度领取，还是按别的什么办法？") != "yesno"
    assert _kind("养护补贴按季度领取，还是年底统一结算？") != "yesno"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # Neither option named, or one named only to be denied: no verdict, not a yes on the first.
    (QUARTERLY, "养护补贴具体标准由各县确定。", None),
    (QUARTERLY, "养护补贴不再按季度领取，改为年底统一结算。", None),
    # A premise before the choice (我是…) is not part of the first option.
    ("我是护林员，养护补贴是按季度领取，还是年底统一结算？", "护林员养护补贴年底统一结算。", "no"),
])
def test_what_the_choice_settles(question: str, sentence: str, verdict: str | None) -> None:
    assert decide(q(question), [sentence], [], load_signals(), Places()).verdict == verdict


@pytest.mark.parametrize(("question", "sentence"), [
    (QUARTERLY, "养护补贴具体标准由各县确定。"),  # neither option
    (QUARTERLY, "养护补贴可按季度领取或年底统一结算。"),  # both
    # Two questions (…吗？还是…), not one sentence's two options.
    ("养护补贴是按季度领取吗？还是年底统一结算？", SETTLED),
    # A choice asked with 能 is read as a yes/no question on its first option elsewhere.
    ("养护补贴现在就能领取，还是要等年底结算？", SETTLED),
])
def test_no_choice_read(question: str, sentence: str) -> None:
    assert chosen_option(q(question), [sentence]) is None
