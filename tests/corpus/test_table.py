"""Task tables: columns found by role whatever their order and wording."""

from __future__ import annotations

import pytest

from corpus.table import Table, column_role, task_rows


@pytest.mark.parametrize(("header", "role"), [
    ("序号", "number"), ("编号", "number"), ("工作内容", "task"), ("重点任务", "task"),
    ("改革事项", "task"), ("省级牵头单位", "lead"), ("牵头部门", "lead"), ("责任单位", "lead"),
    ("配合单位", "partner"), ("协办部门", "partner"), ("完成时限", "deadline"),
    ("完成时间", "deadline"), ("时间安排", "deadline"), ("备注", None), ("", None),
    ("加快推进营业执照办理，压缩审批时间", None),
])
def test_header_roles(header: str, role: str | None) -> None:
    assert column_role(header) == role


def test_rows_grouped_and_numbered() -> None:
    table = Table(rows=(
        ("完成时限", "任务", "序号", "牵头单位"),
        ("一、优化营商环境", "一、优化营商环境", "一、优化营商环境", "一、优化营商环境"),
        ("2022年底前", "推行告知\n承诺制。", "1", "省商务厅"),
        ("长期坚持", "压缩办理时间。", "", "省发改委"),
        ("完成时限", "任务", "序号", "牵头单位"),  # the header again, on the next page
        ("二", "加强监管", "", ""),
        ("2023年6月底前", "开展双随机抽查。", "1", "省市场监管局"),
    ))
    rows = task_rows(table)
    assert rows is not None
    assert [(r.group_no, r.group_title, r.row_no, r.task, r.units, r.deadline) for r in rows] == [
        (1, "优化营商环境", 1, "推行告知承诺制。", "省商务厅", "2022年底前"),
        (1, "优化营商环境", 2, "压缩办理时间。", "省发改委", "长期坚持"),
        (2, "加强监管", 1, "开展双随机抽查。", "省市场监管局", "2023年6月底前"),
    ]


def test_a_table_without_a_task_column_is_text() -> None:
    table = Table(rows=(("指标", "指标来源"), ("门诊人次数", "医院填报")))
    assert task_rows(table) is None
    assert table.lines() == ["指标 指标来源", "门诊人次数 医院填报"]
