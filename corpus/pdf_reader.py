"""Reading a notice from a PDF's text layer: paragraphs rebuilt from the layout, ruled tables
as tables, running headers, footers and page numbers dropped.

A PDF has no paragraphs, only positioned lines. A line that starts indented, or follows a line
that stops short of the right margin, starts a paragraph; consecutive centred lines (a title
broken in two) are one paragraph; every other line continues the one before, also across a
page break. Lines in the top or bottom margin band that are page numbers (``— 3 —``, ``第3页``)
or repeat on several pages are running heads and feet. Tables found by their ruling lines are
read cell by cell; a table continued on the next page is joined to its first part. A PDF
without a text layer (a scan) is refused: there is no OCR.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contract.errors import InputError
from corpus.extract import Block, Extract
from corpus.table import Table

logger = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:\d{1,4}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–－\s]*$")
_MARGIN_BAND = 0.085
"""Share of the page height at the top and at the bottom where running heads and feet sit."""
_MIN_CHARS_PER_PAGE = 5
MAX_PAGES = 1000
MAX_CHARS = 3_000_000
_STANDS_ALONE = re.compile(r"〔\d{4}〕\d+号$|^第[一二三四五六七八九十百零\d]+[章节条]|^\d{4}年\d{1,2}月\d{1,2}日$")
"""Centred lines that are never half of a broken title: a 文号, a chapter or article heading, a
date."""
_ASCII = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float


def read_pdf(data: bytes, name: str) -> Extract:
    """The text layer of a PDF as paragraphs and tables."""
    import pdfplumber  # loaded when a PDF is read

    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError(f"{name}: not a PDF file")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except Exception as exc:  # pdfminer wraps its errors; the cause says what happened
        raise InputError(f"{name}: {_open_problem(exc)}") from None
    if len(pages) > MAX_PAGES:
        pdf.close()
        raise InputError(f"{name}: {len(pages)} pages; a notice has at most {MAX_PAGES}")
    try:
        items: list[tuple[int, float, Block | _Line]] = []
        chars = 0
        heights: list[float] = []
        for number, page in enumerate(pages):
            chars += len(page.chars)
            if chars > MAX_CHARS:
                raise InputError(f"{name}: more than {MAX_CHARS} characters; not a notice")
            heights.append(float(page.height))
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for table in tables:
                rows = tuple(tuple(cell or "" for cell in row) for row in table.extract())
                items.append((number, float(table.bbox[1]), Table(rows=rows)))
            text_page = page.filter(_outside(boxes))
            for line in text_page.extract_text_lines(return_chars=True, strip=True):
                sizes = [float(c.get("size", 0)) for c in line["chars"]] or [0.0]
                items.append((number, float(line["top"]), _Line(
                    page=number, text=line["text"], x0=float(line["x0"]), x1=float(line["x1"]),
                    top=float(line["top"]), size=max(sizes))))
            page.close()  # its parsed objects are not needed again
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name}: the PDF cannot be read ({type(exc).__name__})") from None
    finally:
        pdf.close()
    if chars < _MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise InputError(f"{name}: a scanned PDF without a text layer; OCR is not supported, "
                         "use the notice's web page, Word file or a PDF with text")
    items.sort(key=lambda item: (item[0], item[1]))
    running = _running_lines([i[2] for i in items if isinstance(i[2], _Line)], heights)
    kept = [item[2] for item in items
            if not (isinstance(item[2], _Line) and item[2] in running)]
    return Extract(blocks=tuple(_paragraphs(kept)))


def _open_problem(exc: BaseException) -> str:
    names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    text = " ".join(str(e) for e in (exc, exc.__cause__) if e is not None)
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"} \
            or "password" in text.lower() or "encrypt" in text.lower():
        return "the PDF is encrypted; save an unprotected copy and read that"
    return "a damaged or unreadable PDF"


def _outside(boxes: list[tuple[float, float, float, float]]) -> Callable[[dict[str, Any]], bool]:
    """A filter keeping every object but the characters inside the tables' boxes."""
    def keep(obj: dict[str, Any]) -> bool:
        return obj.get("object_type") != "char" or not any(_inside(obj, box) for box in boxes)
    return keep


def _inside(obj: dict[str, object], box: tuple[float, float, float, float]) -> bool:
    x = (float(obj["x0"]) + float(obj["x1"])) / 2  # type: ignore[arg-type]
    y = (float(obj["top"]) + float(obj["bottom"])) / 2  # type: ignore[arg-type]
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _running_lines(lines: list[_Line], heights: list[float]) -> set[_Line]:
    """Lines in the margin bands that are page numbers or repeat on other pages."""
    banded = [line for line in lines
              if line.top < heights[line.page] * _MARGIN_BAND
              or line.top > heights[line.page] * (1 - _MARGIN_BAND)]
    shapes = Counter(re.sub(r"\d+", "#", line.text) for line in banded)
    pages = len(heights)
    return {line for line in banded
            if _PAGE_NUMBER.match(line.text)
            or (pages > 1 and shapes[re.sub(r"\d+", "#", line.text)] >= max(2, pages // 2))}


def _paragraphs(items: list[Block | _Line]) -> list[Block]:
    lines = [i for i in items if isinstance(i, _Line)]
    if not lines:
        return [i for i in items if not isinstance(i, _Line)]
    left, right = _margins(lines)
    blocks: list[Block] = []
    paragraph: list[_Line] = []

    def flush() -> None:
        if paragraph:
            blocks.append(_join([line.text for line in paragraph]))
            paragraph.clear()

    for item in items:
        if not isinstance(item, _Line):
            flush()
            previous = blocks[-1] if blocks else None
            if isinstance(item, Table) and isinstance(previous, Table) \
                    and len(previous.rows[0]) == len(item.rows[0]):
                blocks[-1] = Table(rows=previous.rows + item.rows)  # continued on this page
            else:
                blocks.append(item)
            continue
        if paragraph and _continues(paragraph[-1], item, left, right):
            paragraph.append(item)
        else:
            flush()
            paragraph.append(item)
    flush()
    return blocks


def _continues(previous: _Line, line: _Line, left: float, right: float) -> bool:
    em = max(previous.size, line.size, 1.0)
    if _centred(previous, left, right, em) and _centred(line, left, right, em):
        return abs(previous.size - line.size) < 0.5 and not (
            _STANDS_ALONE.search(previous.text) or _STANDS_ALONE.search(line.text))
    indented = line.x0 - left > 0.8 * em
    full = right - previous.x1 < 2 * em
    return full and not indented


def _centred(line: _Line, left: float, right: float, em: float) -> bool:
    before, after = line.x0 - left, right - line.x1
    return before > 2 * em and after > 2 * em and abs(before - after) < em


def _join(texts: list[str]) -> str:
    out = ""
    for text in texts:
        if out and _ASCII.match(out[-1]) and _ASCII.match(text[0]):
            out += " "
        out += text
    return out


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """The text block's left edge (the leftmost start shared by several lines: continuation
    lines start there) and right edge (where nearly all full lines end)."""
    starts = Counter(round(line.x0) for line in lines)
    common = [x for x, n in starts.items() if n >= max(2, len(lines) // 20)]
    left = float(min(common or starts))
    ends = sorted(line.x1 for line in lines)
    right = ends[min(len(ends) - 1, int(len(ends) * 0.95))]
    return left, right
