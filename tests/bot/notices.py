"""Notices the chat tests index: the reference notice, a hostile one, a long one, and the edits
a reindex brings (a clause changed, a document renamed)."""

from __future__ import annotations

from pathlib import Path

from corpus.document import Document
from corpus.reader import read_path
from tests.conftest import REPO

LONG_ID = "福建省人民政府办公厅关于印发进一步深化放管服改革优化营商环境若干措施的通知-" + "x" * 40
"""A document id far longer than a Telegram button can carry."""


def hostile() -> Document:
    """A notice full of HTML (``<i>``, ``<script>``, ``&amp;``)."""
    (document,) = read_path(REPO / "tests" / "api" / "data" / "hostile_notice.txt")
    return document


def long_notice() -> Document:
    """40 tasks of 市数据局 and one huge clause (11.1)."""
    (document,) = read_path(Path(__file__).parent / "data" / "long_notice.txt")
    return document


def renamed(document: Document, doc_id: str) -> Document:
    """The same notice under another id."""
    clauses = tuple(c.model_copy(update={"doc_id": doc_id}) for c in document.clauses)
    return document.model_copy(update={"doc_id": doc_id, "clauses": clauses})


def edited(document: Document, clause_id: str, text: str) -> Document:
    """The notice with one clause's text replaced (a new version of it)."""
    clauses = tuple(c.model_copy(update={"text": text}) if c.clause_id == clause_id else c
                    for c in document.clauses)
    return document.model_copy(update={"clauses": clauses})
