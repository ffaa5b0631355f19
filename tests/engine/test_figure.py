"""A figure the question states for something the notice names in full."""

from __future__ import annotations

import pytest

from engine.figure import stated_figure
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

SENTENCE = "全市新建社区食堂力争达到200家，经济技术开发区达到30家。"


@pytest.mark.parametrize(("question", "found"), [
    ("经开区是不是也要建200家社区食堂？", ("no", "经济技术开发区达到30家")),
    ("经开区的社区食堂是不是建30家？", ("yes", "经济技术开发区达到30家")),
    # Named in full: the sentence's own words, read as any other part.
    ("经济技术开发区是不是也要建200家社区食堂？", None),
    # No figure stated, or another measure.
    ("经开区是不是也要建社区食堂？", None),
    ("经开区是否建200个社区食堂？", None),
    # A claim to confirm in the last part.
    ("经开区的社区食堂，目标也就200家，对吧？", ("no", "经济技术开发区达到30家")),
    # A bound (以上) is no amount to compare.
    ("经开区是否建200家以上？", None),
    # 新建食 is no short name: names end as bodies and places do.
    ("经开区新建食堂是不是30家？", ("yes", "经济技术开发区达到30家")),
    # A figure the asker states of themselves, before the question, is no claim.
    ("我们街道有30家食堂，经开区是不是也有？", None),
])
def test_a_stated_figure_against_the_full_names_own(question: str,
                                                    found: tuple[str, str] | None) -> None:
    result = stated_figure(q(question), [SENTENCE])
    assert (result[:2] if result else None) == found


def test_the_verdict_rests_on_the_full_names_part() -> None:
    reading = decide(q("经开区是不是也要建200家社区食堂？"), [SENTENCE], [], load_signals(), Places())
    assert (reading.verdict, reading.segment) == ("no", "经济技术开发区达到30家")


def test_a_figure_for_something_else_is_no_claim() -> None:
    assert stated_figure(q("小型微利企业是否须超过300名员工？"),
                         ["小型微利企业从业人员不超过300名，资产总额不超过5000万元。"]) is None

