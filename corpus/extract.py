"""What a file reader found: the notice's lines and tables in reading order, and whatever
metadata the file states about itself (a web page's meta tags)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from corpus.table import Table

Block = str | Table


@dataclass(frozen=True)
class Extract:
    """A notice as read from an HTML, DOCX or PDF file, before parsing."""

    blocks: tuple[Block, ...]
    title: str | None = None
    number: str | None = None
    issuer: str | None = None
    published: dt.date | None = None
    source: str | None = None
    """The page's own URL, when it states one."""

    @property
    def has_text(self) -> bool:
        """True when there is any text at all (a scanned file has none)."""
        return any(b.strip() if isinstance(b, str) else b.lines() for b in self.blocks)
