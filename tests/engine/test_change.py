"""Whether something changes: a part keeping the asked thing as it is answers no."""

from __future__ import annotations

import pytest

from engine.change import unchanged
from engine.reply import yes_no_line
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

KEPT = "对距退休五年以内的职工，可以申请内部退养，退养期间的基本工资和福利照发。"
STEADY = "改制期间，职工的医保待遇不变，单位继续按规定缴费。"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("内部退养那几年，基本工资会不会降低？", KEPT, "no"),
    ("单位改制以后我的医保待遇有没有变化？", STEADY, "no"),
    ("改制了医保待遇变不变？", STEADY, "no"),
    # The kept thing is another than the one asked about: not read.
    ("改制以后住房补贴有没有变化？", STEADY, None),
    # Asking whether one may do something (and keep the rest as it is) is not read here.
    ("我还有六年退休，能不能申请内部退养、福利照发？", KEPT, None),
    # No change asked about.
    ("改制后还要交医保吗？", STEADY, None),
])
def test_a_kept_thing_answers_whether_it_changes(question: str, sentence: str,
                                                 verdict: str | None) -> None:
    reading = unchanged(q(question), [sentence])
    assert (reading.verdict if reading else None) == verdict


def test_the_reply_quotes_what_is_kept() -> None:
    question = q("单位改制以后我的医保待遇有没有变化？")
    reading = decide(question, [STEADY], [], load_signals(), Places())
    assert (reading.verdict, reading.action) == ("no", "keep")
    assert yes_no_line(question, reading, None, STEADY) == "没有，文件规定：职工的医保待遇不变。"


@pytest.mark.parametrize(("question", "sentence"), [
    # The head of what is asked to change is not what the part keeps.
    ("改制以后我的退休年龄会不会变？", STEADY),
    # Steady growth keeps nothing as it is.
    ("改制以后职工收入会不会变？", "改制期间，职工收入保持稳定增长。"),
])
def test_what_is_kept_must_be_what_is_asked_about(question: str, sentence: str) -> None:
    assert unchanged(q(question), [sentence]) is None


def test_a_question_naming_the_thing_before_it_asks() -> None:
    # 会不会有变化 names nothing: the question's other words decide.
    assert unchanged(q("改制以后医保待遇那块，会不会有变化？"), [STEADY]) is not None
