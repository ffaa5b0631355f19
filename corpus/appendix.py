"""The appendix task table (附件 工作任务分工表), flattened to lines by PDF extraction.

A table ``序号 工作内容 省级牵头单位 完成时限`` arrives as group headers (``一 进一步推动优化就业环境``)
and rows (``1 <task text>。 省人社厅 按照国家部署推进``) whose columns are separated by spaces;
a row's text may run on over several lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.numerals import NUMERAL_CHARS, chinese_to_int
from corpus.text import clean_line

APPENDIX_START = re.compile(r"^附件\s*\d*\s*(?:[:：].*)?$")
ATTACHMENT_REF = re.compile(r"^附件\s*\d*\s*[:：]\s*(?P<name>.+)$")
_GROUP = re.compile(rf"^(?P<n>[{NUMERAL_CHARS}]+)(?:\s+|、)(?P<title>\S.*)$")
_ROW = re.compile(r"^(?P<n>\d{1,3})(?:\s+|[\.．、](?!\d))(?P<rest>\S.*)$")
_HEADER = re.compile(r"序号")
_DEADLINE_CELL = re.compile(r"(?:\d{4}年|按照|根据|按年度|长期|持续)")


@dataclass
class AppendixRow:
    """One task row: its group, its number and its three text columns."""

    group_no: int
    group_number: str
    group_title: str
    row_no: int
    task: str = ""
    units: str = ""
    """The lead (or responsible) units column as written."""
    partners: str = ""
    """The 配合单位 column of a table that has one."""
    deadline: str = ""
    raw: list[str] = field(default_factory=list)


@dataclass
class Appendix:
    """The rows of an appendix table, with the title lines that preceded them."""

    title: str = ""
    rows: list[AppendixRow] = field(default_factory=list)


def parse_appendix(lines: list[str]) -> Appendix:
    """Parse the raw (uncleaned) lines of an appendix into task rows."""
    appendix = Appendix()
    group_no, group_number, group_title = 0, "", ""
    title_lines: list[str] = []
    current: AppendixRow | None = None
    for raw_line in lines:
        line = raw_line.strip(" \t\u3000\u00a0")
        if not line or APPENDIX_START.match(line) or (_HEADER.search(line) and current is None):
            continue
        group = _GROUP.match(line)
        row = _ROW.match(line)
        if group and not row:
            group_no = chinese_to_int(group.group("n"))
            group_number, group_title = group.group("n"), clean_line(group.group("title"))
            current = None
        elif row:
            current = AppendixRow(group_no=group_no, group_number=group_number,
                                  group_title=group_title, row_no=int(row.group("n")),
                                  raw=[row.group("rest")])
            appendix.rows.append(current)
        elif current is not None:
            current.raw.append(line)
        else:
            title_lines.append(clean_line(line))
    appendix.title = title_lines[-1] if title_lines else ""
    for item in appendix.rows:
        item.task, item.units, item.deadline = split_row(" ".join(item.raw))
    return appendix


def split_row(raw: str) -> tuple[str, str, str]:
    """Split a row's text into (task, lead units, deadline), each cleaned."""
    raw = raw.strip()
    cut = max(raw.rfind("。 "), raw.rfind("。\u3000"))
    if cut >= 0:
        task, tail = raw[: cut + 1], raw[cut + 1:].split()
    else:
        tokens = raw.split()
        # Without a full stop, the last two space-separated cells are units and deadline.
        if len(tokens) >= 3 and _DEADLINE_CELL.match(tokens[-1]):
            task, tail = " ".join(tokens[:-2]), tokens[-2:]
        else:
            return clean_line(raw), "", ""
    if not tail:
        return clean_line(task), "", ""
    if len(tail) == 1 and _DEADLINE_CELL.match(tail[0]):
        return clean_line(task), "", clean_line(tail[0])
    return clean_line(task), clean_line(tail[0]), clean_line(" ".join(tail[1:]))
