"""What kind of fact a question asks for, and whether a clause holds it."""

from __future__ import annotations

import pytest

from engine.answertype import QUANTITY


@pytest.mark.parametrize(("text", "found"), [
    ("资料应当留存五年", ["五年"]),
    ("在次月十五日内报送", ["十五日"]),
    ("补贴一百元", ["一百元"]),
    ("编号共12位", ["12位"]),
    ("设立一个窗口", []),  # 一 as "a"
    ("统一标准", []),
    ("2030年底前完成", []),
])
def test_quantities_in_digits_or_characters(text: str, found: list[str]) -> None:
    assert [m.group(0) for m in QUANTITY.finditer(text)] == found
