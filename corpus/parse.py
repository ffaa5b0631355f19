"""Turn a notice's text into a Document: metadata and numbered clauses.

Numbering is kept as written and joined by dots: ``七、（一）`` is ``7.1``; sub-clauses that run on
across sections keep their own numbers (``二、…（三）`` is ``2.3``); three levels give ``4.1.1``;
regulations in articles use the article number; appendix task rows are ``A<group>.<row>``; the
text before the first section is ``preamble``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from contract.errors import InputError
from corpus.appendix import (
    APPENDIX_START,
    ATTACHMENT_REF,
    Appendix,
    AppendixRow,
    parse_appendix,
)
from corpus.deadline import find_deadlines, parse_deadline
from corpus.document import Clause, ClauseKind, Deadline, Document, Sentence, Unit
from corpus.links import LinkSource, LinkTarget, bigrams, link
from corpus.numerals import NUMERAL_CHARS, chinese_to_int
from corpus.table import Table, task_rows
from corpus.text import clean_line, join_lines, split_sentences
from corpus.units import (
    UnitAliases,
    is_responsibility,
    load_aliases,
    parse_responsibility,
    parse_unit_list,
)

logger = logging.getLogger(__name__)

_L1 = re.compile(rf"^(?P<n>[{NUMERAL_CHARS}]+)、(?P<rest>.*)$")
_L2 = re.compile(rf"^[（(](?P<n>[{NUMERAL_CHARS}]+)[）)](?P<rest>.*)$")
_L3 = re.compile(r"^(?P<n>\d{1,3})[\.．、](?!\d)(?P<rest>.*)$")
_ARTICLE = re.compile(rf"^第(?P<n>[{NUMERAL_CHARS}\d]+)条(?P<rest>.*)$")
_CHAPTER = re.compile(rf"^第(?P<n>[{NUMERAL_CHARS}\d]+)[章节](?P<rest>.*)$")
_DATE_LINE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
_PUBLIC_NOTE = re.compile(r"^[（(]此件.*[）)]$")
_PUBLISHED = re.compile(
    r"发布日期[:：]?(?P<y>\d{4})[-年./](?P<m>\d{1,2})[-月./](?P<d>\d{1,2})")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:〔\d{4}〕\d+号|第\d+号)$")
_HEADING_MAX = 40
_LIST_ENTRY = 60  # characters of a one-line list entry (通报和讨论国务院其他事项。)
_TITLE_END = re.compile(r"(?:通知|意见|方案|办法|规定|决定|条例|批复|复函|函|细则|规划|要点|答复|通报|公告|"
                        r"通告|报告|分工表)$")
_SENTENCE_PUNCT = re.compile(r"[。；：;:！？]")
_NAME_PUNCT = re.compile(r"[。，；：、,;:！？]")


@dataclass
class _Node:
    kind: ClauseKind
    path: tuple[int, ...]
    markers: tuple[str, ...]
    id_prefix: str = ""
    section: str = ""
    lines: list[str] = field(default_factory=list)
    has_children: bool = False

    @property
    def number(self) -> str:
        return self.markers[-1] if self.markers else ""


def parse_notice(
    text: str,
    *,
    doc_id: str,
    title: str | None = None,
    number: str | None = None,
    issuer: str | None = None,
    published: dt.date | None = None,
    source: str = "",
    aliases: UnitAliases | None = None,
) -> Document:
    """Parse a notice's full text into a Document; metadata not given is read from the text."""
    return parse_blocks(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                        doc_id=doc_id, title=title, number=number, issuer=issuer,
                        published=published, source=source, aliases=aliases)


