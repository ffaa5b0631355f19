"""Pilots: whether the asker's place may lie inside one of a pilot's places."""

from __future__ import annotations

import pytest

from engine.pilot import outside_for_sure
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

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


@pytest.mark.parametrize(("question", "verdict", "trial"), [
    ("我在泉州开了家药店，也能办这个许可吗？", "no", False),  # a city outside the pilot's
    ("我在思明区开了家药店，也能办这个许可吗？", None, True),  # may lie inside 厦门: quoted
    ("我在厦门开了家药店，也能办这个许可吗？", "yes", False),  # inside the pilot
])
def test_asking_whether_one_may_do_what_a_pilot_tries_elsewhere(question: str,
                                                                verdict: str | None,
                                                                trial: bool) -> None:
    reading = decide(q(question, "can"), ["在福州、厦门开展药店综合许可试点。"], [], SIGNALS,
                     Places())
    assert (reading.verdict, reading.trial) == (verdict, trial)
