"""Units a question names."""

from __future__ import annotations

import pytest

from corpus.units import load_aliases
from engine.unitname import acting, find_units


def test_a_department_without_its_place_names_every_such_unit() -> None:
    known = {"福建省税务局", "厦门市税务局", "省市场监管局", "省民政厅", "平潭综合实验区管委会"}
    aliases = load_aliases()
    assert find_units("税务局负责什么", aliases, known) == ("厦门市税务局", "福建省税务局")
    assert find_units("厦门市税务局负责什么", aliases, known) == ("厦门市税务局",)
    assert find_units("市场监管局牵头哪些", aliases, known) == ("省市场监管局",)
    assert find_units("场监管局", aliases, known) == ()  # not a fragment of another name


@pytest.mark.parametrize(("question", "sentence", "role"), [
    ("院长出差的时候，谁来主持院务会议？", "院长出差期间，由分管日常工作的副院长主持院务会议。",
     "分管日常工作的副院长"),
    ("谁负责审核报名材料？", "报名材料由招生办公室负责审核。", "招生办公室"),
    ("谁负责审核报名材料？", "由各校招生办公室负责审核报名材料。", "各校招生办公室"),
    # Another act than the one asked about, or no act asked: nobody named.
    ("谁来主持院务会议？", "由副院长召集院务会议。", None),
    ("负责人是谁？", "由副院长主持院务会议。", None),
])
def test_the_role_a_sentence_gives_the_act_asked_about(question: str, sentence: str,
                                                       role: str | None) -> None:
    assert acting(question, sentence) == role
