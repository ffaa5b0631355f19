"""Reading a notice from a web page: the article body, not the portal around it.

Government portals wrap a notice in navigation, breadcrumbs, share buttons and footers. The
article is the element that holds the most paragraph text of its own (its ``<p>`` and table
children), which finds ``#UCAP-CONTENT`` on gov.cn or ``.TRS_Editor`` on provincial portals
without knowing either. Inside it, block elements and ``<br>`` end lines and tables stay
tables (merged cells repeated over the cells they cover). The page's meta tags
(``ArticleTitle``, ``PubDate``, ``ContentSource``, ``og:url``) give metadata when present.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from contract.errors import InputError
from corpus.extract import Block, Extract
from corpus.table import Table
from corpus.text import clean_line

_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button"
_BLOCK = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
                    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "tr",
                    "figure", "figcaption", "address", "hr"})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_DATE = re.compile(r"(?P<y>\d{4})[-年./](?P<m>\d{1,2})[-月./](?P<d>\d{1,2})")
_FIELD = re.compile(r"^(?P<label>标题|发文字号|发文机关|发布日期|成文日期)[:：](?P<value>.*)$")
MAX_COLUMNS = 64
MAX_CELLS = 200_000
"""Merged cells are repeated over the cells they cover: bounds keep a hostile page's table from
growing without limit."""
MIN_ARTICLE_CHARS = 60
"""An article has at least this many characters of paragraph text; a page with less is a
portal page, a list or an error page, not a notice."""


def read_html(data: bytes, name: str) -> Extract:
    """The article of a web page as lines and tables, with the page's metadata."""
    tree = LexborHTMLParser(_decode(data, name))
    meta = {(node.attributes.get("name") or node.attributes.get("property") or "").lower():
            (node.attributes.get("content") or "").strip() for node in tree.css("meta")}
    labelled = _labelled_fields(tree.body.text(separator="\n") if tree.body else "")
    for node in tree.css(_DROP):
        node.decompose()
    body = tree.body
    article = _article(body) if body is not None else None
    if article is None:
        raise InputError(f"{name}: no article found in this web page (no element holds "
                         f"{MIN_ARTICLE_CHARS} or more characters of paragraph text)")
    blocks = tuple(_blocks(article))
    published = _DATE.search(meta.get("pubdate", "") or meta.get("firstpublishedtime", ""))
    return Extract(
        blocks=blocks,
        title=clean_line(meta.get("articletitle", "")) or labelled.get("标题"),
        number=labelled.get("发文字号"),
        issuer=clean_line(meta.get("contentsource", "")) or labelled.get("发文机关"),
        published=_date(published) or _date(_DATE.search(labelled.get("发布日期", ""))),
        source=meta.get("og:url") or meta.get("url") or None,
    )


def _labelled_fields(text: str) -> dict[str, str]:
    """The fields of a portal's document information table (发文字号：国发〔2019〕5号 …)."""
    fields: dict[str, str] = {}
    lines = [clean_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        found = _FIELD.match(line)
        if found is None:
            continue
        value = found.group("value") or (lines[i + 1] if i + 1 < len(lines) else "")
        if value and not _FIELD.match(value) and len(value) <= 120:
            fields.setdefault(found.group("label"), value)
    return fields


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    declared = _CHARSET.search(data[:4096])
    encodings = ["utf-8-sig", "gb18030"]
    if declared:
        label = declared.group(1).decode("ascii", "replace").lower()
        encodings.insert(0, "gb18030" if label in ("gb2312", "gbk", "gb18030") else label)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(f"{name}: cannot read this page as text (tried UTF-8 and GB18030)")


def _date(match: re.Match[str] | None) -> dt.date | None:
    if match is None:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _own_text(node: LexborNode) -> int:
    """Characters of paragraph text directly inside ``node`` (its p, table and text children),
    link text left out: menus and link lists are made of links, articles of sentences."""
    total = 0
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            total += len((child.text(deep=False) or "").strip())
        elif child.tag in ("p", "table", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                           "font", "span", "b", "strong", "center"):
            links = sum(len(a.text(deep=True, separator="").strip()) for a in child.css("a"))
            total += len(child.text(deep=True, separator="").strip()) - links
    return total


def _article(body: LexborNode) -> LexborNode | None:
    best, score = None, 0
    for node in body.traverse():
        if node.tag in ("body", "div", "article", "section", "main", "td", "center"):
            own = _own_text(node)
            if own > score:
                best, score = node, own
    return best if score >= MIN_ARTICLE_CHARS else None


def _blocks(node: LexborNode) -> Iterator[Block]:
    line: list[str] = []
    for kind, value in _walk(node):
        if kind == "text":
            line.append(value if isinstance(value, str) else "")
            continue
        text = "".join(line).strip()
        line.clear()
        if text:
            yield from text.splitlines()
        if isinstance(value, Table):
            yield value
    text = "".join(line).strip()
    if text:
        yield from text.splitlines()


def _walk(node: LexborNode) -> Iterator[tuple[str, str | Table | None]]:
    """("text", …) pieces, ("break", None) at line ends and ("table", Table) in reading order."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            # Source line breaks inside a paragraph are layout, not text.
            yield "text", re.sub(r"\s*\n\s*", "", child.text(deep=False) or "")
        elif tag == "br":
            yield "break", None
        elif tag == "table":
            yield "break", None
            yield "table", _table(child)
        elif tag in _BLOCK:
            yield "break", None
            yield from _walk(child)
            yield "break", None
        else:
            yield from _walk(child)


def _table(node: LexborNode) -> Table:
    """A table's rows with merged cells (rowspan, colspan) repeated over the cells they cover."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in node.css("tr") if _parent_table(tr) == node]  # not a nested table's
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = "\n".join(_cell_lines(cell))
            rowspan = _span(cell.attributes.get("rowspan"))
            colspan = _span(cell.attributes.get("colspan"))
            if c + colspan > MAX_COLUMNS or len(grid) + rowspan * colspan > MAX_CELLS:
                raise InputError(f"a table larger than {MAX_COLUMNS} columns or {MAX_CELLS} "
                                 "cells is not a notice's table")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    width = max((c for _, c in grid), default=-1) + 1
    return Table(rows=tuple(tuple(grid.get((r, c), "") for c in range(width))
                            for r in range(len(rows))))


def _cell_lines(cell: LexborNode) -> list[str]:
    return [b for b in _blocks(cell) if isinstance(b, str)]


def _parent_table(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1
