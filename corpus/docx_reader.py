"""Reading a notice from a Word file (.docx): paragraphs and tables in document order.

The body's XML is walked directly (python-docx opens the package and parses the parts): its
paragraphs in order, and each table cell by cell with merged cells repeated over the grid
columns (``gridSpan``) and rows (``vMerge``) they cover, as the HTML reader does. The package is
checked before anything is parsed, so a small file cannot expand into gigabytes.
"""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

from contract.errors import InputError
from corpus.extract import Block, Extract
from corpus.table import Table

logger = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc (and encrypted .docx) container
MAX_UNPACKED = 100 * 1024 * 1024
"""Bytes the package's parts may take unpacked (a 20 MB notice with pictures stays far below)."""
MAX_SPAN = 64
MAX_CELLS = 200_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, name: str) -> Extract:
    """The paragraphs and tables of a .docx file; a merged cell repeats its text."""
    from docx import Document as open_docx  # python-docx: loaded when a Word file is read

    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{name}: this is an old-format .doc or a password-protected Word "
                         "file; save it as an unprotected .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(f"{name}: not a Word .docx file (a .docx is a ZIP package)")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = package.infolist()
        if "word/document.xml" not in {p.filename for p in parts}:
            raise InputError(f"{name}: a ZIP file but not a Word document (no word/document.xml "
                             "part)")
        if sum(p.file_size for p in parts) > MAX_UNPACKED:
            raise InputError(f"{name}: unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB; "
                             "not a notice")
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, its own errors…
        logger.debug("python-docx could not open %s: %r", name, exc)
        raise InputError(f"{name}: a ZIP file but not a readable Word document") from None
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            blocks.extend(_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            blocks.append(_table(child))
    return Extract(blocks=tuple(blocks))


def _text(paragraph: Any) -> str:
    """A paragraph's text: its runs, tabs as spaces, breaks as new lines."""
    parts: list[str] = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _table(table: Any) -> Table:
    """Rows of cell texts; a cell spanning columns or continuing a vertical merge repeats the
    text of the cell it belongs to."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iterchildren(f"{_W}tr")]
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr.iterchildren(f"{_W}tc"):
            span = _span(tc)
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continued = merge is not None and merge.get(f"{_W}val") in (None, "continue")
            text = grid.get((r - 1, c), "") if continued and r else \
                "\n".join(_text(p) for p in tc.iterchildren(f"{_W}p"))
            span = min(span, MAX_SPAN - c)  # a span past the last column ends there
            if span <= 0 or len(grid) + span > MAX_CELLS:
                raise InputError("a table larger than a notice's table can be")
            for dc in range(span):
                grid[(r, c + dc)] = text
            c += span
    width = max((c for _, c in grid), default=-1) + 1
    return Table(rows=tuple(tuple(grid.get((r, c), "") for c in range(width))
                            for r in range(len(rows))))


def _span(tc: Any) -> int:
    found = tc.find(f"{_W}tcPr/{_W}gridSpan")
    try:
        return max(1, min(int(found.get(f"{_W}val")), MAX_SPAN)) if found is not None else 1
    except (TypeError, ValueError):
        return 1
