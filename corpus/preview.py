"""How a document parsed, in figures a person can check before it goes live: its metadata, how
many clauses and task rows, which units, how many rows found their body clause."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from corpus.document import Document, Level, Status


class DocumentPreview(BaseModel):
    """A parsed document's metadata and structure, without its text."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    title: str
    number: str | None
    issuer: str | None
    published: dt.date | None
    signed: dt.date | None
    level: Level | None
    region: str | None
    status: Status
    source: str
    clauses: int
    sections: int
    task_rows: int
    rows_linked: int
    """Task rows linked to the body clause they summarise."""
    units: tuple[str, ...]
    """Every responsible unit named, in order of first mention."""
    deadlines: int
    first_clauses: tuple[str, ...]
    """The labels of the first clauses, to recognise the document by."""


def preview(document: Document, first: int = 8) -> DocumentPreview:
    """The figures of one parsed document."""
    clauses = document.clauses
    rows = [c for c in clauses if c.kind == "appendix_task"]
    units = list(dict.fromkeys(u.name for c in clauses for u in c.units))
    return DocumentPreview(
        doc_id=document.doc_id, title=document.title, number=document.number,
        issuer=document.issuer, published=document.published, signed=document.signed,
        level=document.level, region=document.region, status=document.status,
        source=document.source, clauses=len(clauses),
        sections=sum(1 for c in clauses if c.kind in ("section", "clause", "item", "article")),
        task_rows=len(rows), rows_linked=sum(1 for c in rows if c.links), units=tuple(units),
        deadlines=sum(len(c.deadlines) for c in clauses),
        first_clauses=tuple(c.label for c in clauses[:first]),
    )
