"""The HTML, DOCX and PDF readers give the parser what the text reader gives it: the Fujian
notice in each format parses to exactly the clauses, units and deadlines of the text file."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contract.errors import InputError
from corpus.document import Document
from corpus.reader import read_bytes, read_path
from tests.conftest import FUJIAN, GOVCN
from tests.corpus.formats import (
    FUJIAN_COLUMNS,
    SHUFFLED_COLUMNS,
    Columns,
    scanned_pdf,
    to_docx,
    to_html,
    to_pdf,
)

TEXT = FUJIAN.read_text(encoding="utf-8")
WRITERS: dict[str, Callable[..., bytes]] = {"html": to_html, "docx": to_docx, "pdf": to_pdf}


def comparable(document: Document) -> dict[str, Any]:
    """Everything parsed from the notice; not where it was read from."""
    data = document.model_dump(mode="json", exclude={"source", "doc_id"})
    for clause in data["clauses"]:
        clause.pop("doc_id")
    return data


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    (document,) = read_path(FUJIAN)
    return comparable(document)


@pytest.mark.parametrize("columns", [FUJIAN_COLUMNS, SHUFFLED_COLUMNS], ids=["as-published",
                                                                              "shuffled"])
@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_fujian_parses_the_same_in_every_format(fmt: str, columns: Columns,
                                                 reference: dict[str, Any]) -> None:
    (document,) = read_bytes(WRITERS[fmt](TEXT, columns=columns), f"fujian.{fmt}")
    assert document.doc_id == "fujian"
    assert document.source == f"fujian.{fmt}"
    parsed = comparable(document)
    assert [c["clause_id"] for c in parsed["clauses"]] == \
        [c["clause_id"] for c in reference["clauses"]]
    assert parsed == reference


def test_the_table_rows_carry_units_and_deadlines(reference: dict[str, Any]) -> None:
    (document,) = read_bytes(to_docx(TEXT, columns=SHUFFLED_COLUMNS), "fujian.docx")
    row = document.clause("A2.1")
    assert [(u.name, u.lead) for u in row.units] == [("省财政厅", True), ("福建省税务局", True),
                                                     ("厦门市税务局", True)]
    assert row.deadline is not None and row.deadline.text == "2021年底前"
    assert row.links == ("3.1",)


def test_a_partner_column_gives_units_that_do_not_lead() -> None:
    text = ("关于做好某项工作的通知\n一、工作任务\n（一）加快办理。（省商务厅负责）\n附件\n任务分工表\n"
            "序号 工作任务 牵头单位 完成时限\n一 优化服务\n1 加快办理营业执照。 省商务厅 2022年底前\n")
    columns = (("number", "序号"), ("task", "重点任务"), ("lead", "牵头单位"),
               ("partner", "配合单位"), ("deadline", "完成时间"))
    page = to_html(text, columns=columns).replace(
        "<td><p></p></td><td><p>2022年底前".encode(), "<td><p>省公安厅、发改委</p></td><td><p>2022年底前".encode())
    (document,) = read_bytes(page, "notice.html")
    row = document.clause("A1.1")
    assert [(u.name, u.lead) for u in row.units] == [("省商务厅", True), ("省公安厅", False),
                                                     ("省发改委", False)]
    assert row.deadline is not None and row.deadline.text == "2022年底前"


@pytest.mark.parametrize("number", ["国办发〔2019〕4号", "国令第707号"])
def test_a_govcn_document_as_a_web_page(number: str) -> None:
    record = next(r for line in GOVCN.read_text(encoding="utf-8").splitlines()
                  if (r := json.loads(line))["num"] == number)
    (expected,) = [d for d in read_path(GOVCN) if d.number == number]
    page = to_html(record["text"], title=record["title"], issuer=record["office"],
                   published="2019-02-18")
    (document,) = read_bytes(page, "page.html")
    assert document.title == expected.title
    assert document.issuer == expected.issuer
    assert str(document.published) == "2019-02-18"
    assert [c.model_dump(exclude={"doc_id"}) for c in document.clauses] == \
        [c.model_dump(exclude={"doc_id"}) for c in expected.clauses]


def test_a_gbk_web_page_is_read() -> None:
    page = to_html(TEXT).replace(b'<meta charset="utf-8">', b'<meta charset="gb2312">')
    (document,) = read_bytes(page.decode("utf-8").encode("gb18030"), "fujian.htm")
    assert len(document.clauses) == 78


def test_a_folder_of_mixed_formats(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(to_docx(TEXT))
    (tmp_path / "b.html").write_bytes(to_html(TEXT))
    assert [d.doc_id for d in read_path(tmp_path)] == ["a", "b"]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_FILES: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty.pdf", lambda: b"", "the file is empty"),
    ("empty.docx", lambda: b"  \n", "the file is empty"),
    ("empty.html", lambda: b"", "the file is empty"),
    ("locked.pdf", lambda: to_pdf(TEXT, encrypt="secret"), "encrypted"),
    ("scan.pdf", scanned_pdf, "scanned PDF without a text layer"),
    ("fake.docx", lambda: _zip({"photos/1.jpg": b"\xff\xd8\xff", "readme.txt": b"hello"}),
     "not a Word document"),
    ("text.docx", lambda: TEXT.encode(), "not a Word .docx file"),
    ("old.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old-format .doc"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "save it as .docx"),
    ("nav.html", lambda: ("<html><body><nav>首页 政务公开</nav><div><a href='/'>首页</a> "
                          "<a href='/x'>政策</a></div></body></html>").encode(), "no article"),
    ("page.pdf", lambda: to_html(TEXT), "not a PDF file"),
    ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj <<>> garbage", "damaged or unreadable PDF"),
    ("sheet.xlsx", lambda: b"PK\x03\x04", "unsupported file type .xlsx"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_get_one_line_errors(name: str, make: Callable[[], bytes],
                                       message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        read_bytes(make(), name)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(name)


def test_a_portal_information_table_gives_the_metadata() -> None:
    info = ("<table class=\"info\"><tr><td>发文机关：</td><td>国务院办公厅</td><td>发文字号：</td>"
            "<td>国办发〔2019〕4号</td></tr><tr><td>标题：</td><td>国务院办公厅关于加强三级公立医院绩效考核工作的意见"
            "</td><td>发布日期：</td><td>2019年01月30日</td></tr></table>")
    page = to_html(TEXT).replace(b"<div class=\"main\">", info.encode() + b"<div class=\"main\">")
    (document,) = read_bytes(page, "page.html")
    assert document.number == "国办发〔2019〕4号"
    assert document.issuer == "国务院办公厅"
    assert document.title == "国务院办公厅关于加强三级公立医院绩效考核工作的意见"
    assert str(document.published) == "2019-01-30"
    assert document.level == "national"


def _docx_with(body: str) -> bytes:
    """A Word file whose body XML is ``body`` (python-docx's own package around it)."""
    from docx import Document as new_docx

    buffer = io.BytesIO()
    new_docx().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start, end = text.index("<w:body>") + len("<w:body>"), text.index("</w:body>")
                data = (text[:start] + body + text[end:]).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def _cell(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("cells.html", lambda: ("<html><body><div><p>" + "通知正文" * 30 + "</p><table>" + "<tr>" + (
        "<td rowspan=50 colspan=50>x</td>" * 200) + "</tr>" * 40 + "</table></div></body></html>"
     ).encode(), "larger than"),
    ("deep.html", lambda: ("<html><body><div><p>" + "通知正文" * 30 + "</p>" + "<span>" * 20000
                           + "深" + "</span>" * 20000 + "</div></body></html>").encode(),
     "nested too deeply"),
    ("bomb.docx", lambda: _docx_with("<w:p><w:r><w:t>" + "0" * (120 * 1024 * 1024)
                                     + "</w:t></w:r></w:p>"), "unpacks to more than"),
    ("pages.pdf", lambda: _many_pages(1001), "1001 pages"),
]


def _many_pages(count: int) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for n in range(count):
        canvas.drawString(72, 720, f"page {n}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_in_one_line(name: str, make: Callable[[], bytes],
                                               message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        read_bytes(make(), name)
    assert str(caught.value).startswith(name) and "\n" not in str(caught.value)


def test_odd_word_tables_are_read_not_crashed_on() -> None:
    title = "<w:p><w:r><w:t>关于做好某项工作的通知</w:t></w:r></w:p>"
    body = "<w:p><w:r><w:t>一、加快办理营业执照。（省商务厅负责）</w:t></w:r></w:p>"
    table = ("<w:tbl><w:tr>" + _cell("甲", '<w:vMerge w:val="continue"/>')
             + _cell("乙", '<w:gridSpan w:val="abc"/>') + _cell("丙", '<w:gridSpan w:val="3000000"/>')
             + "</w:tr></w:tbl>")
    (document,) = read_bytes(_docx_with(title + body + table), "odd.docx")
    assert document.title == "关于做好某项工作的通知"
    assert document.clause("1").units[0].name == "省商务厅"
