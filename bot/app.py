"""The Telegram bot: python-telegram-bot v22 over the same answer engine as the API and CLI.

Private chats: any text is a question. Groups: a mention of the bot, a reply to the bot, or
``/ask …``. Answering runs in a worker thread so the event loop keeps serving other chats.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import BotCommand, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, MessageEntityType, ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import buttons, render
from contract.answer import MAX_QUESTION, Answer, Citation
from contract.errors import ConfigurationError, InputError
from corpus.document import Clause, Document
from engine.answerer import cite, substance
from engine.ratelimit import RateLimiter, retry_after
from engine.service import PolicyQA

logger = logging.getLogger(__name__)

RELATED_PAGE = 3
COMMANDS = (("ask", "提问：/ask 养老机构还需要许可吗"), ("unit", "某单位负责的任务：/unit 省民政厅"),
            ("clause", "查看条款：/clause 7.1"), ("about", "收录的政策文件"), ("help", "使用说明"))
HELP = ("直接发送您的问题即可，例如“网上开店要办执照吗”。在群里请 @我 或回复我的消息，"
        "也可以用 /ask 加问题。\n\n"
        "/unit 单位名称 — 这个单位负责的任务\n/clause 条款编号 — 条款全文（如 /clause 7.1）\n"
        "/about — 收录的政策文件\n\n每个回答都引用原文，写明责任单位和完成时限；"
        "文件中没有的内容，我会直接说明没有找到。")
SORRY = "抱歉，处理您的请求时出了点问题，请稍后再试。"


@dataclass(frozen=True)
class _Reply:
    """Messages to send (already HTML) and the buttons under the last one."""

    blocks: list[str]
    markup: InlineKeyboardMarkup | None = None


class PolicyBot:
    """Handlers over one service, loaded once in ``post_init``."""

    def __init__(self, load: Callable[[], PolicyQA], rate_limit_per_minute: int = 20,
                 answers_kept: int = 1000) -> None:
        self._load = load
        self._limiter = RateLimiter(rate_limit_per_minute)
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._answers_kept = answers_kept
        self._counter = 0
        self._service: PolicyQA | None = None

    @property
    def service(self) -> PolicyQA:
        """The loaded service (after start-up)."""
        if self._service is None:
            raise RuntimeError("the bot has not finished starting")
        return self._service

    async def post_init(self, application: Application) -> None:  # type: ignore[type-arg]
        """Load model and index once, then publish the command list."""
        self._service = await asyncio.to_thread(self._load)
        await asyncio.to_thread(lambda: self.service.suggestions)  # asked once, up front
        await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        logger.info("bot ready: %s", self.service.manifest.counts)

    # -- handlers ---------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """What the bot does, with example questions as buttons."""
        text = ("<b>政策问答</b>\n我根据已收录的政策文件回答问题：每个回答都给出直接结论，引用原文条款，"
                "写明责任单位和完成时限。\n\n试试这些问题：")
        await self._send(update, _Reply([text], self._suggestion_buttons()))

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Usage."""
        await self._send(update, _Reply([render.esc(HELP)]))

    async def about(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The corpus and its documents."""
        lines = ["<b>收录的政策文件</b>"]
        for d in self.service.documents:
            number = f"（{render.esc(d.number)}）" if d.number else ""
            lines.append(f"• {render.esc(d.title)}{number}：{len(d.clauses)} 条，"
                         f"编号 <code>{render.esc(d.doc_id)}</code>")
        await self._send(update, _Reply(["\n".join(lines)]))

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/ask 问题``."""
        question = " ".join(context.args or [])
        if not question.strip():
            await self._send(update, _Reply(["请在 /ask 后面写上问题，例如：/ask 养老机构还需要许可吗"]))
            return
        await self._answer(update, question)

    async def private_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any text in a private chat is a question."""
        if update.effective_message and update.effective_message.text:
            await self._answer(update, update.effective_message.text)

    async def group_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In groups, only a mention of the bot or a reply to it is a question."""
        message = update.effective_message
        if message is None or not message.text:
            return
        question = _addressed(message, context.bot.username, context.bot.id)
        if question is not None:
            await self._answer(update, question)

    async def unit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/unit 省民政厅``: every task the unit leads or shares."""
        name = "".join(context.args or []).strip()
        if not name:
            await self._send(update, _Reply(["请在 /unit 后面写上单位名称，例如：/unit 省民政厅"]))
            return
        await self._send(update, self._unit_reply(name))

    async def clause(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/clause 7.1`` or ``/clause <文件编号> 7.1``: a clause in full."""
        args = list(context.args or [])
        if not args:
            await self._send(update, _Reply(["请在 /clause 后面写上条款编号，例如：/clause 7.1"]))
            return
        found = self._find_clause(args[-1], args[0] if len(args) > 1 else None)
        if found is None:
            await self._send(update, _Reply([f"没有找到编号为 {render.esc(args[-1])} 的条款。"
                                             "条款编号见回答中的括号，例如 7.1、A1.8。"]))
            return
        await self._send(update, _Reply(render.clause_blocks(found[1], found[0])))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button under an answer."""
        query = update.callback_query
        if query is None:
            return
        try:
            press = buttons.decode(query.data)
            question = self._suggestion(press.args) if press.action == buttons.ASK else None
        except InputError:
            await query.answer("这个按钮已失效。")
            return
        await query.answer()
        if question is not None:
            await self._answer(update, question)
        elif press.action == buttons.SHOW_CLAUSE:
            found = self._clause_at(press.args)
            reply = _Reply(render.clause_blocks(found[1], found[0])) if found else \
                _Reply(["这个条款已不在当前的索引中。"])
            await self._send(update, reply)
        else:
            await self._send(update, self._related(press.args))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure with its traceback and tell the user, briefly."""
        logger.error("update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            try:
                await update.effective_message.reply_text(SORRY)
            except Exception:  # the error may be the network itself; it is logged above
                logger.warning("could not tell the user about the failure", exc_info=True)

    # -- answering --------------------------------------------------------------------------

    async def _answer(self, update: Update, question: str) -> None:
        user = update.effective_user
        wait = self._limiter.check(str(user.id if user else "anon"))
        if wait:
            await self._send(update, _Reply([f"您提问太频繁了，请 {retry_after(wait)} 秒后再试。"]))
            return
        if len(question.strip()) > MAX_QUESTION:
            await self._send(update, _Reply([f"问题太长了，请精简到 {MAX_QUESTION} 字以内。"]))
            return
        try:
            answer = await asyncio.to_thread(self.service.ask, question)
        except InputError as exc:
            await self._send(update, _Reply([f"这个问题无法处理：{render.esc(str(exc))}"]))
            return
        await self._send(update, self._answer_reply(answer))

    def _answer_reply(self, answer: Answer) -> _Reply:
        if answer.status != "answered" or not answer.citations:
            return _Reply([render.esc(answer.answer), "您可以试试这些问题："],
                          self._suggestion_buttons())
        listing = answer.kind in ("list_unit", "list_deadline")
        row = []
        first = answer.citations[0]
        position = self._position(first.doc_id)
        if position is not None:
            row.append(("查看原文", buttons.encode(buttons.SHOW_CLAUSE, position, first.clause_id)))
        if not listing and len(answer.citations) > 1:
            row.append(("相关条款", buttons.encode(buttons.MORE, self._keep(answer), 1)))
        return _Reply(render.answer_blocks(answer, listing), buttons.keyboard([row]))

    def _related(self, args: Sequence[str]) -> _Reply:
        key, offset = (args[0], int(args[1])) if len(args) == 2 and args[1].isdigit() else ("", 0)
        answer = self._answers.get(key)
        if answer is None:
            return _Reply(["这个回答已过期，请重新提问。"])
        page = answer.citations[offset: offset + RELATED_PAGE]
        if not page:
            return _Reply(["没有更多相关条款了。"])
        rows = [[(f"原文：{c.label}"[:40], buttons.encode(buttons.SHOW_CLAUSE, p, c.clause_id))
                 for c in page if (p := self._position(c.doc_id)) is not None]]
        if offset + RELATED_PAGE < len(answer.citations):
            rows.append([("更多相关条款", buttons.encode(buttons.MORE, key, offset + RELATED_PAGE))])
        return _Reply(render.related_blocks(page), buttons.keyboard(rows))

    def _unit_reply(self, name: str) -> _Reply:
        canonical, tasks = self.service.unit_tasks(name)
        if not tasks:
            near = self.service.units_like(name)
            hint = f"您是不是要找：{'、'.join(render.esc(u) for u in near)}" if near else \
                "请使用文件中的单位简称，例如“省民政厅”。"
            return _Reply([f"没有找到“{render.esc(name)}”负责的任务。{hint}"])
        leads = sum(1 for c in tasks if any(u.name == canonical and u.lead for u in c.units))
        head = (f"<b>{render.esc(canonical)}</b> 负责 {len(tasks)} 项任务"
                f"（牵头 {leads} 项）：")
        blocks = [head, *(render.citation_block(_task(c), quote=True) for c in tasks)]
        return _Reply(blocks)

    # -- helpers ----------------------------------------------------------------------------

    def _suggestion_buttons(self) -> InlineKeyboardMarkup | None:
        return buttons.keyboard([[(q, buttons.encode(buttons.ASK, i))]
                                 for i, q in enumerate(self.service.suggestions)])

    def _suggestion(self, args: Sequence[str]) -> str:
        suggestions = self.service.suggestions
        if len(args) == 1 and args[0].isdigit() and int(args[0]) < len(suggestions):
            return suggestions[int(args[0])]
        raise InputError("unknown suggestion")

    def _keep(self, answer: Answer) -> str:
        """A short key for an answer kept for its "相关条款" button (oldest dropped first)."""
        self._counter += 1
        key = format(self._counter, "x")
        self._answers[key] = answer
        while len(self._answers) > self._answers_kept:
            self._answers.popitem(last=False)
        return key

    def _position(self, doc_id: str) -> int | None:
        for i, document in enumerate(self.service.documents):
            if document.doc_id == doc_id:
                return i
        return None

    def _clause_at(self, args: Sequence[str]) -> tuple[Document, Clause] | None:
        documents = self.service.documents
        if len(args) != 2 or not args[0].isdigit() or int(args[0]) >= len(documents):
            return None
        return self._find_clause(args[1], documents[int(args[0])].doc_id)

    def _find_clause(self, clause_id: str, doc_id: str | None) -> tuple[Document, Clause] | None:
        clause = self.service.find_clause(clause_id, doc_id)
        return (self.service.document(clause.doc_id), clause) if clause else None

    async def _send(self, update: Update, reply: _Reply) -> None:
        message = update.effective_message
        if message is None:
            return
        # In groups the answer quotes the question, so it is clear whom it answers.
        quote = message.chat.type != ChatType.PRIVATE and update.callback_query is None
        texts = render.pack(reply.blocks)
        for i, text in enumerate(texts):
            last = i == len(texts) - 1
            await message.reply_text(
                text, parse_mode=ParseMode.HTML, do_quote=quote and i == 0,
                reply_markup=reply.markup if last else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True))


def _task(clause: Clause) -> Citation:
    """A unit's task as a citation, quoting its first sentence that is more than the heading."""
    quote = substance(clause)
    deadline = clause.deadline_of(quote)
    return cite(clause, quote, 0.0, deadline.text if deadline else None)


def _addressed(message: Message, username: str | None, bot_id: int) -> str | None:
    """The question in a group message addressed to the bot, or None if it is not."""
    text = message.text or ""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return text
    mention = f"@{username}".lower() if username else None
    for entity in message.entities:
        if entity.type == MessageEntityType.MENTION and mention is not None:
            named = message.parse_entity(entity)
            if named.lower() == mention:
                return (text[:entity.offset] + text[entity.offset + entity.length:]).strip() or None
    return None


def build_application(token: str, load: Callable[[], PolicyQA], *, base_url: str | None = None,
                      rate_limit_per_minute: int = 20) -> Application:  # type: ignore[type-arg]
    """The bot application; ``load`` runs once in ``post_init`` (model and index)."""
    if not token:
        raise ConfigurationError("no Telegram token: set POLICYQA_TELEGRAM_TOKEN")
    handlers = PolicyBot(load, rate_limit_per_minute=rate_limit_per_minute)
    builder = ApplicationBuilder().token(token).post_init(handlers.post_init)
    if base_url:
        builder = builder.base_url(base_url)
    application = builder.concurrent_updates(True).build()
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help))
    application.add_handler(CommandHandler("about", handlers.about))
    application.add_handler(CommandHandler("ask", handlers.ask_command))
    application.add_handler(CommandHandler("unit", handlers.unit))
    application.add_handler(CommandHandler("clause", handlers.clause))
    application.add_handler(CallbackQueryHandler(handlers.press))
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, handlers.private_text))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, handlers.group_text))
    application.add_error_handler(handlers.on_error)
    application.bot_data["policyqa"] = handlers
    return application
