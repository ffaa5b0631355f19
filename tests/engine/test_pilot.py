"""Pilots: whether the asker's place is one that may lie inside a piloting one."""

from __future__ import annotations

import pytest

from engine.pilot import of_own_standing


@pytest.mark.parametrize(("places", "own"), [
    (frozenset({"泉州"}), True),
    (frozenset({"浙江"}), True),
    (frozenset({"思明区"}), False),  # a district may lie inside a piloting city
    (frozenset({"泉州", "晋江县"}), False),
    (frozenset(), False),  # no place named: nothing to compare
])
def test_a_place_of_its_own_standing(places: frozenset[str], own: bool) -> None:
    assert of_own_standing(places) is own
