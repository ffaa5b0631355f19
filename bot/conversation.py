"""What the bot says, whatever the channel: questions, presses and look-ups turned into
channel-neutral :class:`~bot.reply.Reply` objects with their buttons.

A channel adapter (Telegram in :mod:`bot.app`; WeCom, DingTalk) receives a message or a press,
calls one method here and renders the reply (:mod:`bot.render`, :mod:`bot.markdown`)::

    conversation = Conversation(service, RateLimiter(20))
    reply = conversation.ask(user_key, text, chat_key)      # blocking: in a worker thread
    reply = conversation.press(user_key, payload, chat_key)  # a button's payload sent back
    reply = conversation.unit("省民政厅"); conversation.clause("7.1", doc_id=None)
    reply = conversation.intro(); conversation.catalog()

``ask`` applies the per-user rate limit and the question length limit, and keeps each user's
last answer in each chat (:class:`engine.followup.Contexts`), so that 谁牵头 or 什么时候完成
right after an answer is read against it; a press that asks a suggested question goes through
``ask`` too. Every reply built from an answer carries a new ``answer_id``. A stale, garbled or
foreign payload gets :data:`EXPIRED`, never another clause. Command syntax and help texts
belong to the channel.
"""

from __future__ import annotations

import logging
import uuid

from bot import reply as r
from bot.payload import AskQuestion, Expired, Payloads, ShowClause
from contract.answer import MAX_QUESTION, Answer, Citation
from contract.errors import InputError
from corpus.document import Clause
from engine.citation import cite, substance
from engine.followup import Contexts
from engine.ratelimit import RateLimiter, retry_after
from engine.service import PolicyQA

logger = logging.getLogger(__name__)

EXPIRED = "这条回答已过期，请重新提问。"
INTRO = ("我根据已收录的政策文件回答问题：每个回答都给出直接结论，引用原文条款，"
         "写明责任单位和完成时限。")
RELATED_LABEL = 40
"""Characters of a clause label shown on its 原文 button."""
FOLLOW_UP_SECONDS = 600.0
"""How long a user's last answer in a chat is kept for follow-ups, unless told otherwise."""


