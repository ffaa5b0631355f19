"""The report as tables: each part's name, Chinese title, headers and rows, as CSV or as text.

The page (:mod:`usage.page`), the CSV exports and ``policyqa report`` all show these same rows,
so what a CSV holds is what the page shows.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from usage.report import ALL_CHANNELS, Report
from usage.spreadsheet import formula_safe

Cell = str | int | float
NAMES = ("topics", "daily", "disliked", "unanswered")
"""The tables of a report, in the order the page and the text show them."""
CHANNELS = {"api": "API", "widget": "网页组件", "telegram": "Telegram", "wecom": "企业微信",
            "dingtalk": "钉钉", "cli": "命令行", ALL_CHANNELS: "全部渠道"}
STATUSES = {"answered": "已回答", "not_found": "未找到依据"}
CSV_BOM = "\ufeff"
"""Written before a CSV file so that spreadsheet programs read it as UTF-8."""


@dataclass(frozen=True)
class Table:
    """One part of the report as rows of cells."""

    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def channel_label(channel: str) -> str:
    return CHANNELS.get(channel, channel)


def status_label(status: str) -> str:
    return STATUSES.get(status, status)


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def tables(report: Report) -> dict[str, Table]:
    """Every table of ``report`` by name (see :data:`NAMES`)."""
    topics = Table("topics", "最常问的条款", ("条款", "条款标题", "作为首要依据", "作为其他依据"), tuple(
        (t.citation, t.label or "", t.count, t.also_cited) for t in report.topics))
    local, zone = report.period.local, report.period.zone
    daily = Table("daily", f"每日回答率与耗时（{zone} 日期）",
                  ("日期", "渠道", "提问数", "已回答", "回答率", "耗时中位数(ms)", "耗时P95(ms)"),
                  tuple((d.day.isoformat(), channel_label(d.channel), d.asked, d.answered,
                         _percent(d.answer_rate), d.p50_ms, d.p95_ms) for d in report.days))
    disliked = Table(
        "disliked", "被点踩的回答", (f"点踩时间({zone})", "渠道", "问题", "回答状态", "引用条款", "原因",
                                 "补充说明", "回答编号"),
        tuple((_time(local(d.rated_at)), channel_label(d.channel), d.question, status_label(d.status),
               " ".join(d.citations), d.reason_label, d.comment or "", d.answer_id)
              for d in report.disliked))
    unanswered = Table(
        "unanswered", "未回答的问题（按相似度分组）", ("组", "代表问题", "组内提问次数", "问题", "提问次数"),
        tuple((number, cluster.representative, cluster.count, question.text, question.count)
              for number, cluster in enumerate(report.unanswered, start=1)
              for question in cluster.questions))
    return {table.name: table for table in (topics, daily, disliked, unanswered)}


def to_csv(table: Table) -> str:
    """The table as CSV (a header row, then the rows; ``\\r\\n`` line ends, no BOM). A text
    that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` first) gets a ``'``
    before it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    writer.writerows(tuple(formula_safe(value) for value in row) for row in table.rows)
    return buffer.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Cell, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    if _width(text) <= limit:
        return text
    kept = ""
    for ch in text:
        if _width(kept + ch) > limit - 1:
            break
        kept += ch
    return kept + "…"


def to_text(table: Table) -> str:
    """The table as aligned plain text under its title (wide characters count double)."""
    lines = [f"{table.title}（{len(table.rows)}）"]
    if not table.rows:
        return lines[0] + "\n  （无）\n"
    cells = [[_cell(h) for h in table.headers]] + [[_cell(v) for v in row] for row in table.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(table.headers))]
    for row in cells:
        padded = [value + " " * (widths[i] - _width(value)) for i, value in enumerate(row)]
        lines.append("  " + "  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """One paragraph of totals: the period, questions, answer rate, ratings."""
    period = report.period
    reasons = "，".join(f"{label} {count}" for label, count in report.ratings.reasons)
    return (f"统计区间：{_time(period.local(period.since))} 至 {_time(period.local(period.until))}"
            f"（{period.zone}）\n"
            f"提问 {report.asked} 次，已回答 {report.answered} 次（回答率 "
            f"{_percent(report.answer_rate)}），未回答 {report.unanswered_count} 次，"
            f"分为 {len(report.unanswered)} 组"
            + (f"（其中 {report.ungrouped} 个问题提问较少、未分组）" if report.ungrouped else "")
            + "\n"
            f"点赞 {report.ratings.up} 次，点踩 {report.ratings.down} 次"
            + (f"（{reasons}）" if reasons else "") + "\n")


def to_plain_text(report: Report) -> str:
    """The whole report as text, for ``policyqa report``."""
    parts = [summary(report)] + [to_text(table) for table in tables(report).values()]
    return "\n".join(parts)
