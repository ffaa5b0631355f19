"""Writing a notice as a web page, a Word file and a PDF, the way portals and offices publish
them, so that the readers can be checked against the text reader.

The notice's body lines become paragraphs; its appendix task table (flattened to lines in the
text file) becomes a real table with the columns in any order and under any header wording.
The PDF has a real text layer (reportlab with the built-in STSong-Light CID font, so no font
file is needed), running heads and page numbers, and a table that runs over several pages.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.appendix import AppendixRow, parse_appendix

# (role, header) of each column, in the table's order.
Columns = Sequence[tuple[str, str]]
FUJIAN_COLUMNS: Columns = (("number", "序号"), ("task", "工作内容"), ("lead", "省级牵头单位"),
                           ("deadline", "完成时限"))
SHUFFLED_COLUMNS: Columns = (("deadline", "完成时间"), ("lead", "牵头单位"), ("number", "编号"),
                             ("task", "工作任务"))


@dataclass(frozen=True)
class Layout:
    """A notice split into the paragraphs before its task table and the table's rows."""

    paragraphs: list[str]
    rows: list[AppendixRow]


def layout(text: str) -> Layout:
    """Paragraphs up to the table's header line (序号 …), then the table's rows."""
    lines = [line for line in text.splitlines() if line.strip()]
    header = next((i for i, line in enumerate(lines) if line.strip().startswith("序号")),
                  len(lines))
    return Layout(paragraphs=lines[:header], rows=parse_appendix(lines[header:]).rows)


def table_rows(rows: list[AppendixRow], columns: Columns) -> list[list[str] | tuple[str, str]]:
    """Header, then per group a ``(numeral, title)`` group row and its task rows as cells."""
    out: list[list[str] | tuple[str, str]] = [[header for _, header in columns]]
    group = None
    for row in rows:
        if row.group_number != group:
            group = row.group_number
            out.append((row.group_number, row.group_title))
        cells = {"number": str(row.row_no), "task": row.task, "lead": row.units,
                 "partner": row.partners, "deadline": row.deadline}
        out.append([cells[role] for role, _ in columns])
    return out


def to_html(text: str, *, columns: Columns = FUJIAN_COLUMNS, title: str | None = None,
            issuer: str | None = None, published: str | None = None) -> bytes:
    """A portal page: navigation, breadcrumbs, the article (with its table), a footer."""
    notice = layout(text)
    body = "\n".join(f"<p style=\"text-indent:2em\">{html.escape(p)}</p>"
                     for p in notice.paragraphs)
    table = ""
    if notice.rows:
        cells = []
        for row in table_rows(notice.rows, columns):
            if isinstance(row, tuple):
                cells.append(f"<tr><td>{row[0]}</td><td colspan=\"{len(columns) - 1}\">"
                             f"<strong>{html.escape(row[1])}</strong></td></tr>")
            else:
                cells.append("<tr>" + "".join(f"<td><p>{html.escape(c)}</p></td>" for c in row)
                             + "</tr>")
        table = "<table border=\"1\"><tbody>" + "\n".join(cells) + "</tbody></table>"
    meta = "".join(f"<meta name=\"{name}\" content=\"{html.escape(value)}\">" for name, value in
                   (("ArticleTitle", title), ("ContentSource", issuer), ("PubDate", published))
                   if value)
    nav = "".join(f"<li><a href=\"/{i}\">栏目{i}：政务公开 政策解读 互动交流</a></li>"
                  for i in range(12))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">{meta}<title>政府门户网站</title>
<script>var tracker = "首页 政务公开 政策文件 这里不是正文";</script>
<style>.nav li {{ display: inline }}</style></head>
<body><header><div class="logo">政府门户网站</div><ul class="nav">{nav}</ul></header>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zc">政策</a> &gt; 文件</div>
<div class="main"><div class="side"><h3>相关链接</h3><ul>{nav}</ul></div>
<div class="article"><div id="zoom" class="TRS_Editor">
{body}
{table}
</div><div class="share">分享到：微信 微博</div></div></div>
<footer><p>主办：政府办公厅 版权所有 网站标识码 3500000000 备案号 闽ICP备00000000号</p></footer>
</body></html>"""
    return page.encode("utf-8")


def to_docx(text: str, *, columns: Columns = FUJIAN_COLUMNS) -> bytes:
    """A Word file: paragraphs, then the task table with merged group rows."""
    from docx import Document

    notice = layout(text)
    document = Document()
    for paragraph in notice.paragraphs:
        document.add_paragraph(paragraph)
    if notice.rows:
        rows = table_rows(notice.rows, columns)
        table = document.add_table(rows=len(rows), cols=len(columns))
        for r, row in enumerate(rows):
            cells = table.rows[r].cells
            if isinstance(row, tuple):
                cells[0].text = row[0]
                merged = cells[1].merge(cells[len(columns) - 1])
                merged.text = row[1]
            else:
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_FONT = "STSong-Light"


def to_pdf(text: str, *, columns: Columns = FUJIAN_COLUMNS, header: str = "福建省人民政府办公厅文件",
           encrypt: str | None = None) -> bytes:
    """A PDF with a text layer: indented paragraphs, a ruled table repeated over pages, a running
    head and a page number at the foot of every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    notice = layout(text)
    body = ParagraphStyle("body", fontName=_FONT, fontSize=12, leading=20, firstLineIndent=24,
                          wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=_FONT, fontSize=9, leading=12, wordWrap="CJK")
    story: list[object] = [Paragraph(html.escape(p.strip(" \u3000")), body)
                           for p in notice.paragraphs]
    if notice.rows:
        widths = {"number": 30, "task": 250, "lead": 100, "partner": 80, "deadline": 70}
        data: list[list[object]] = []
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for r, row in enumerate(table_rows(notice.rows, columns)):
            if isinstance(row, tuple):
                data.append([Paragraph(row[0], cell), Paragraph(html.escape(row[1]), cell)]
                            + [""] * (len(columns) - 2))
                style.append(("SPAN", (1, r), (-1, r)))
            else:
                data.append([Paragraph(html.escape(c), cell) for c in row])
        table = Table(data, colWidths=[widths[role] for role, _ in columns], repeatRows=1)
        table.setStyle(TableStyle(style))
        story.append(table)

    def decorate(canvas: object, document: object) -> None:
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        canvas.setFont(_FONT, 9)  # type: ignore[attr-defined]
        canvas.drawString(72, A4[1] - 40, header)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"— {page} —")  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, encrypt=encrypt).build(
        story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose pages are only pictures (what a scanner makes): no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for _ in range(2):
        for y in range(100, 700, 14):
            canvas.rect(72, y, 400, 8, fill=1)  # lines of "text" as ink, not characters
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
