"""How long something runs: a supposed date against the date a notice states."""

from __future__ import annotations

import pytest

from engine.reply import yes_no_line
from engine.term import stated_term
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

# A made-up sentence dating how long an act runs.
RUN = "将稳岗返还政策执行期限延长至2021年底，简化申请材料。"


@pytest.mark.parametrize(("question", "verdict"), [
    ("稳岗返还政策延长到2023年3月底了吗？", "no"),  # later than stated
    ("稳岗返还政策延长到2021年底了吗？", "yes"),  # the stated date
    ("稳岗返还政策延长到2021年了吗？", "yes"),  # a year alone: its end
    ("稳岗返还政策延长到2021年6月了吗？", None),  # earlier: it runs past it, not to it
    ("稳岗返还政策截至2023年底吗？", None),  # another act
    ("稳岗返还政策延长了吗？", None),  # no date supposed
])
def test_a_supposed_date_against_the_stated_one(question: str, verdict: str | None) -> None:
    reading = stated_term(q(question), [RUN])
    assert (reading.verdict if reading else None) == verdict


def test_the_reply_quotes_the_date() -> None:
    question = q("稳岗返还政策延长到2023年3月底了吗？")
    reading = decide(question, [RUN], [], load_signals(), Places())
    assert yes_no_line(question, reading, None, RUN) == \
        "不是，文件规定：将稳岗返还政策执行期限延长至2021年底。"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # A span: its end is what the act runs to.
    ("那批税收减免执行到2023年底吗？", "税收减免执行期限为2019年1月1日至2023年12月31日。", "yes"),
    ("补助资金有效期到2025年吗？", "补助资金有效期为2021年至2025年。", "yes"),
    # The part about another policy says nothing of this one.
    ("缓缴政策延长到2022年6月了吗？", "减免政策延长至2021年底，缓缴政策延长至2022年6月底。", "yes"),
])
def test_a_span_ends_and_the_policy_must_be_the_one_asked(question: str, sentence: str,
                                                         verdict: str) -> None:
    reading = stated_term(q(question), [sentence])
    assert (reading.verdict if reading else None) == verdict


@pytest.mark.parametrize(("question", "verdict"), [
    ("稳岗返还政策2023年还可以办理吗？", "no"),  # a year after the term ends
    ("稳岗返还政策2021年还可以办理吗？", "yes"),  # the term runs to that year's end
])
def test_whether_it_still_runs_in_a_year(question: str, verdict: str) -> None:
    reading = stated_term(q(question), [RUN])
    assert reading is not None and (reading.verdict, reading.action) == (verdict, "term")


DUE = "加快社区食堂建设，到2028年全市建成100个社区食堂。"


@pytest.mark.parametrize(("question", "verdict"), [
    ("社区食堂建设目标须在2026年底以前完成吗", "no"),  # another date than the task's
    ("社区食堂建设目标须在2028年底以前完成吗", "yes"),  # the task's own
])
def test_a_supposed_due_date_against_the_tasks(question: str, verdict: str) -> None:
    reading = stated_term(q(question), [DUE])
    assert reading is not None and (reading.verdict, reading.action) == (verdict, "term")
    assert reading.segment == "到2028年全市建成100个社区食堂"
