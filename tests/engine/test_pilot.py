"""Pilots: whether the asker's place may lie inside one of a pilot's places."""

from __future__ import annotations

import pytest

from engine.pilot import outside_for_sure
from engine.verdict import load_signals

SIGNALS = load_signals()


@pytest.mark.parametrize(("asked", "piloted", "outside"), [
    ({"泉州"}, {"福州", "厦门"}, True),
    ({"浙江"}, {"北京", "吉林"}, True),
    ({"思明区"}, {"福州", "厦门"}, False),  # a district may lie inside a piloting city
    ({"泉州", "晋江县"}, {"福州"}, False),
    ({"泉州"}, {"福建", "浙江"}, False),  # a city may lie inside a piloting province
    (set(), {"福州"}, False),  # no place named: nothing to compare
])
def test_whether_the_askers_place_is_outside_for_sure(asked: set[str], piloted: set[str],
                                                      outside: bool) -> None:
    assert outside_for_sure(frozenset(asked), frozenset(piloted), SIGNALS) is outside
