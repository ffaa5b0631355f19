"""Reading a notice from a Word file (.docx): paragraphs and tables in document order."""

from __future__ import annotations

import io
import logging
import zipfile

from contract.errors import InputError
from corpus.extract import Block, Extract
from corpus.table import Table

logger = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc (and encrypted .docx) container


def read_docx(data: bytes, name: str) -> Extract:
    """The paragraphs and tables of a .docx file; a merged cell repeats its text."""
    from docx import Document as open_docx  # python-docx: loaded when a Word file is read
    from docx.table import Table as DocxTable

    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{name}: this is an old-format .doc or a password-protected Word "
                         "file; save it as an unprotected .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(f"{name}: not a Word .docx file (a .docx is a ZIP package)")
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, its own errors…
        logger.debug("python-docx could not open %s: %r", name, exc)
        raise InputError(f"{name}: a ZIP file but not a Word document (no word/document.xml "
                         "part)") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            blocks.append(Table(rows=tuple(tuple(cell.text for cell in row.cells)
                                           for row in item.rows)))
        else:
            blocks.extend(item.text.split("\n"))
    return Extract(blocks=tuple(blocks))