def parse_blocks(
    blocks: Sequence[str | Table],
    *,
    doc_id: str,
    title: str | None = None,
    number: str | None = None,
    issuer: str | None = None,
    published: dt.date | None = None,
    source: str = "",
    aliases: UnitAliases | None = None,
) -> Document:
    """Parse a notice given as lines and tables (what the HTML, DOCX and PDF readers find).

    A task table's rows become appendix rows as the text reader's flattened table lines do;
    any other table is read as lines of text.
    """
    aliases = aliases or load_aliases()
    raw_lines: list[str] = []
    table_rows: list[AppendixRow] = []
    for block in blocks:
        if isinstance(block, Table):
            found = task_rows(block)
            if found is None:
                raw_lines.extend(block.lines())
            else:
                table_rows.extend(found)
        else:
            raw_lines.extend(block.split("\n"))
    cleaned = [clean_line(line) for line in raw_lines]
    if not any(cleaned) and not table_rows:
        raise InputError(f"{source or doc_id}: the document has no text")

    split = next((i for i, line in enumerate(cleaned) if APPENDIX_START.match(line)), len(cleaned))
    if not any(cleaned[:split]) and not table_rows and not parse_appendix(raw_lines[split:]).rows:
        split = len(cleaned)  # a text that is only an appendix heading (附件) is its own body
    body = [line for line in cleaned[:split] if line]
    attachments = tuple(m.group("name") for line in cleaned[split:]
                        if (m := ATTACHMENT_REF.match(line)))
    body, closing = _split_closing(body)

    nodes = _article_nodes(body) if any(_ARTICLE.match(line) for line in body) else \
        _outline_nodes(body)
    clauses, standing_rules = _body_clauses(nodes, doc_id, aliases)
    appendix = parse_appendix(raw_lines[split:])
    appendix.rows.extend(table_rows)
    rows = _appendix_clauses(appendix, doc_id, aliases)
    clauses = _apply_standing_rules(clauses + rows, standing_rules)
    clauses = _with_links(clauses)

    signed_line = next((i for i, line in enumerate(body + closing) if _DATE_LINE.match(line)), None)
    signed = issuer_line = None
    if signed_line is not None:
        lines = body + closing
        signed = _date(_DATE_LINE.match(lines[signed_line]))
        before = lines[signed_line - 1] if signed_line > 0 else ""
        if before and len(before) <= 30 and not _NAME_PUNCT.search(before):
            issuer_line = before
    published_match = next((m for line in cleaned[:12] if (m := _PUBLISHED.search(line))), None)
    return Document(
        doc_id=doc_id,
        title=title or _title([line for line in cleaned[:12] if line]) or doc_id,
        number=number or next((line for line in cleaned[:12] if DOC_NUMBER.match(line)), None),
        issuer=issuer or issuer_line,
        published=published or _date(published_match),
        signed=signed,
        source=source,
        attachments=attachments,
        closing="\n".join(closing),
        clauses=tuple(clauses),
    )


def _title(lines: list[str]) -> str:
    """The first line, or the first lines joined when a long title was broken over them (a
    line that does not end as a title does, continued by one that does)."""
    if not lines:
        return ""
    for end in range(1, min(3, len(lines)) + 1):
        joined = "".join(lines[:end])
        if _TITLE_END.search(joined) and not _SENTENCE_PUNCT.search(joined):
            return joined
    return lines[0]


def _date(match: re.Match[str] | None) -> dt.date | None:
    if match is None:
        return None
    try:
        return dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def _split_closing(lines: list[str]) -> tuple[list[str], list[str]]:
    """Separate the signature block (issuer, date, 此件公开发布) that ends a notice."""
    end = len(lines)
    while end > 0 and _PUBLIC_NOTE.match(lines[end - 1]):
        end -= 1
    if end == 0 or not _DATE_LINE.match(lines[end - 1]):
        return lines, []
    start = end - 1
    if start > 0 and len(lines[start - 1]) <= 30 and not _NAME_PUNCT.search(lines[start - 1]):
        start -= 1
    if start == 0:
        return lines, []
    return lines[:start], lines[start:]


def _outline_nodes(lines: list[str]) -> list[_Node]:
    """Nodes of a notice numbered 一、 / （一） / 1."""
    preamble = _Node("preamble", (), ())
    nodes = [preamble]
    current, section, sub = preamble, None, None
    children: dict[int, tuple[_Node, list[_Node]]] = {}
    for line in lines:
        if match := _L1.match(line):
            rest = match.group("rest")
            title = _first_sentence(rest)
            section = _Node("section", (chinese_to_int(match.group("n")),),
                            (match.group("n") + "、",), section=title,
                            lines=[rest] if rest and rest.rstrip("。：:") != title else [])
            nodes.append(section)
            current, sub = section, None
        elif match := _L2.match(line):
            parent = section
            sub = _Node("clause", (*(parent.path if parent else ()), chinese_to_int(match.group("n"))),
                        (*(parent.markers if parent else ()), f"（{match.group('n')}）"),
                        section=parent.section if parent else "", lines=[match.group("rest")])
            if parent:
                parent.has_children = True
                children.setdefault(id(parent), (parent, []))[1].append(sub)
            nodes.append(sub)
            current = sub
        elif (match := _L3.match(line)) and (sub or section):
            parent = sub or section
            assert parent is not None
            parent.has_children = True
            current = _Node("item", (*parent.path, int(match.group("n"))),
                            (*parent.markers, match.group("n") + "."),
                            section=parent.section, lines=[match.group("rest")])
            children.setdefault(id(parent), (parent, []))[1].append(current)
            nodes.append(current)
        else:
            current.lines.append(line)
    for parent, entries in children.values():
        _end_list(parent, entries)
    return nodes


