"""Pilots: whether the asker's place may lie inside one of a pilot's places."""

from __future__ import annotations

import pytest

from engine.pilot import outside_for_sure, sweeps_past
from engine.verdict import load_signals

SIGNALS = load_signals()


@pytest.mark.parametrize(("asked", "piloted", "outside"), [
    ({"泉州"}, {"福州", "厦门"}, True),
    ({"浙江"}, {"北京", "吉林"}, True),
    ({"思明区"}, {"福州", "厦门"}, False),  # a district may lie inside a piloting city
    ({"泉州", "晋江县"}, {"福州"}, False),
    ({"泉州"}, {"福建", "浙江"}, False),  # a city may lie inside a piloting province
    (set(), {"福州"}, False),  # no place named: nothing to compare
    # A known city lies in its own province only, not in a municipality or another city.
    ({"杭州"}, {"北京", "上海", "沈阳", "厦门"}, True),
    ({"杭州"}, {"北京", "浙江"}, False),
    ({"浦东"}, {"北京", "上海", "沈阳"}, False),  # not known as a city: it may lie in 上海
])
def test_whether_the_askers_place_is_outside_for_sure(asked: set[str], piloted: set[str],
                                                      outside: bool) -> None:
    assert outside_for_sure(frozenset(asked), frozenset(piloted), SIGNALS) is outside


TRIED = "在龙岩开展林权网上登记试点。"


@pytest.mark.parametrize(("asking", "part", "relaxes", "sweeps"), [
    ("听说所有林场都改成网上登记了，真的吗？", TRIED, False, True),  # every one, against a pilot
    ("听说所有林场都改成网上登记了，真的吗？", "所有林场实行网上登记。", False, False),
    ("我所有材料都备齐了，能网上登记吗？", TRIED, False, False),  # the asker's own
    # Every one against an easing is a sweeping word's business (一律), not 所有's.
    ("听说所有林场都不用登记了，真的吗？", "取消林场登记。", True, False),
    ("林场一律得网上登记吗？", "取消林场登记。", True, True),
])
def test_a_claim_past_what_the_part_says(asking: str, part: str, relaxes: bool,
                                         sweeps: bool) -> None:
    assert sweeps_past(asking, part, relaxes, False, load_signals()) is sweeps
