"""Units a question names."""

from __future__ import annotations

from corpus.units import load_aliases
from engine.unitname import find_units


def test_a_department_without_its_place_names_every_such_unit() -> None:
    known = {"福建省税务局", "厦门市税务局", "省市场监管局", "省民政厅", "平潭综合实验区管委会"}
    aliases = load_aliases()
    assert find_units("税务局负责什么", aliases, known) == ("厦门市税务局", "福建省税务局")
    assert find_units("厦门市税务局负责什么", aliases, known) == ("厦门市税务局",)
    assert find_units("市场监管局牵头哪些", aliases, known) == ("省市场监管局",)
    assert find_units("场监管局", aliases, known) == ()  # not a fragment of another name
