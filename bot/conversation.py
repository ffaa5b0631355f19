"""What the bot says, whatever the channel: questions, presses and look-ups turned into
channel-neutral :class:`~bot.reply.Reply` objects with their buttons.

A channel adapter (Telegram in :mod:`bot.app`; WeCom, DingTalk) receives a message or a press,
calls one method here and renders the reply (:mod:`bot.render`, :mod:`bot.markdown`)::

    conversation = Conversation(service, RateLimiter(20), log=log, users=UserHasher(key),
                                channel="telegram")
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

The question log (:mod:`usage.log`): every answer given is recorded under its ``answer_id``
with its channel, latency, follow-up flag and the keyed hash of the user key (``users``: a
:class:`~usage.privacy.UserHasher`, or a callable user key → hash; never the key itself), and
every answer reply carries a row of rating buttons, 有帮助 and 没帮助 (:mod:`bot.payload`'s
``f|…``). A press is one row of the log:

* 有帮助 → a 👍, and 感谢反馈;
* 没帮助 → a 👎 without a reason, at once (a 👎 counts even when no reason follows), and the
  reason buttons 答非所问 / 条款过时 / 没说清楚 / 其他;
* a reason → a further 👎 row with that reason. The report counts each answer's ratings once,
  its latest, with the latest reason given (:func:`usage.report.ratings`), so 没帮助 then
  条款过时 is one 👎 for 条款过时.

A rating of an answer the log does not know (never recorded, or deleted by retention) gets
:data:`RATING_EXPIRED`. Anyone shown the buttons can press them (in a Telegram group, others
than the asker too); a rating names the answer, never who rated it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from bot import reply as r
from bot.payload import (
    REASON_CODES,
    AskQuestion,
    Expired,
    Payloads,
    Rate,
    ShowClause,
    rating_payload,
)
from contract.answer import MAX_QUESTION, Answer, Citation
from contract.errors import InputError
from corpus.document import Clause
from engine.citation import cite, substance
from engine.followup import Contexts
from engine.ratelimit import RateLimiter, retry_after
from engine.service import PolicyQA
from usage.log import NullLog, QuestionLog
from usage.privacy import UserHasher
from usage.record import REASON_LABELS, Feedback, asked_from

logger = logging.getLogger(__name__)

EXPIRED = "这条回答已过期，请重新提问。"
INTRO = ("我根据已收录的政策文件回答问题：每个回答都给出直接结论，引用原文条款，"
         "写明责任单位和完成时限。")
RELATED_LABEL = 40
"""Characters of a clause label shown on its 原文 button."""
FOLLOW_UP_SECONDS = 600.0
"""How long a user's last answer in a chat is kept for follow-ups, unless told otherwise."""
HELPFUL, UNHELPFUL = "有帮助", "没帮助"
THANKS = "感谢反馈！"
WHY = "感谢反馈。这条回答哪里不好？请选一项，帮助我们改进："
THANKS_WHY = "感谢反馈，我们会据此改进。"
RATING_EXPIRED = "这条回答已过期，无法评价。"

ChatChannel = Literal["telegram", "wecom", "dingtalk"]
Users = Callable[[str], str | None]
"""A user key → its keyed hash for the log (None: no hash)."""


class Conversation:
    """Replies over one served index, with an optional per-user rate limit on questions."""

    def __init__(self, service: PolicyQA, limiter: RateLimiter | None = None,
                 contexts: Contexts | None = None, *, log: QuestionLog | None = None,
                 users: UserHasher | Users | None = None,
                 channel: ChatChannel = "telegram") -> None:
        self.service = service
        self.log: QuestionLog = log if log is not None else NullLog()
        """Where answers and ratings are kept."""
        self.channel: ChatChannel = channel
        if isinstance(users, UserHasher):
            hasher = users
            self._users: Users = lambda user: hasher.hash(channel, user)
        else:
            self._users = users if users is not None else (lambda user: None)
        self.payloads = Payloads(service)
        self._limiter = limiter or RateLimiter(0)
        self.contexts = contexts if contexts is not None else Contexts(FOLLOW_UP_SECONDS)
        """The last answer of each user in each chat, for follow-up questions."""

    # -- questions -------------------------------------------------------------------------

    def ask(self, user: str, question: str, chat: str | None = None) -> r.Reply:
        """Answer a question from ``user`` (a key per person, for the rate limit) in ``chat``
        (a key per chat; None: a one-to-one chat). A follow-up (谁牵头, 什么时候完成, 那福州呢)
        is read against the same user's last answer in the same chat. An answer is recorded
        in the log, under the hash of ``user``."""
        started, at = time.perf_counter(), datetime.now(UTC)
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
        reply = self.answer(turn.answer)
        if reply.answer_id is not None:
            self.log.record(asked_from(
                turn.answer, answer_id=reply.answer_id, at=at, channel=self.channel,
                user=self._users(user), latency_ms=(time.perf_counter() - started) * 1000,
                follow_up=turn.follow_up))
        return reply

    def answer(self, answer: Answer) -> r.Reply:
        """An answer with its buttons: 查看原文 for the clause it rests on, 相关条款 for the
        others; a question not answered gets suggested questions instead. Each reply to an
        answer carries a new ``answer_id`` and, last, the row 有帮助 / 没帮助 that rates it."""
        answer_id = uuid.uuid4().hex
        rate = (r.Action("rate", HELPFUL, rating_payload(answer_id, 1)),
                r.Action("rate", UNHELPFUL, rating_payload(answer_id, -1)))
        if answer.status != "answered" or not answer.citations:
            return r.Reply((r.Plain(answer.answer), r.Plain("您可以试试这些问题：")),
                           (*self.suggestions(), rate), title=r.headline(answer.answer),
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
        return r.Reply(r.answer_blocks(answer, listing), (tuple(row), rate) if row else (rate,),
                       title=r.headline(answer.answer), answer_id=answer_id)

    # -- presses ---------------------------------------------------------------------------

    def press(self, user: str, payload: str | None, chat: str | None = None) -> r.Reply:
        """The reply to a pressed button's payload (``user`` and ``chat`` as for ``ask``)."""
        try:
            pressed = self.payloads.resolve(payload)
        except Expired as exc:
            logger.info("button refused: %s", exc)
            return r.plain(EXPIRED)
        if isinstance(pressed, Rate):
            return self.rate(pressed)
        if isinstance(pressed, AskQuestion):
            return self.ask(user, pressed.question, chat)
        if isinstance(pressed, ShowClause):
            return r.Reply(r.clause_blocks(pressed.clause, pressed.document),
                           title=r.headline(pressed.clause.label))
        return self.related(pressed.citations)

    def rate(self, rate: Rate) -> r.Reply:
        """Keep a rating in the log (one row a press, see the module's docstring) and thank;
        after 没帮助, ask why with the reason buttons."""
        if not self.log.rate(Feedback(rate.answer_id, datetime.now(UTC), rate.rating,
                                      rate.reason)):
            logger.info("rating of an answer the log does not know refused")
            return r.plain(RATING_EXPIRED)
        if rate.rating == 1:
            return r.plain(THANKS, title="感谢反馈")
        if rate.reason is not None:
            return r.plain(THANKS_WHY, title="感谢反馈")
        row = tuple(r.Action("rate", REASON_LABELS[reason],
                             rating_payload(rate.answer_id, -1, reason))
                    for reason in REASON_CODES)
        return r.Reply((r.Plain(WHY),), (row,), title="感谢反馈")

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
