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
    ("不动产登记和水电气过户一起办，是从2022年3月1号开始的吧？", "no"),  # the other part's day
    ("不动产登记和水电气过户一起办是2022年7月1日起开始的吗", "yes"),
    ("不动产登记和水电气过户一起办是7月1号开始的吗", "yes"),  # no year: month and day
    ("不动产登记和水电气过户一起办是8月1号开始的吗", "no"),
    ("不动产登记和水电气过户一起办开始了吗", None),  # no day supposed
    ("办护照是从2022年3月1号开始网上办的吗", None),  # no part about it
])
def test_a_supposed_start_against_the_stated_one(question: str, verdict: str | None) -> None:
    reading = stated_start(q(question), [TWO_STARTS], Places())
    assert (reading.verdict if reading else None) == verdict


def test_a_start_in_a_place_the_question_does_not_name_is_left_to_the_pilot() -> None:
    sentence = "厦门2022年3月1日起开展车辆登记与保险变更联办试点。"
    question = q("我在泉州，车辆登记和保险变更联办，泉州也是2022年3月1号开始的吗")
    assert stated_start(question, [sentence], Places()) is None
    # The pilot reading answers instead: 泉州 is not where it is tried.
    assert decide(question, [sentence], [], load_signals(), Places()).verdict == "no"
