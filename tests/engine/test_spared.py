"""A supposed exemption against a part keeping the act; a burden brought in by an easing."""

from __future__ import annotations

import pytest

from engine.spared import brings_in, kept, spared_act
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

# Made-up sentences.
NURSERY = "放宽托育服务准入，取消托育机构设立许可，实行备案制。"
REPORT = "推动合作社年检改年报，年报信息共享。"
CHECK = "合作社须按规定参加年度检查。"
DROPPED = "取消托育机构备案，实行告知承诺。"


@pytest.mark.parametrize(("question", "act"), [
    ("可以不备案就开托育机构吗？", "备案"),
    ("合作社可以不报年报吗？", "报年报"),
    ("能不能不参加年度检查？", "参加年度"),  # the frame's 不 spares nothing
    ("托育机构要备案吗？", ""),
])
def test_the_act_the_asker_hopes_to_be_spared(question: str, act: str) -> None:
    assert spared_act(q(question)) == act


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("可以不备案就开托育机构吗？", NURSERY, "no"),  # instituted
    ("合作社可以不参加年检吗？", REPORT, None),  # 年检 turned into 年报: another act kept
    ("合作社可以不报年报吗？", REPORT, None),  # a one-character verb: not read
    ("年检没了，合作社从此不用再报了吗？", REPORT, "no"),  # …unless alone, and instituted
    ("年检没了，合作社从此不用再交了吗？", REPORT, None),
    ("能不能不参加年度检查？", CHECK, "no"),  # required
    # The act itself is done away with, or the part keeps another act.
    ("可以不备案就开托育机构吗？", DROPPED, None),
    ("可以不办许可就开托育机构吗？", NURSERY, None),
])
def test_a_part_keeping_the_act_answers_no(question: str, sentence: str,
                                           verdict: str | None) -> None:
    reading = kept(q(question), [sentence], load_signals())
    assert (reading.verdict if reading else None) == verdict


def test_an_easing_that_brings_in_the_burden_asked_about() -> None:
    signals = load_signals()
    assert brings_in("托育机构要备案吗", "实行备案制", signals)
    assert not brings_in("托育机构要许可吗", "实行备案制", signals)
    assert not brings_in("托育机构要备案吗", "取消托育机构设立许可", signals)


@pytest.mark.parametrize(("question", "verdict"), [
    ("托育机构要备案吗？", "yes"),
    ("托育机构还需要许可吗？", "no"),
])
def test_the_filing_an_easing_brings_in_is_needed(question: str, verdict: str) -> None:
    assert decide(q(question), [NURSERY], [], load_signals(), Places()).verdict == verdict


@pytest.mark.parametrize(("question", "sentence"), [
    ("合作社改制还需要审批吗？", "取消合作社改制审批。"),  # 改制 is no conversion
    ("办执照是不是不用跑腿了？", "全面推行“零跑腿”服务。"),  # a regime of doing without it
])
def test_no_regime_of_the_act(question: str, sentence: str) -> None:
    signals = load_signals()
    assert kept(q(question), [sentence], signals) is None
    assert not brings_in(q(question).asking, sentence, signals)
