"""The report page: one server-rendered HTML document with inline SVG charts, no script.

:func:`render_page` is a pure function of a :class:`~usage.report.Report`; the API serves it
behind the admin key and ``policyqa report --format html`` writes it to a file. Every text that
came from a user or a notice (questions, comments, clause labels) is escaped. The only style is
one ``<style>`` element, which carries ``nonce`` when one is given, so the page works under
``default-src 'none'; style-src 'nonce-…'``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from usage.charts import PALETTE, Series, bar_chart, hbar_chart, line_chart
from usage.report import ALL_CHANNELS, Report
from usage.tables import Table, summary, tables

CsvHref = Callable[[str], str]
"""A table's name → the address of its CSV file."""

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0;
       color: #1f2328; background: #f6f7f9; line-height: 1.6; }
header { background: #1f4e79; color: #fff; padding: .8rem 1.5rem; }
header h1 { margin: 0; font-size: 1.25rem; }
main { max-width: 72rem; margin: 1.25rem auto; padding: 0 1rem 4rem; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px;
          padding: .5rem 1.25rem 1rem; margin-bottom: 1.25rem; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.cards li { border: 1px solid #dde1e6; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.cards b { display: block; font-size: 1.4rem; }
.chart { width: 100%; height: auto; max-width: 720px; display: block; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f3f4f6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; }
.muted { color: #57606a; }
"""


def render_page(report: Report, *, nonce: str | None = None,
                csv_href: CsvHref | None = None) -> str:
    """The whole report page as an HTML document."""
    parts = tables(report)
    nonce_attr = f' nonce="{escape(nonce)}"' if nonce else ""
    body = "".join((
        _summary(report),
        _traffic(report),
        _unanswered(report, parts["unanswered"], csv_href),
        _topics(report, parts["topics"], csv_href),
        _disliked(report, parts["disliked"], csv_href),
        _section(parts["daily"], "", csv_href),
    ))
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>问答使用报告 · policyqa</title>
<style{nonce_attr}>{STYLE}</style></head>
<body><header><h1>问答使用报告</h1></header><main>{body}</main></body></html>
"""


def _summary(report: Report) -> str:
    period, ratings = report.period, report.ratings
    cards = (("提问", str(report.asked)), ("已回答", str(report.answered)),
             ("回答率", f"{report.answer_rate * 100:.1f}%"),
             ("未回答", str(report.unanswered_count)), ("未回答问题分组", str(len(report.unanswered))),
             ("点赞", str(ratings.up)), ("点踩", str(ratings.down)))
    items = "".join(f"<li>{escape(name)}<b>{escape(value)}</b></li>" for name, value in cards)
    return (f'<section><h2>概况</h2><p class="muted">统计区间：'
            f'{period.local(period.since):%Y-%m-%d %H:%M} 至 '
            f'{period.local(period.until):%Y-%m-%d %H:%M}（{escape(period.zone)}）</p>'
            f'<ul class="cards">{items}</ul>'
            f'<p class="muted">{escape(summary(report).splitlines()[-1])}</p></section>')


def _traffic(report: Report) -> str:
    days = report.period.days()
    totals = {row.day: row for row in report.days if row.channel == ALL_CHANNELS}
    labels = [f"{day:%m-%d}" for day in days]
    rows = [totals.get(day) for day in days]
    asked = Series("提问", tuple(float(r.asked) if r else 0.0 for r in rows), PALETTE[0])
    answered = Series("已回答", tuple(float(r.answered) if r else 0.0 for r in rows), PALETTE[1])
    rate = Series("回答率", tuple(r.answer_rate * 100 if r else None for r in rows), PALETTE[0])
    p50 = Series("耗时中位数", tuple(r.p50_ms if r else None for r in rows), PALETTE[1])
    p95 = Series("耗时P95", tuple(r.p95_ms if r else None for r in rows), PALETTE[2])
    return ("<section><h2>每日提问与回答</h2>"
            + bar_chart("每日提问数与已回答数", labels, (asked, answered))
            + line_chart("每日回答率（%）", labels, (rate,), lambda v: f"{v:g}%", top=100.0)
            + line_chart("每日回答耗时（毫秒）", labels, (p50, p95), lambda v: f"{v:g} ms")
            + "</section>")


def _unanswered(report: Report, table: Table, csv_href: CsvHref | None) -> str:
    if not report.unanswered:
        return _section(table, '<p class="muted">本期没有未回答的问题。</p>', csv_href, rows=False)
    groups = []
    for number, cluster in enumerate(report.unanswered, start=1):
        questions = "".join(f'<li>{escape(q.text)} <span class="muted">×{q.count}</span></li>'
                            for q in cluster.questions)
        groups.append(
            f'<tr><td class="n">{number}</td><td>{escape(cluster.representative)}</td>'
            f'<td class="n">{cluster.count}</td><td class="n">{len(cluster.questions)}</td>'
            f"<td><details><summary>查看 {len(cluster.questions)} 个问题</summary>"
            f"<ul>{questions}</ul></details></td></tr>")
    intro = ('<p class="muted">相近的问题归为一组，按提问次数排序；代表问题是与组内其他问题最相近的一个。'
             "这些是文件尚未覆盖、可考虑补充的内容。</p>")
    if report.ungrouped:
        grouped = sum(len(cluster.questions) for cluster in report.unanswered) - report.ungrouped
        intro += (f'<p class="muted">不同的问题太多，只分组了提问最多的 {grouped} 个；'
                  f"其余 {report.ungrouped} 个问题未分组，各自单列在最后。</p>")
    grid = ("<table><thead><tr><th>组</th><th>代表问题</th><th>提问次数</th><th>不同问法</th>"
            f"<th>组内问题</th></tr></thead><tbody>{''.join(groups)}</tbody></table>")
    return _section(table, intro + grid, csv_href, rows=False)


def _topics(report: Report, table: Table, csv_href: CsvHref | None) -> str:
    items = [(t.label or t.citation, float(t.count)) for t in report.topics[:10]]
    chart = hbar_chart("最常作为首要依据的条款（前 10）", items) if items else ""
    return _section(table, chart, csv_href)


def _disliked(report: Report, table: Table, csv_href: CsvHref | None) -> str:
    reasons = [(label, float(count)) for label, count in report.ratings.reasons]
    chart = hbar_chart("点踩的原因", reasons, PALETTE[2]) if reasons else ""
    return _section(table, chart, csv_href)


def _section(table: Table, before: str, csv_href: CsvHref | None, rows: bool = True) -> str:
    link = (f' <a href="{escape(csv_href(table.name))}" download>下载 CSV</a>'
            if csv_href else "")
    head = f"<h2>{escape(table.title)}（{len(table.rows)}）{link}</h2>"
    return f'<section id="{table.name}">{head}{before}{_table(table) if rows else ""}</section>'


def _table(table: Table) -> str:
    if not table.rows:
        return '<p class="muted">（无）</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{value}</td>' if isinstance(value, int | float)
                         else f"<td>{escape(value)}</td>" for value in row) + "</tr>"
        for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
