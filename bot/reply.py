"""The channel-neutral reply: what the bot says, built once from an :class:`Answer` (or a clause,
a unit's tasks, the list of notices) and then rendered for each chat channel.

A :class:`Reply` is ``blocks`` (what to show, in order; text as written, never escaped),
``actions`` (rows of buttons under the last message) and a one-line ``title`` (for channels
that show one, such as DingTalk's conversation list). Renderers: :mod:`bot.render` (Telegram
HTML), :mod:`bot.markdown` (WeCom markdown, DingTalk markdown and ActionCard). Each escapes the
text for its channel, lays the blocks out and splits between them (:mod:`bot.pack`).

Blocks:

* :class:`Lead` — a strong line (the direct answer, a heading) with plain lines under it;
* :class:`Cited` — a clause an answer rests on: label and clause id, document id and title, the
  quoted sentence, responsible units (牵头 marked) and deadline;
* :class:`FullClause` — a clause in full (查看原文);
* :class:`Catalog` — the indexed notices;
* :class:`Plain` — a paragraph of plain text.

An :class:`Action` is a button: ``kind`` (``clause`` 查看原文, ``related`` 相关条款, ``ask`` a
suggested question, ``rate`` 有帮助 / 没帮助 / a reason for 没帮助), ``label``, ``payload`` (from :mod:`bot.payload`, ASCII, at most 64 bytes:
what the channel sends back when it is pressed) and, for ``ask``, the ``question`` itself (for
channels that can only send text back).

Pure builders (no service needed): :func:`answer_blocks`, :func:`related_blocks`,
:func:`clause_blocks`, :func:`plain`. :class:`bot.conversation.Conversation` builds whole
replies, actions included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from contract.answer import Answer, Citation, Unit
from corpus.document import Clause, Document

ActionKind = Literal["clause", "related", "ask", "rate"]
LIST_KINDS = ("list_unit", "list_deadline")
"""Answer kinds that list tasks: every clause is shown, none is held back behind a button."""
_REPEATED = ("依据：", "责任单位：", "完成时限：", "更多依据：")
"""Lines of an answer's text that its citation block shows again."""


@dataclass(frozen=True)
class Lead:
    """``strong`` shown strong, ``rest`` after it on the same line, ``notes`` as lines below."""

    strong: str
    rest: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cited:
    """One cited clause: label and id, its document, the quote (empty: not shown), units and
    deadline."""

    doc_id: str
    clause_id: str
    label: str
    quote: str = ""
    doc_title: str = ""
    units: tuple[Unit, ...] = ()
    deadline: str | None = None

    @classmethod
    def of(cls, citation: Citation, quote: bool = True) -> Cited:
        """The block for a citation of the answer contract."""
        return cls(doc_id=citation.doc_id, clause_id=citation.clause_id, label=citation.label,
                   quote=citation.quote if quote else "", doc_title=citation.doc_title,
                   units=citation.units, deadline=citation.deadline)


@dataclass(frozen=True)
class FullClause:
    """A clause in full, with its document's title (empty: not shown)."""

    doc_id: str
    clause_id: str
    label: str
    text: str
    doc_title: str = ""
    units: tuple[Unit, ...] = ()
    deadline: str | None = None

    @classmethod
    def of(cls, clause: Clause, document: Document | None = None) -> FullClause:
        """The block for a clause of the corpus (and the document it is from)."""
        return cls(doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label,
                   text=clause.text, doc_title=document.title if document else "",
                   units=tuple(Unit(name=u.name, lead=u.lead) for u in clause.units),
                   deadline=clause.deadline.text if clause.deadline else None)


@dataclass(frozen=True)
class Listed:
    """One indexed notice: title, 文号 (may be empty), id and how many clauses it has."""

    doc_id: str
    title: str
    number: str
    clauses: int


@dataclass(frozen=True)
class Catalog:
    """The indexed notices under a heading."""

    heading: str
    documents: tuple[Listed, ...]

    @classmethod
    def of(cls, documents: Iterable[Document], heading: str = "收录的政策文件") -> Catalog:
        """The catalog of these documents."""
        return cls(heading, tuple(Listed(d.doc_id, d.title, d.number or "", len(d.clauses))
                                  for d in documents))


@dataclass(frozen=True)
class Plain:
    """A paragraph of plain text (it may hold line breaks)."""

    text: str


Block = Lead | Cited | FullClause | Catalog | Plain


@dataclass(frozen=True)
class Action:
    """A button: what it says and the payload a press sends back (see :mod:`bot.payload`)."""

    kind: ActionKind
    label: str
    payload: str
    question: str = ""
    """For ``ask``: the suggested question."""


@dataclass(frozen=True)
class Reply:
    """What to say: blocks in order, rows of actions under the last message, a short title."""

    blocks: tuple[Block, ...]
    actions: tuple[tuple[Action, ...], ...] = ()
    title: str = "政策问答"
    answer_id: str | None = None
    """The id of the answer this reply shows (None: the reply is not an answer)."""

    @property
    def buttons(self) -> tuple[Action, ...]:
        """Every action, row by row."""
        return tuple(a for row in self.actions for a in row)


def within(actions: Sequence[Action], limit: int) -> tuple[Action, ...]:
    """At most ``limit`` of ``actions``, in order, for a channel that shows only so many
    buttons: the ``rate`` buttons are kept first (the others they displace are left to the
    caller, e.g. to list as links)."""
    rates = [a for a in actions if a.kind == "rate"][:limit]
    room = limit - len(rates)
    others = [a for a in actions if a.kind != "rate"][:room]
    kept = {id(a) for a in (*rates, *others)}
    return tuple(a for a in actions if id(a) in kept)


def plain(*texts: str, title: str = "政策问答") -> Reply:
    """A reply of plain paragraphs, without buttons."""
    return Reply(tuple(Plain(t) for t in texts), title=title)


def answer_blocks(answer: Answer, listing: bool | None = None) -> tuple[Block, ...]:
    """The blocks of an answered question: the direct answer first, then the clauses shown.

    A list answer (every task of a unit, every task due by a date) shows all its clauses; any
    other answer shows the clause it rests on, and its other citations stay behind a button.
    """
    if listing is None:
        listing = answer.kind in LIST_KINDS
    lines = answer.answer.split("\n")
    # Extra lines the engine adds (e.g. 另：…) that the citation block does not repeat.
    notes = () if listing else tuple(
        line for line in lines[1:] if line and not line.startswith(_REPEATED))
    shown = answer.citations if listing else answer.citations[:1]
    return (Lead(lines[0], notes=notes), *(Cited.of(c) for c in shown))


def related_blocks(citations: Sequence[Citation]) -> tuple[Block, ...]:
    """Further citations, shown when 相关条款 is pressed."""
    return (Lead("相关条款"), *(Cited.of(c) for c in citations))


def clause_blocks(clause: Clause, document: Document | None = None) -> tuple[Block, ...]:
    """A clause in full."""
    return (FullClause.of(clause, document),)


def headline(text: str, limit: int = 40) -> str:
    """The first line of ``text`` within ``limit`` characters (… marks a cut)."""
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"