def _end_list(parent: _Node, entries: list[_Node]) -> None:
    """主要任务是：（一）…。（二）…。（三）…。 and then a paragraph of the parent's own: when a
    colon introduced a list of one-line entries, what follows the last entry is the parent's,
    unless it speaks more of that entry than of the parent (3.无房证明。 then 无房证明由…出具)."""
    last = entries[-1]
    if not parent.lines or not parent.lines[-1].rstrip().endswith(("：", ":")) \
            or len(last.lines) < 2 or not all(
                len(e.lines[0]) <= _LIST_ENTRY and e.lines[0].rstrip().endswith(("。", "；", ";"))
                for e in entries) or any(len(e.lines) != 1 for e in entries[:-1]):
        return
    after = bigrams("".join(last.lines[1:]))
    if len(after & bigrams(last.lines[0])) >= len(after & bigrams("".join(parent.lines))):
        return
    parent.lines.extend(last.lines[1:])
    del last.lines[1:]


def _article_nodes(lines: list[str]) -> list[_Node]:
    """Nodes of a regulation in articles (第一章 … 第一条 …)."""
    preamble = _Node("preamble", (), ())
    nodes = [preamble]
    current: _Node = preamble
    chapter: _Node | None = None
    for line in lines:
        if (match := _CHAPTER.match(line)) and len(line) <= _HEADING_MAX:
            # Chapters are ``C<n>``; they become clauses only when they hold text of their own.
            chapter = _Node("section", (chinese_to_int(match.group("n")),),
                            (line[: match.start("rest")],), id_prefix="C",
                            section=match.group("rest") or line)
            current = chapter
            nodes.append(chapter)
        elif match := _ARTICLE.match(line):
            if chapter:
                chapter.has_children = True
            current = _Node("article", (chinese_to_int(match.group("n")),),
                            (f"第{match.group('n')}条",), section=chapter.section if chapter else "",
                            lines=[match.group("rest")])
            nodes.append(current)
        else:
            current.lines.append(line)
    return nodes


def _first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    first = sentences[0] if sentences else text
    return first.rstrip("。；;：:") if len(first) <= _HEADING_MAX else ""


def _body_clauses(
    nodes: list[_Node], doc_id: str, aliases: UnitAliases
) -> tuple[list[Clause], dict[str, tuple[str, ...]]]:
    """Clauses of the body, and the standing rules (clause id → units) some of them state."""
    clauses: list[Clause] = []
    standing_rules: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    lead_first_below = False
    for node in nodes:
        text = join_lines([line for line in node.lines if line])
        if node.kind == "preamble" and not text:
            continue
        if node.kind == "section" and node.has_children and not text:
            continue  # its title lives on in its children's ``section``
        clause_id = _unique(node.id_prefix + ".".join(map(str, node.path)) or node.kind, seen)
        units: tuple[Unit, ...] = ()
        notes: tuple[str, ...] = ()
        body_text = text
        paren = _responsibility_span(text)
        if paren:
            start, end = paren
            found = parse_responsibility(text[start + 1: end - 1], aliases)
            units, notes = found.units, found.notes
            if found.lead_first_below:
                lead_first_below = True
            elif lead_first_below and units and not any(u.lead for u in units):
                units = (Unit(name=units[0].name, lead=True), *units[1:])
            body_text = text[:start] + text[end:]
            if found.standing_units:
                standing_rules[clause_id] = found.standing_units
        sentences = tuple(Sentence(text=s, deadlines=find_deadlines(s))
                          for s in split_sentences(body_text))
        heading = node.section if node.kind == "section" else (
            "" if node.kind in ("preamble", "article") else _first_sentence(text))
        clauses.append(Clause(
            doc_id=doc_id, clause_id=clause_id, kind=node.kind, number=node.number,
            label=_label(node, heading), heading=heading, section=node.section, text=text,
            sentences=sentences, units=units, notes=notes,
            deadlines=tuple(d for s in sentences for d in s.deadlines),
        ))
    return clauses, standing_rules


