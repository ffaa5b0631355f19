"""What a part of a sentence does to an obligation."""

from __future__ import annotations

from engine.action import action_of
from engine.verdict import load_signals

SIGNALS = load_signals()


def test_避免_spares_no_check() -> None:
    assert action_of("避免重复检查", SIGNALS) != "relax"
    assert action_of("实行“免检查”", SIGNALS) == "relax"


def test_the_strongest_reading_first() -> None:
    assert action_of("不得收取押金，加强监管", SIGNALS) == "prohibit"
    assert action_of("执法机关要推行全程记录", SIGNALS) == "require"
