"""Pilots: whether the asker's place may lie inside one of a pilot's places."""

from __future__ import annotations

import pytest

from engine.pilot import outside_for_sure, outside_pilot, outside_zone, sweeps_past
from engine.verdict import load_signals
from tests.engine.test_verdict import Places, q

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


@pytest.mark.parametrize(("asking", "part", "relaxes", "trial", "sweeps"), [
    # Every one of a kind, against a pilot the asker is not in (trial).
    ("听说所有林场都改成网上登记了，真的吗？", TRIED, False, True, True),
    ("听说所有林场都改成网上登记了，真的吗？", "所有林场实行网上登记。", False, False, False),
    ("我所有材料都备齐了，能网上登记吗？", TRIED, False, True, False),  # the asker's own
    # Every one against an easing is a sweeping word's business (一律), not 所有's.
    ("听说所有林场都不用登记了，真的吗？", "取消林场登记。", True, False, False),
    ("林场一律得网上登记吗？", "取消林场登记。", True, False, True),
])
def test_a_claim_past_what_the_part_says(asking: str, part: str, relaxes: bool, trial: bool,
                                         sweeps: bool) -> None:
    assert sweeps_past(asking, part, relaxes, trial, load_signals()) is sweeps


def test_all_of_a_kind_only_against_a_pilot_the_asker_is_not_in() -> None:
    asking = "听说所有林场都改成网上登记了，真的吗？"
    assert not sweeps_past(asking, TRIED, False, False, load_signals())
    # The asker's own in the clause saying it.
    assert not sweeps_past("咱村所有农户都签了合同，能网上登记吗？", TRIED, False, True,
                           load_signals())


@pytest.mark.parametrize(("asked", "outside"), [
    ({"三明"}, True), ({"三明市"}, True),
    ({"平潭"}, False), ({"福建"}, False), ({"滨海新区"}, False),  # a zone itself, a province
])
def test_a_city_named_without_the_free_trade_zone(asked: set[str], outside: bool) -> None:
    part = "在自贸试验区开展民办职业培训机构设立告知承诺制试点"
    assert outside_zone(frozenset(asked), part) is outside
    assert not outside_zone(frozenset(asked), "在国家高新区开展告知承诺制试点")


def test_a_pilot_run_so_far_names_its_places() -> None:
    # 在…试点基础上: the pilot run so far, in places other than the asker's.
    question = q("林权收储试点是在泉州搞的吧？")
    part = "在福州、厦门林权收储试点基础上"
    assert outside_pilot(question, part, SIGNALS, Places(), part + "，完善收储办法。")
    # …unless the sentence takes it further, to the asker's place too.
    assert not outside_pilot(question, part, SIGNALS, Places(), part + "，推广至全省。")