def _label(node: _Node, heading: str) -> str:
    if node.kind == "preamble":
        return "前言"
    if node.kind == "article":
        return node.number
    if node.id_prefix:
        return node.number + node.section
    return "".join(node.markers) + heading


def _responsibility_span(text: str) -> tuple[int, int] | None:
    """The span of the last paragraph-ending parenthesis that names responsible units."""
    offset = len(text)
    for paragraph in reversed(text.split("\n")):
        offset -= len(paragraph)
        stripped = paragraph.rstrip("。")
        if stripped.endswith(("）", ")")):
            depth = 0
            for i in range(len(stripped) - 1, -1, -1):
                char = stripped[i]
                if char in "）)":
                    depth += 1
                elif char in "（(":
                    depth -= 1
                    if depth == 0:
                        if is_responsibility(stripped[i + 1: -1]):
                            return offset + i, offset + len(stripped)
                        break
        offset -= 1  # the newline
    return None


def _unique(clause_id: str, seen: set[str]) -> str:
    candidate, n = clause_id, 1
    while candidate in seen:
        n += 1
        candidate = f"{clause_id}-{n}"
    seen.add(candidate)
    return candidate


def _appendix_clauses(appendix: Appendix, doc_id: str, aliases: UnitAliases) -> list[Clause]:
    clauses: list[Clause] = []
    seen: set[str] = set()
    for row in appendix.rows:
        group = f"{row.group_no}." if row.group_no else ""
        clause_id = _unique(f"A{group}{row.row_no}", seen)
        deadline = parse_deadline(row.deadline)
        sentences = tuple(Sentence(text=s, deadlines=find_deadlines(s))
                          for s in split_sentences(row.task))
        deadlines: tuple[Deadline, ...] = (deadline,) if deadline else ()
        number = f"{row.group_number}-{row.row_no}" if row.group_number else str(row.row_no)
        clauses.append(Clause(
            doc_id=doc_id, clause_id=clause_id, kind="appendix_task", number=number,
            label=f"附件{number}", heading=_first_sentence(row.task)[:_HEADING_MAX],
            section=row.group_title, text=row.task, sentences=sentences,
            units=_row_units(row, aliases),
            deadlines=deadlines + tuple(d for s in sentences for d in s.deadlines
                                        if not deadline or d.text != deadline.text),
        ))
    return clauses


def _row_units(row: AppendixRow, aliases: UnitAliases) -> tuple[Unit, ...]:
    """A row's lead units, then its partner units (配合单位) that are not leads already."""
    leads = parse_unit_list(row.units, aliases, all_lead=True)
    if not row.partners:
        return leads
    named = {u.name for u in leads}
    partners = parse_unit_list(row.partners, aliases)
    return leads + tuple(Unit(name=u.name) for u in partners if u.name not in named)


def _apply_standing_rules(
    clauses: list[Clause], rules: dict[str, tuple[str, ...]]
) -> list[Clause]:
    """Carry a ``以下任务均需…落实`` rule onto every clause after the one that states it."""
    standing: tuple[str, ...] = ()
    result: list[Clause] = []
    for clause in clauses:
        result.append(clause.model_copy(update={"standing_units": standing}) if standing
                      else clause)
        standing = rules.get(clause.clause_id, standing)
    return result


def _with_links(clauses: list[Clause]) -> list[Clause]:
    rows = [c for c in clauses if c.kind == "appendix_task"]
    if not rows:
        return clauses
    body = [c for c in clauses if c.kind in ("section", "clause", "item", "article")]
    sources = [LinkSource(c.clause_id, int(c.clause_id[1:].split(".")[0]) if "." in c.clause_id
                          else 0, c.section, c.text) for c in rows]
    targets = [LinkTarget(c.clause_id, int(c.clause_id.split(".")[0].split("-")[0])
                          if c.clause_id[0].isdigit() else None, c.section, c.text)
               for c in body]
    row_to_body = link(sources, targets)
    body_to_rows: dict[str, list[str]] = {}
    for row_id, body_id in row_to_body.items():
        body_to_rows.setdefault(body_id, []).append(row_id)
    return [
        c.model_copy(update={"links": (row_to_body[c.clause_id],)})
        if c.clause_id in row_to_body
        else c.model_copy(update={"links": tuple(body_to_rows.get(c.clause_id, ()))})
        for c in clauses
    ]
