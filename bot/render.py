"""The answer contract rendered for chat: Telegram HTML, everything escaped, split on clause
boundaries to fit Telegram's message limit."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from contract.answer import Answer, Citation, Unit
from corpus.document import Clause, Document

LIMIT = 4096
"""Telegram's limit per message (UTF-16 code units; measured on the HTML, which is longer)."""

_SENTENCE_END = re.compile(r"(?<=[。；！？!?;\n])")


def esc(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode (``<``, ``>``, ``&``)."""
    return html.escape(text, quote=False)


def size(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def units_line(units: Sequence[Unit]) -> str:
    """责任单位：A（牵头）、B — lead units marked."""
    names = "、".join(esc(u.name) + ("（牵头）" if u.lead else "") for u in units)
    return f"责任单位：{names}" if names else ""


def citation_block(citation: Citation, quote: bool = True) -> str:
    """One cited clause: its label and id, the quoted sentence, units and deadline."""
    lines = [f"📄 <b>{esc(citation.label)}</b>（{esc(citation.clause_id)}）"]
    if quote and citation.quote:
        lines.append(f"<blockquote>{esc(citation.quote)}</blockquote>")
    if citation.units:
        lines.append(units_line(citation.units))
    if citation.deadline:
        lines.append(f"完成时限：{esc(citation.deadline)}")
    return "\n".join(lines)


def answer_blocks(answer: Answer, listing: bool) -> list[str]:
    """The blocks of an answer: the direct answer first, then one block per clause shown.

    A list answer (every task of a unit, every task due by a date) shows all its clauses; any
    other answer shows the clause it rests on, and its other citations stay behind a button.
    """
    lines = answer.answer.split("\n")
    head = [f"<b>{esc(lines[0])}</b>"]
    if not listing:
        # Extra lines the engine adds (e.g. 另：…) that the citation block does not repeat.
        head += [esc(line) for line in lines[1:]
                 if line and not line.startswith(("依据：", "责任单位：", "完成时限：", "更多依据："))]
    blocks = ["\n".join(head)]
    shown = answer.citations if listing else answer.citations[:1]
    blocks += [citation_block(c) for c in shown]
    return blocks


def related_blocks(citations: Iterable[Citation]) -> list[str]:
    """Further citations, shown when "相关条款" is pressed."""
    return ["<b>相关条款</b>", *(citation_block(c) for c in citations)]


def clause_blocks(clause: Clause, document: Document | None = None) -> list[str]:
    """A clause in full: its heading line, then its text in sentence-sized pieces."""
    title = f"📄 <b>{esc(clause.label)}</b>（{esc(clause.clause_id)}）"
    if document is not None:
        title += f"\n<i>{esc(document.title)}</i>"
    blocks = [title, esc(clause.text)]
    if clause.units:
        blocks.append(units_line([Unit(name=u.name, lead=u.lead) for u in clause.units]))
    if clause.deadline:
        blocks.append(f"完成时限：{esc(clause.deadline.text)}")
    return blocks


def pack(blocks: Sequence[str], limit: int = LIMIT) -> list[str]:
    """Join blocks into as few messages as fit ``limit``, breaking only between blocks.

    A block too long on its own (a very long clause) fills the current message and goes on in
    the next ones, broken between sentences; only a sentence longer than a whole message is cut
    inside. Tags sit only in short lines, so a break never falls inside one.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        joined = f"{current}\n\n{block}" if current else block
        if size(joined) <= limit:
            current = joined
            continue
        if size(block) <= limit:
            messages.append(current)
            current = block
            continue
        room = limit - size(current) - 2 if current else limit
        if room < limit // 10:  # too little left to be worth filling
            messages.append(current)
            current, room = "", limit
        pieces = _fit(block, room, limit)
        if current:
            pieces[0] = f"{current}\n\n{pieces[0]}"
        messages.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        messages.append(current)
    return messages


def _fit(block: str, first: int, limit: int) -> list[str]:
    """``block`` in pieces: the first within ``first``, the others within ``limit``."""
    pieces: list[str] = []
    current = ""

    def room() -> int:
        return first if not pieces else limit

    for sentence in _SENTENCE_END.split(block):
        while size(current + sentence) > room():
            if current:
                pieces.append(current)
                current = ""
                continue
            cut = _cut(sentence, room())  # one sentence longer than a whole message
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def _cut(text: str, limit: int) -> int:
    """The longest prefix of ``text`` within ``limit`` that does not split an ``&…;`` entity."""
    end = limit
    while size(text[:end]) > limit:
        end -= 1
    amp = text.rfind("&", max(0, end - 8), end)
    if amp != -1 and ";" not in text[amp:end]:
        end = amp
    return end
