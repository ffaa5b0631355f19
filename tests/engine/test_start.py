"""The day something starts: a supposed start day against the one a notice states."""

from __future__ import annotations

import pytest

from engine.start import stated_start
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

# A made-up sentence starting two things on two days, one of them in one city.
TWO_STARTS = ("2022年7月1日起全省推行不动产登记与水电气过户联办，"
              "福州2022年3月1日起开展车辆登记与保险变更联办试点。")


@pytest.mark.parametrize(("question", "verdict"), [
    ("不动产登记和水电气过户一起办，是从2022年3月1日开始的吧？", "no"),  # the other part's day
    ("不动产登记和水电气过户一起办是8月1日开始的吗", "no"),  # no year: month and day
    # The very day settles nothing by itself (what starts may be a stop): other readings.
    ("不动产登记和水电气过户一起办是2022年7月1日起开始的吗", None),
    ("不动产登记和水电气过户一起办是7月1日开始的吗", None),
    ("不动产登记和水电气过户一起办开始了吗", None),  # no day supposed
    ("办护照是从2022年3月1日开始网上办的吗", None),  # no part about it
    # The day is the asker's, not a claim that something starts then.
    ("不动产登记和水电气过户8月1日开始能一起办吗", None),
    ("不动产登记和水电气过户8月1日开始一起办了吗", None),
])
def test_a_supposed_start_against_the_stated_one(question: str, verdict: str | None) -> None:
    reading = stated_start(q(question), [TWO_STARTS], Places())
    assert (reading.verdict if reading else None) == verdict


def test_a_start_in_a_place_the_question_does_not_name_is_left_to_the_pilot() -> None:
    sentence = "厦门2022年3月1日起开展车辆登记与保险变更联办试点。"
    question = q("我在泉州，车辆登记和保险变更联办，我们这里是从2022年3月1日开始的吗")
    assert stated_start(question, [sentence], Places()) is None
    # The pilot reading answers instead: 泉州 is not where it is tried.
    assert decide(question, [sentence], [], load_signals(), Places()).verdict == "no"


def test_a_date_alone_in_its_part_dates_the_part_after_it() -> None:
    sentence = "自2023年6月1日起，全省推行不动产登记与水电气过户联办。"
    question = q("不动产登记和水电气过户联办是从2023年5月1日开始的吗")
    reading = stated_start(question, [sentence], Places())
    assert reading is not None and reading.verdict == "no"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # What starts that day is a stop: the ordinary reading answers, not the day.
    ("旧版社保卡5月1号开始还能用吗", "旧版社保卡自2023年5月1日起停止使用。", "no"),
    ("停车场是从7月1号开始免费的吗", "市属停车场自2023年7月1日起停止免费开放。", "no"),
])
def test_the_day_itself_leaves_what_starts_to_the_other_readings(question: str, sentence: str,
                                                                 verdict: str) -> None:
    assert decide(q(question), [sentence], [], load_signals(), Places()).verdict == verdict
