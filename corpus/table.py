"""Task tables as tables: the rows of a DOCX, HTML or PDF table, with columns found by their role.

A task table (工作任务分工表) has a numbering column, a task column, one or more unit columns
(牵头单位, 责任单位, 配合单位) and a deadline column (完成时限, 时间). The columns come in any order
and with many header wordings, so each header cell is matched against the role words in
``data/table_roles.json``. Group rows (``一 | 进一步推动优化就业环境``, often one merged cell) start a
group; numbered rows are tasks. A table without a task column is not a task table, and the
parser reads it as lines of text instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from contract.errors import DataError
from corpus.appendix import AppendixRow
from corpus.numerals import NUMERAL_CHARS, chinese_to_int
from corpus.text import clean_line

ROLES_FILE = Path(__file__).parent / "data" / "table_roles.json"
Role = Literal["number", "task", "lead", "partner", "deadline"]
_ROLES: tuple[Role, ...] = ("number", "task", "lead", "partner", "deadline")
_GROUP_CELL = re.compile(rf"^(?P<n>[{NUMERAL_CHARS}]+)(?:[、.．\s]+(?P<title>\S.*))?$")
_ROW_NUMBER = re.compile(r"^(?P<n>\d{1,3})[.．、]?$")
_HEADER_ROWS = 3  # a header is found within the first rows, or there is none


@dataclass(frozen=True)
class Table:
    """A table as a reader found it: rows of cell texts (a merged cell repeats its text)."""

    rows: tuple[tuple[str, ...], ...]

    def lines(self) -> list[str]:
        """The table flattened as PDF text extraction would give it: cells joined by spaces."""
        return [" ".join(_distinct(row)) for row in self.rows if any(c.strip() for c in row)]


@lru_cache(maxsize=1)
def _role_words() -> dict[Role, tuple[str, ...]]:
    try:
        data = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
        return {role: tuple(data[role]) for role in _ROLES}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"table role list {ROLES_FILE} is missing or invalid: {exc}") from exc


def cell_text(text: str) -> str:
    """A cell's text on one line, cleaned as a line of the text reader is."""
    return clean_line(" ".join(text.splitlines()))


def column_role(header: str) -> Role | None:
    """The role a header cell names (``省级牵头单位`` → lead), or None."""
    text = cell_text(header)
    if not text or len(text) > 12:
        return None
    words = _role_words()
    # Partner before lead: 配合单位 is not a lead, 牵头单位 is; a bare 责任单位 counts as lead,
    # as the text reader reads a task row's one unit column.
    for role in ("number", "partner", "lead", "deadline", "task"):
        if any(word in text for word in words[role]):
            return role
    return None


def column_roles(table: Table) -> tuple[int, dict[int, Role]] | None:
    """The header row's position and its columns' roles, if the table is a task table."""
    for position, row in enumerate(table.rows[:_HEADER_ROWS]):
        roles = {i: role for i, cell in enumerate(row) if (role := column_role(cell))}
        found = set(roles.values())
        if "task" in found and found & {"lead", "partner", "deadline"}:
            return position, roles
    return None


def task_rows(table: Table) -> list[AppendixRow] | None:
    """The task rows of a task table, grouped as the text reader groups them; None if the
    table is not a task table."""
    header = column_roles(table)
    if header is None:
        return None
    start, roles = header
    columns: dict[Role, list[int]] = {}
    for index, role in sorted(roles.items()):
        columns.setdefault(role, []).append(index)
    header_row = table.rows[start]
    rows: list[AppendixRow] = []
    group_no, group_number, group_title = 0, "", ""
    for row in table.rows[start + 1:]:
        if tuple(row) == tuple(header_row):
            continue  # the header repeated on the next page
        cells = [cell_text(c) for c in row]
        distinct = _distinct(cells)
        if not distinct:
            continue
        group = _group(distinct)
        if group is not None:
            group_no, group_number, group_title = chinese_to_int(group[0]), group[0], group[1]
            continue
        number = _row_number(cells, columns.get("number", []))
        task = _join(cells, columns.get("task", []))
        if not task:
            continue
        if number is None:
            number = (rows[-1].row_no + 1) if rows and rows[-1].group_no == group_no else 1
        rows.append(AppendixRow(
            group_no=group_no, group_number=group_number, group_title=group_title,
            row_no=number, task=task, units=_join(cells, columns.get("lead", []), "，"),
            partners=_join(cells, columns.get("partner", []), "，"),
            deadline=_join(cells, columns.get("deadline", []), "；"),
        ))
    return rows


def _distinct(cells: Sequence[str]) -> list[str]:
    """Non-empty cells, a merged cell's repeats dropped."""
    out: list[str] = []
    for cell in cells:
        if cell.strip() and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _group(cells: list[str]) -> tuple[str, str] | None:
    """(numeral, title) of a group row: ``一 | 标题`` or one cell ``一、标题``."""
    first = _GROUP_CELL.match(cells[0])
    if first is None:
        return None
    if first.group("title") and len(cells) == 1:
        return first.group("n"), first.group("title")
    if not first.group("title") and len(cells) == 2:
        return first.group("n"), cells[1]
    return None


def _row_number(cells: list[str], columns: list[int]) -> int | None:
    for index in columns:
        if index < len(cells) and (match := _ROW_NUMBER.match(cells[index])):
            return int(match.group("n"))
    return None


def _join(cells: list[str], columns: list[int], separator: str = "") -> str:
    parts = _distinct([cells[i] for i in columns if i < len(cells)])
    return separator.join(parts)
