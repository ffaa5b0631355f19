"""Verdict logic on crafted sentences: 取消 vs 保留, scope, negation, polarity."""

from __future__ import annotations

import pytest

from policyqa.question import Question
from policyqa.verdict import decide, load_signals, segments

SIGNALS = load_signals()


def q(text: str, polarity: str, english: bool = False) -> Question:
    return Question(text=text, normalized=text, kind="yesno", polarity=polarity,  # type: ignore[arg-type]
                    english=english)


@pytest.mark.parametrize(("question", "polarity", "sentence", "verdict"), [
    ("开养老机构还需要设立许可吗", "need", "取消养老机构设立许可，实行备案制；", "no"),
    ("养老机构设立还要审批吗", "need", "保留养老机构设立许可，加强审批管理。", "yes"),
    ("养老机构能直接备案吗", "can", "取消养老机构设立许可，实行备案制；", "yes"),
    ("政府能指定中介机构吗", "can", "清单之外政府部门不得指定中介机构提供服务。", "no"),
    ("乡村兽医需要备案吗", "need", "开展乡村兽医备案，加强事中事后监管。", "yes"),
    ("公司还要做年检吗", "need", "推动年检改年报。", "no"),
    ("二手车迁入还有限制吗", "has", "全面取消二手车迁入限制政策。", "no"),
    ("巡演审批简化了吗", "has", "依法依规简化跨地区巡演审批程序。", "yes"),
    ("公建民营养老机构能不讲公益吗", "can", "坚持公建民营养老机构社会公益属性。", "no"),
    ("行政裁量基准会公开吗", "has", "行政执法机关制定并公布行政裁量基准。", "yes"),
])
def test_verdicts(question: str, polarity: str, sentence: str, verdict: str) -> None:
    reading = decide(q(question, polarity), [sentence], [], SIGNALS)
    assert reading.verdict == verdict
    assert reading.segment and reading.segment in sentence


def test_scope_cancelling_one_licence_does_not_cancel_another() -> None:
    reading = decide(q("开诊所还需要执业许可吗", "need"),
                     ["继续推动开展诊所备案试点。", "取消养老机构设立许可，实行备案制；"], [], SIGNALS)
    assert reading.verdict != "no"


@pytest.mark.parametrize(("question", "sentence"), [
    # Another burden (备案) than the one asked about (许可) answers nothing.
    ("开诊所还需要许可吗", "继续推动福州、厦门开展诊所备案管理试点。"),
    # A relaxation piloted in one zone leaves the rule standing elsewhere.
    ("培训机构设立要审批吗", "在自贸试验区开展民办职业培训机构设立告知承诺制试点。"),
])
def test_no_firm_answer_from_a_neighbouring_rule(question: str, sentence: str) -> None:
    assert decide(q(question, "need"), [sentence], [], SIGNALS).verdict is None


def test_no_signal_no_verdict() -> None:
    reading = decide(q("标准全省统一吗", "has"), ["根据各地实际确定补贴标准。"], [], SIGNALS)
    assert reading.verdict is None


def test_unrelated_sentence_gives_no_verdict() -> None:
    reading = decide(q("新生儿落户需要什么材料吗", "need"),
                     ["第一句无关。", "取消勘察设计注册石油天然气工程师职业资格；"], [], SIGNALS)
    assert reading.verdict is None


def test_not_a_yes_no_question() -> None:
    question = Question(text="谁负责", normalized="谁负责", kind="who")
    assert decide(question, ["取消许可。"], [], SIGNALS).verdict is None


def test_segments() -> None:
    assert segments("放宽准入，取消许可，实行备案制；") == ["放宽准入", "取消许可", "实行备案制"]


def test_converting_the_asked_term_answers_even_when_the_subject_is_elsewhere() -> None:
    """X改Y turns the asked-about X into Y: no longer needed, whatever else the sentence shares."""
    sentence = "衔接中央层面设定的企业年检、年报事项，推动年检改年报，年报事项多报合一。"
    reading = decide(q("企业年检还要做吗", "need"), [sentence], [], SIGNALS)
    assert (reading.verdict, reading.segment) == ("no", "推动年检改年报")
    # 改革 and 改造 convert nothing.
    reform = decide(q("企业年检还要做吗", "need"), ["深化年检改革，完善监管。"], [], SIGNALS)
    assert reform.segment != "深化年检改革"


def test_a_segment_opening_with_its_verb_takes_the_subject_before_it() -> None:
    sentence = "对社会投资的小型简易低风险项目，推行清单制和告知承诺制审批。"
    reading = decide(q("小型低风险项目审批能简化吗", "can"), [sentence], [], SIGNALS)
    assert reading.verdict == "yes"
    # Without the subject in reach the same segment is not about the question.
    alone = decide(q("小型低风险项目审批能简化吗", "can"),
                   ["对社会投资的小型简易低风险项目进行统计。", "推行清单制和告知承诺制审批。"], [],
                   SIGNALS)
    assert alone.verdict is None
