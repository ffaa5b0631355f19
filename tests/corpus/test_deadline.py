"""Deadlines as written and the dates they stand for."""

from __future__ import annotations

import datetime as dt

import pytest

from corpus.deadline import find_deadlines, parse_deadline


@pytest.mark.parametrize(("text", "written", "kind", "date"), [
    ("2022年底前规范电子处方审核", "2022年底前", "by", dt.date(2022, 12, 31)),
    ("到2025年全省培育3万名带头人", "到2025年", "by", dt.date(2025, 12, 31)),
    ("2021年6月1日起全省实行合并申报", "2021年6月1日起", "from", dt.date(2021, 6, 1)),
    ("将实施期限延长至2021年底", "至2021年底", "by", dt.date(2021, 12, 31)),
    ("2019年1月1日至12月31日，对参保企业", "2019年1月1日至12月31日", "period", dt.date(2019, 12, 31)),
    ("2021年6月底前完成", "2021年6月底前", "by", dt.date(2021, 6, 30)),
    ("自受理申请之日起20日内作出决定", "之日起20日内", "within", None),
    # Recurring: due every year (or month) by then, no one date.
    ("各单位应当于每年1月31日前报送上年度情况", "每年1月31日前", "by", None),
    ("每年3月底前公布名单", "每年3月底前", "by", None),
    ("每月10日前报送上月数据", "每月10日前", "by", None),
])
def test_find_deadlines(text: str, written: str, kind: str, date: dt.date | None) -> None:
    (found,) = find_deadlines(text)
    assert (found.text, found.kind, found.date) == (written, kind, date)


def test_years_that_are_not_deadlines() -> None:
    assert find_deadlines("落实好国家2021年版外资准入负面清单") == ()
    assert find_deadlines("组织实施2021年创业带动就业示范行动") == ()


def test_several_deadlines_in_order() -> None:
    found = find_deadlines("2021年底前制定程序，2022年底前规范审核")
    assert [d.text for d in found] == ["2021年底前", "2022年底前"]


@pytest.mark.parametrize(("cell", "kind", "date"), [
    ("2021年底前", "by", dt.date(2021, 12, 31)),
    ("按照国家部署推进", "ongoing", None),
    ("根据工作需要适时开展", "ongoing", None),
    ("按年度进行", "ongoing", None),
    ("2021年和2022年年底前分别报送", "by", dt.date(2022, 12, 31)),
])
def test_table_cells(cell: str, kind: str, date: dt.date | None) -> None:
    deadline = parse_deadline(cell)
    assert deadline is not None
    assert (deadline.text, deadline.kind, deadline.date) == (cell, kind, date)


def test_empty_cell() -> None:
    assert parse_deadline("  ") is None


def test_impossible_dates_have_no_date() -> None:
    (found,) = find_deadlines("2021年13月1日起")
    assert found.date is None
