"""An amount a question supposes, against the amounts the cited clause gives for the thing."""

from __future__ import annotations

import pytest

from engine.amount import claimed_amount
from tests.engine.test_verdict import q

NOTICE_DAYS = "补贴名单在村务公开栏公示，公示期为7天，期满无异议的予以发放。"


@pytest.mark.parametrize(("question", "verdict"), [
    ("这份名单公示期是否5天就行？", "no"),  # another amount for the same thing
    ("这份名单公示期是否就是7天？", "yes"),
])
def test_a_supposed_amount_against_the_one_stated(question: str, verdict: str) -> None:
    found = claimed_amount(q(question), [NOTICE_DAYS])
    assert found is not None and found[0] == verdict and "公示期" in found[1]


@pytest.mark.parametrize(("question", "sentence"), [
    ("这份名单公示期是否不超过7天？", NOTICE_DAYS),  # a bound supposed
    ("这笔钱是否5天内发放？", "补贴名单公示期为7天。"),  # another thing
    # A bound stated: a condition, not an amount.
    ("油品储备是否存够8个月就行？", "油品储备不低于6个月销量。"),
    # Per another unit, or the supposed amount beside another (another group, a revision).
    ("护林补贴是否每月200元？", "护林补贴按每人每年2400元发放。"),
    ("护林补贴是否每人500元？", "护林补贴每户500元，每人200元。"),
    ("油品储备是否存够6个月就行？", "油品储备原为3个月销量，现调整为6个月销量。"),
])
def test_no_amount_read(question: str, sentence: str) -> None:
    assert claimed_amount(q(question), [sentence]) is None
