"""Responsibility parentheses and the unit alias table."""

from __future__ import annotations

import pytest

from corpus.document import Unit
from corpus.units import (
    UnitAliases,
    is_responsibility,
    load_aliases,
    parse_responsibility,
    parse_unit_list,
)


@pytest.fixture(scope="module")
def aliases() -> UnitAliases:
    return load_aliases()


def names(units: tuple[Unit, ...]) -> list[str]:
    return [u.name + ("*" if u.lead else "") for u in units]


@pytest.mark.parametrize(("text", "expected"), [
    ("省人社厅、住建厅、农业农村厅、市场监管局等部门按职责分工负责",
     ["省人社厅", "省住建厅", "省农业农村厅", "省市场监管局"]),
    ("省住建厅牵头，省有关部门按职责分工负责", ["省住建厅*"]),
    ("省委编办，省审改办、市场监管局等省有关部门按职责分工负责", ["省委编办", "省审改办", "省市场监管局"]),
    ("省财政厅，福建省税务局、厦门市税务局等部门按职责分工负责",
     ["省财政厅", "福建省税务局", "厦门市税务局"]),
    ("市人社局、住建局等部门按职责分工负责", ["市人社局", "市住建局"]),
    ("人力资源社会保障部等有关部门和单位负责", ["人力资源社会保障部"]),
    ("各有关部门和单位按职责分工负责", ["各有关部门和单位"]),
    ("农业农村部、工业和信息化部牵头负责", ["农业农村部*", "工业和信息化部*"]),
    ("全国总工会等和各省级人民政府负责", ["全国总工会", "各省级人民政府"]),
    ("省人力资源和社会保障厅、卫生健康委员会负责", ["省人社厅", "省卫健委"]),
])
def test_unit_lists(aliases: UnitAliases, text: str, expected: list[str]) -> None:
    assert names(parse_unit_list(text, aliases)) == expected


def test_all_lead_for_table_columns(aliases: UnitAliases) -> None:
    assert names(parse_unit_list("省人社厅、商务厅", aliases, all_lead=True)) == ["省人社厅*", "省商务厅*"]


def test_standing_rule(aliases: UnitAliases) -> None:
    found = parse_responsibility(
        "省人社厅等部门按职责分工负责。以下任务均需各设区市人民政府、平潭综合实验区管委会落实，不再列出",
        aliases)
    assert found.standing_units == ("各设区市人民政府", "平潭综合实验区管委会")
    assert names(found.units) == ["省人社厅"]


@pytest.mark.parametrize("text", ["人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同",
                                  "人力资源社会保障部、财政部负责，排在第一位的部门为牵头部门，下同"])
def test_lead_first_rule(aliases: UnitAliases, text: str) -> None:
    found = parse_responsibility(text, aliases)
    assert names(found.units) == ["人力资源社会保障部*", "财政部"]
    assert found.lead_first and found.lead_first_below


def test_lead_first_without_below(aliases: UnitAliases) -> None:
    found = parse_responsibility("甲部、乙部负责，列第一位者为牵头单位", aliases)
    assert found.lead_first and not found.lead_first_below


def test_is_responsibility() -> None:
    assert is_responsibility("省民政厅等部门按职责分工负责")
    assert not is_responsibility("CNAS")
    assert not is_responsibility("含100万元")


def test_aliases_canonical_and_prefix(aliases: UnitAliases) -> None:
    assert aliases.canonical("省人力资源社会保障厅") == "省人社厅"
    assert aliases.canonical("市场监督管理局") == "市场监管局"
    assert aliases.canonical("福建省税务局") == "福建省税务局"
    assert aliases.split_prefix("省住建厅") == ("省", "住建厅")
    assert aliases.split_prefix("市场监管局") == ("", "市场监管局")
    assert "人力资源和社会保障厅" in aliases.names()


def test_bad_alias_file(tmp_path: object) -> None:
    from pathlib import Path

    from contract.errors import DataError

    path = Path(str(tmp_path)) / "aliases.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match="alias table"):
        load_aliases(path)
