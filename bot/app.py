"""The Telegram bot: python-telegram-bot v22 over the same answer engine as the API and CLI.

Private chats: any text is a question. Groups: a mention of the bot, a reply to the bot, or
``/ask …``. What to say comes from :class:`bot.conversation.Conversation` (shared with the
other chat channels); this module parses Telegram's updates and commands, renders replies as
Telegram HTML (:mod:`bot.render`) with inline keyboards (:mod:`bot.buttons`), and runs the
engine in a worker thread so the event loop keeps serving other chats.

Every answer is kept in the question log (channel ``telegram``, the user as a keyed hash of
their Telegram user id, never the id) and carries 有帮助 / 没帮助 buttons, whose presses come
back as callback queries like the others; the log is closed in ``post_shutdown``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import BotCommand, LinkPreviewOptions, Message, Update
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
from bot.conversation import FOLLOW_UP_SECONDS, Conversation
from bot.reply import Reply, plain
from contract.errors import ConfigurationError
from engine.followup import Contexts
from engine.ratelimit import RateLimiter
from engine.service import PolicyQA
from usage.log import NullLog, QuestionLog
from usage.privacy import UserHasher

logger = logging.getLogger(__name__)

COMMANDS = (("ask", "提问：/ask 养老机构还需要许可吗"), ("unit", "某单位负责的任务：/unit 省民政厅"),
            ("clause", "查看条款：/clause 7.1"), ("about", "收录的政策文件"), ("help", "使用说明"))
HELP = ("直接发送您的问题即可，例如“网上开店要办执照吗”。在群里请 @我 或回复我的消息，"
        "也可以用 /ask 加问题。\n\n"
        "/unit 单位名称 — 这个单位负责的任务\n/clause 条款编号 — 条款全文（如 /clause 7.1）\n"
        "/about — 收录的政策文件\n\n每个回答都引用原文，写明责任单位和完成时限；"
        "文件中没有的内容，我会直接说明没有找到。")
SORRY = "抱歉，处理您的请求时出了点问题，请稍后再试。"
_PREFIX, _ANON = "telegram:", "telegram:anon"


class PolicyBot:
    """Handlers over one service, loaded once in ``post_init``."""

    def __init__(self, load: Callable[[], PolicyQA], rate_limit_per_minute: int = 20,
                 follow_up_seconds: float = FOLLOW_UP_SECONDS, *,
                 log: QuestionLog | None = None, users: UserHasher | None = None) -> None:
        self._load = load
        self._log: QuestionLog = log if log is not None else NullLog()
        self._users = users
        self._limiter = RateLimiter(rate_limit_per_minute)
        self._contexts = Contexts(follow_up_seconds)
        self._conversation: Conversation | None = None

    @property
    def conversation(self) -> Conversation:
        """What the bot says, over the loaded service (after start-up)."""
        if self._conversation is None:
            raise RuntimeError("the bot has not finished starting")
        return self._conversation

    @property
    def service(self) -> PolicyQA:
        """The loaded service (after start-up)."""
        return self.conversation.service

    async def post_init(self, application: Application) -> None:  # type: ignore[type-arg]
        """Load model and index once, then publish the command list."""
        service = await asyncio.to_thread(self._load)
        await asyncio.to_thread(lambda: service.suggestions)  # asked once, up front
        self._conversation = Conversation(service, self._limiter, self._contexts, log=self._log,
                                          users=self._user_hash, channel="telegram")
        await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        logger.info("bot ready: %s", service.manifest.counts)

    async def post_shutdown(self, application: Application) -> None:  # type: ignore[type-arg]
        """Write what the question log still holds and release it."""
        await asyncio.to_thread(self._log.close)

    def _user_hash(self, key: str) -> str | None:
        """The log's hash of the Telegram user id in a user key (``telegram:<id>``)."""
        if self._users is None or key == _ANON or not key.startswith(_PREFIX):
            return None
        return self._users.hash("telegram", key.removeprefix(_PREFIX))

    # -- handlers ---------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """What the bot does, with example questions as buttons."""
        await self._send(update, self.conversation.intro())

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Usage."""
        await self._send(update, plain(HELP))

    async def about(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The corpus and its documents."""
        await self._send(update, self.conversation.catalog())

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/ask 问题``."""
        question = " ".join(context.args or [])
        if not question.strip():
            await self._send(update, plain("请在 /ask 后面写上问题，例如：/ask 养老机构还需要许可吗"))
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
            await self._send(update, plain("请在 /unit 后面写上单位名称，例如：/unit 省民政厅"))
            return
        await self._send(update, self.conversation.unit(name))

    async def clause(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/clause 7.1`` or ``/clause <文件编号> 7.1``: a clause in full."""
        args = list(context.args or [])
        if not args:
            await self._send(update, plain("请在 /clause 后面写上条款编号，例如：/clause 7.1"))
            return
        await self._send(update, self.conversation.clause(
            args[-1], args[0] if len(args) > 1 else None))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button under an answer: its payload names what to show (or is stale)."""
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        reply = await asyncio.to_thread(self.conversation.press, _user_key(update), query.data,
                                        _chat_key(update))
        await self._send(update, reply)

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
        reply = await asyncio.to_thread(self.conversation.ask, _user_key(update), question,
                                        _chat_key(update))
        await self._send(update, reply)

    async def _send(self, update: Update, reply: Reply) -> None:
        message = update.effective_message
        if message is None:
            return
        # In groups the answer quotes the question, so it is clear whom it answers.
        quote = message.chat.type != ChatType.PRIVATE and update.callback_query is None
        texts = render.messages(reply)
        markup = buttons.keyboard(reply.actions)
        for i, text in enumerate(texts):
            last = i == len(texts) - 1
            await message.reply_text(
                text, parse_mode=ParseMode.HTML, do_quote=quote and i == 0,
                reply_markup=markup if last else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True))


def _user_key(update: Update) -> str:
    """The rate limit's key for whoever sent the update."""
    user = update.effective_user
    return f"{_PREFIX}{user.id}" if user else _ANON


def _chat_key(update: Update) -> str | None:
    """The chat an update came from (a user's follow-ups are read per chat)."""
    chat = update.effective_chat
    return f"telegram:{chat.id}" if chat else None


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
                      rate_limit_per_minute: int = 20,
                      follow_up_seconds: float = FOLLOW_UP_SECONDS,
                      log: QuestionLog | None = None, users: UserHasher | None = None
                      ) -> Application:  # type: ignore[type-arg]
    """The bot application; ``load`` runs once in ``post_init`` (model and index);
    ``follow_up_seconds``: how long a user's last answer in a chat is kept for follow-ups;
    ``log`` keeps the answers and ratings (closed at shutdown), ``users`` hashes user ids for
    it (None: no user hashes)."""
    if not token:
        raise ConfigurationError("no Telegram token: set POLICYQA_TELEGRAM_TOKEN")
    handlers = PolicyBot(load, rate_limit_per_minute=rate_limit_per_minute,
                         follow_up_seconds=follow_up_seconds, log=log, users=users)
    builder = ApplicationBuilder().token(token).post_init(handlers.post_init) \
        .post_shutdown(handlers.post_shutdown)
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
