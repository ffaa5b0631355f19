"""Items of a list of punished conduct."""

from __future__ import annotations

from engine.penalty import punished
from engine.verdict import load_signals
from tests.engine.test_verdict import q

SIGNALS = load_signals()
CLAUSE = ("出租车驾驶员有下列行为之一的，由交通运输主管部门责令改正，处200元以下的罚款："
          "（一）拒载乘客；（二）不按规定使用计价器；（三）途中甩客。")
ITEM = "（二）不按规定使用计价器；"


def test_an_item_is_not_allowed_and_is_punished() -> None:
    assert punished(q("出租车司机可以不打表吗？"), [ITEM], CLAUSE, SIGNALS) == \
        ("no", "（二）不按规定使用计价器", "prohibit")
    assert punished(q("出租车司机不打表会被罚款吗？"), [ITEM], CLAUSE, SIGNALS) == \
        ("yes", "（二）不按规定使用计价器", "supervise")


def test_no_reading_without_a_punishing_lead_or_an_item() -> None:
    plain = "有下列情形之一的，应当及时报告：（一）乘客遗失物品；（二）车辆发生故障。"
    assert punished(q("出租车司机可以不报告吗？"), ["（二）车辆发生故障。"], plain, SIGNALS) is None
    assert punished(q("出租车司机可以不打表吗？"), ["不按规定使用计价器的，处罚款。"], CLAUSE,
                    SIGNALS) is None
