"""A revised figure: the new one is in force, the old one is no longer so."""

from __future__ import annotations

import pytest

from engine.reply import yes_no_line
from engine.revision import revised_figure
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

# A made-up revision.
SHORTER = "将公示天数由30天缩短为15天，提高办事效率。"


@pytest.mark.parametrize(("question", "verdict"), [
    ("听说公示天数要30天，这话属实吗？", "no"),  # the figure revised away
    ("听说公示天数只需15天，这话属实吗？", "yes"),  # the figure in force
])
def test_a_claimed_figure_against_a_revision(question: str, verdict: str) -> None:
    reading = decide(q(question), [SHORTER], [], load_signals(), Places())
    assert (reading.verdict, reading.action) == (verdict, "revise")
    assert yes_no_line(q(question), reading, None, SHORTER).startswith(
        ("不是，文件规定：" if verdict == "no" else "是的，文件规定：") + "将公示天数由30天")


def test_a_figure_of_neither_or_no_revision_says_nothing() -> None:
    assert revised_figure(q("听说公示天数要20天，这话属实吗？"), [SHORTER]) is None
    assert revised_figure(q("听说公示天数要30天，这话属实吗？"), ["公示天数为30天。"]) is None
    # Another thing than the one revised, or a bound rather than an amount.
    assert revised_figure(q("听说办理天数要30天，这话属实吗？"), [SHORTER]) is None
    assert revised_figure(q("公示天数是不是不超过30天？"), [SHORTER]) is None
