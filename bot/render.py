"""Replies rendered for Telegram: HTML parse mode, everything escaped, split on clause
boundaries to fit Telegram's message limit.

API: :func:`messages` (a :class:`~bot.reply.Reply` → the HTML of each message to send) and
:func:`html_blocks`; the older helpers (:func:`answer_blocks`, :func:`citation_block`,
:func:`clause_blocks`, :func:`related_blocks`) render the same blocks from the answer contract.
Buttons are :mod:`bot.buttons`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from bot import pack as packing
from bot import reply as r
from contract.answer import Answer, Citation, Unit
from corpus.document import Clause, Document

LIMIT = 4096
"""Telegram's limit per message (UTF-16 code units; measured on the HTML, which is longer)."""


def esc(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode (``<``, ``>``, ``&``)."""
    return html.escape(text, quote=False)


def size(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def messages(reply: r.Reply, limit: int = LIMIT) -> list[str]:
    """The HTML of each message a reply is sent as."""
    return pack(html_blocks(reply.blocks), limit)


def html_blocks(blocks: Iterable[r.Block]) -> list[str]:
    """Each block as Telegram HTML (a clause in full gives several, to split between)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, r.Lead):
            out.append("\n".join([f"<b>{esc(block.strong)}</b>{esc(block.rest)}",
                                  *(esc(line) for line in block.notes)]))
        elif isinstance(block, r.Cited):
            out.append(_cited(block))
        elif isinstance(block, r.FullClause):
            out.extend(_full(block))
        elif isinstance(block, r.Catalog):
            out.append("\n".join([f"<b>{esc(block.heading)}</b>", *map(_listed, block.documents)]))
        else:
            out.append(esc(block.text))
    return out


def units_line(units: Sequence[Unit]) -> str:
    """责任单位：A（牵头）、B — lead units marked."""
    names = "、".join(esc(u.name) + ("（牵头）" if u.lead else "") for u in units)
    return f"责任单位：{names}" if names else ""


def _cited(block: r.Cited) -> str:
    lines = [f"📄 <b>{esc(block.label)}</b>（{esc(block.clause_id)}）"]
    if block.quote:
        lines.append(f"<blockquote>{esc(block.quote)}</blockquote>")
    if block.units:
        lines.append(units_line(block.units))
    if block.deadline:
        lines.append(f"完成时限：{esc(block.deadline)}")
    return "\n".join(lines)


def _full(block: r.FullClause) -> list[str]:
    title = f"📄 <b>{esc(block.label)}</b>（{esc(block.clause_id)}）"
    if block.doc_title:
        title += f"\n<i>{esc(block.doc_title)}</i>"
    out = [title, esc(block.text)]
    if block.units:
        out.append(units_line(block.units))
    if block.deadline:
        out.append(f"完成时限：{esc(block.deadline)}")
    return out


def _listed(entry: r.Listed) -> str:
    number = f"（{esc(entry.number)}）" if entry.number else ""
    return f"• {esc(entry.title)}{number}：{entry.clauses} 条，编号 <code>{esc(entry.doc_id)}</code>"


# -- the answer contract, rendered directly ---------------------------------------------------


def citation_block(citation: Citation, quote: bool = True) -> str:
    """One cited clause: its label and id, the quoted sentence, units and deadline."""
    return _cited(r.Cited.of(citation, quote))


def answer_blocks(answer: Answer, listing: bool) -> list[str]:
    """The blocks of an answer: the direct answer first, then one block per clause shown."""
    return html_blocks(r.answer_blocks(answer, listing))


def related_blocks(citations: Iterable[Citation]) -> list[str]:
    """Further citations, shown when "相关条款" is pressed."""
    return html_blocks(r.related_blocks(tuple(citations)))


def clause_blocks(clause: Clause, document: Document | None = None) -> list[str]:
    """A clause in full: its heading line, then its text in sentence-sized pieces."""
    return html_blocks(r.clause_blocks(clause, document))


# -- splitting ---------------------------------------------------------------------------------


def pack(blocks: Sequence[str], limit: int = LIMIT) -> list[str]:
    """Join blocks into as few messages as fit ``limit``, breaking only between blocks.

    A block too long on its own (a very long clause) fills the current message and goes on in
    the next ones, broken between sentences; only a sentence longer than a whole message is cut
    inside, never within an ``&…;`` entity. Tags sit only in short lines, so a break never falls
    inside one.
    """
    return packing.pack(blocks, limit, size, _entity_guard)


def _entity_guard(text: str, end: int) -> int:
    """``end`` moved back before an ``&…;`` entity it would split."""
    amp = text.rfind("&", max(0, end - 8), end)
    if amp != -1 and ";" not in text[amp:end]:
        return amp
    return end