class Conversation:
    """Replies over one served index, with an optional per-user rate limit on questions."""

    def __init__(self, service: PolicyQA, limiter: RateLimiter | None = None,
                 contexts: Contexts | None = None) -> None:
        self.service = service
        self.payloads = Payloads(service)
        self._limiter = limiter or RateLimiter(0)
        self.contexts = contexts if contexts is not None else Contexts(FOLLOW_UP_SECONDS)
        """The last answer of each user in each chat, for follow-up questions."""

    # -- questions -------------------------------------------------------------------------

    def ask(self, user: str, question: str, chat: str | None = None) -> r.Reply:
        """Answer a question from ``user`` (a key per person, for the rate limit) in ``chat``
        (a key per chat; None: a one-to-one chat). A follow-up (谁牵头, 什么时候完成, 那福州呢)
        is read against the same user's last answer in the same chat."""
        wait = self._limiter.check(user)
        if wait:
            return r.plain(f"您提问太频繁了，请 {retry_after(wait)} 秒后再试。")
        if len(question.strip()) > MAX_QUESTION:
            return r.plain(f"问题太长了，请精简到 {MAX_QUESTION} 字以内。")
        key = f"{user}\n{chat or ''}"
        try:
            turn = self.service.follow_up(question, self.contexts.get(key))
        except InputError as exc:
            return r.plain(f"这个问题无法处理：{exc}")
        self.contexts.put(key, turn.context)
        return self.answer(turn.answer)

    def answer(self, answer: Answer) -> r.Reply:
        """An answer with its buttons: 查看原文 for the clause it rests on, 相关条款 for the
        others; a question not answered gets suggested questions instead. Each reply to an
        answer carries a new ``answer_id``."""
        answer_id = uuid.uuid4().hex
        if answer.status != "answered" or not answer.citations:
            return r.Reply((r.Plain(answer.answer), r.Plain("您可以试试这些问题：")),
                           self.suggestions(), title=r.headline(answer.answer),
                           answer_id=answer_id)
        listing = answer.kind in r.LIST_KINDS
        row: list[r.Action] = []
        first = answer.citations[0]
        show = self._show(first)
        if show is not None:
            row.append(r.Action("clause", "查看原文", show))
        if not listing and len(answer.citations) > 1:
            more = self.payloads.related(answer.citations[1:])
            if more is not None:
                row.append(r.Action("related", "相关条款", more))
        return r.Reply(r.answer_blocks(answer, listing), (tuple(row),) if row else (),
                       title=r.headline(answer.answer), answer_id=answer_id)

    # -- presses ---------------------------------------------------------------------------

    def press(self, user: str, payload: str | None, chat: str | None = None) -> r.Reply:
        """The reply to a pressed button's payload (``user`` and ``chat`` as for ``ask``)."""
        try:
            pressed = self.payloads.resolve(payload)
        except Expired as exc:
            logger.info("button refused: %s", exc)
            return r.plain(EXPIRED)
        if isinstance(pressed, AskQuestion):
            return self.ask(user, pressed.question, chat)
        if isinstance(pressed, ShowClause):
            return r.Reply(r.clause_blocks(pressed.clause, pressed.document),
                           title=r.headline(pressed.clause.label))
        return self.related(pressed.citations)

    def related(self, citations: tuple[Citation, ...]) -> r.Reply:
        """Further citations, each with a button to its clause in full."""
        row = tuple(r.Action("clause", f"原文：{c.label}"[:RELATED_LABEL], show)
                    for c in citations if (show := self._show(c)) is not None)
        return r.Reply(r.related_blocks(citations), (row,) if row else (), title="相关条款")

    # -- look-ups --------------------------------------------------------------------------

    def intro(self) -> r.Reply:
        """What the bot does, with suggested questions as buttons."""
        return r.Reply((r.Lead("政策问答", notes=(INTRO, "", "试试这些问题：")),),
                       self.suggestions())

    def catalog(self) -> r.Reply:
        """The indexed notices."""
        return r.Reply((r.Catalog.of(self.service.documents),), title="收录的政策文件")

    def unit(self, name: str) -> r.Reply:
        """Every task a unit leads or shares, those it leads first."""
        canonical, tasks = self.service.unit_tasks(name)
        if not tasks:
            near = self.service.units_like(name)
            hint = f"您是不是要找：{'、'.join(near)}" if near else \
                "请使用文件中的单位简称，例如“省民政厅”。"
            return r.plain(f"没有找到“{name}”负责的任务。{hint}")
        leads = sum(1 for c in tasks if any(u.name == canonical and u.lead for u in c.units))
        head = r.Lead(canonical, rest=f" 负责 {len(tasks)} 项任务（牵头 {leads} 项）：")
        return r.Reply((head, *(r.Cited.of(_task(c)) for c in tasks)),
                       title=f"{canonical}负责的任务")

    def clause(self, clause_id: str, doc_id: str | None = None) -> r.Reply:
        """A clause in full by its id as typed (7.1, a1.8), in one document or the first that
        has it."""
        clause = self.service.find_clause(clause_id, doc_id)
        if clause is None:
            return r.plain(f"没有找到编号为 {clause_id} 的条款。条款编号见回答中的括号，"
                           "例如 7.1、A1.8。")
        document = self.service.document(clause.doc_id)
        return r.Reply(r.clause_blocks(clause, document), title=r.headline(clause.label))

    def suggestions(self) -> tuple[tuple[r.Action, ...], ...]:
        """The suggested questions, one button a row."""
        return tuple((r.Action("ask", q, self.payloads.ask(i), question=q),)
                     for i, q in enumerate(self.service.suggestions))

    def _show(self, citation: Citation) -> str | None:
        try:
            return self.payloads.show_clause(citation.doc_id, citation.clause_id)
        except InputError:
            logger.warning("no 查看原文 button for %s:%s", citation.doc_id, citation.clause_id)
            return None


def _task(clause: Clause) -> Citation:
    """A unit's task as a citation, quoting its first sentence that is more than the heading."""
    quote = substance(clause)
    deadline = clause.deadline_of(quote)
    return cite(clause, quote, 0.0, deadline.text if deadline else None)
