"""The real bot application against the local Bot API stand-in, end to end over HTTP on 127.0.0.1.

Each test feeds updates the way Telegram would deliver them and asserts on the exact requests
the bot sent back.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from telegram.ext import Application

from bot.app import SORRY, build_application
from bot.conversation import EXPIRED
from bot.payload import doc_key
from corpus.document import Document
from engine.service import PolicyQA
from index.fake import HashingEncoder
from index.lexicon import load_stopwords
from index.store import load_index
from policyqa.logs import PlainFormatter, Redact
from tests.bot.notices import edited, hostile, long_notice
from tests.bot.standin import BOT_USER, Call, TelegramStandIn, html_error
from tests.conftest import build_fake, fake_service
from tests.liveserver import LiveServer
from usage.log import MemoryLog, QuestionLog
from usage.privacy import UserHasher

TOKEN = "123456789:AAE-stand-in-secret-token_xyz"


class BotRunner:
    """Runs the application's own start-up, polling and shutdown on a background event loop."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> BotRunner:
        self._thread.start()
        self._run(self._start())
        return self

    def stop(self) -> None:
        try:
            self._run(self._stop())
        finally:
            self.close()

    def shutdown(self) -> None:
        """After a failed start: release what the application opened, then close the loop."""
        try:
            self._run(self.application.shutdown())
        finally:
            self.close()

    def close(self) -> None:
        """Stop the loop's thread and close the loop (its sockets with it)."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _run(self, coroutine: Any) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=120)

    async def _start(self) -> None:
        app = self.application
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()

    async def _stop(self) -> None:
        app = self.application
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:  # as run_polling does
            await app.post_shutdown(app)


@pytest.fixture(scope="module")
def bot_index(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> Path:
    folder = tmp_path_factory.mktemp("bot-index") / "index"
    build_fake([fujian, hostile(), long_notice()], folder)  # long: 40 tasks, a huge clause
    return folder


@pytest.fixture(scope="module")
def runtime(bot_index: Path) -> PolicyQA:
    return fake_service(bot_index)


@pytest.fixture(scope="module")
def log_stream() -> Iterator[io.StringIO]:
    """Everything logged while the bots run, through the entry point's redacting handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PlainFormatter())
    handler.addFilter(Redact(TOKEN, "<token>"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.INFO)  # it logs request URLs, token included
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def _start_bot(load: Callable[[], PolicyQA], rate: int = 1000, log: QuestionLog | None = None,
               users: UserHasher | None = None
               ) -> tuple[TelegramStandIn, LiveServer, BotRunner]:
    telegram = TelegramStandIn(TOKEN)
    server = LiveServer(telegram.app).start()
    application = build_application(TOKEN, load, base_url=f"{server.base}/bot",
                                    rate_limit_per_minute=rate, log=log, users=users)
    return telegram, server, BotRunner(application).start()


@pytest.fixture(scope="module")
def bot(runtime: PolicyQA, log_stream: io.StringIO) -> Iterator[TelegramStandIn]:
    telegram, server, runner = _start_bot(lambda: runtime)
    yield telegram
    runner.stop()
    server.stop()


def _ask(telegram: TelegramStandIn, text: str, **kwargs: Any) -> tuple[dict[str, Any], list[Call]]:
    """Send a message and wait for the bot to go quiet; returns it and the bot's replies."""
    before = len(telegram.sent())
    message = telegram.message(text, **kwargs)
    replies = _settle(telegram, before)
    return message, replies


def _settle(telegram: TelegramStandIn, before: int, quiet: float = 0.4) -> list[Call]:
    calls = telegram.wait_sent(before + 1)
    while True:  # a long answer arrives as several messages
        count = len(calls)
        threading.Event().wait(quiet)
        calls = telegram.sent()
        if len(calls) == count:
            return calls[before:]


def _buttons(call: Call, ratings: bool = False) -> dict[str, str]:
    """The buttons under a message (the rating buttons, which name a new answer id with every
    answer, only with ``ratings``)."""
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
            if ratings or not b["callback_data"].startswith("f|")}


def _press(telegram: TelegramStandIn, call: Call, data: str) -> list[Call]:
    """Press a button under the message ``call`` sent; returns the bot's replies."""
    before = len(telegram.sent())
    telegram.press(_as_sent(call), data)
    return _settle(telegram, before)


def _as_sent(call: Call) -> dict[str, Any]:
    """The message object the bot got back for ``call`` (what a button press refers to)."""
    return {"message_id": 99_999, "date": 0, "chat": {"id": call.params["chat_id"],
                                                       "type": "private"},
            "from": BOT_USER, "text": call.params["text"],
            "reply_markup": call.params.get("reply_markup")}


def test_start_up_calls(bot: TelegramStandIn) -> None:
    assert bot.sent("getMe")
    (commands,) = bot.sent("setMyCommands")
    names = [c["command"] for c in commands.params["commands"]]
    assert names == ["ask", "unit", "clause", "about", "help"]


def test_private_question_gets_the_cited_answer(bot: TelegramStandIn, runtime: PolicyQA) -> None:
    _, (reply,) = _ask(bot, "养老机构还需要许可吗")
    assert reply.params["chat_id"] == 42 and reply.params["parse_mode"] == "HTML"
    text = reply.params["text"]
    assert text.startswith("<b>不需要。</b>")
    assert "<blockquote>放宽养老服务市场准入，取消养老机构设立许可，实行备案制；</blockquote>" in text
    assert "📄 <b>七、（一）创新养老和医疗服务供给</b>（7.1）" in text
    assert "责任单位：省民政厅、省卫健委、省药监局" in text
    assert "完成时限" not in text  # 2021年底前 belongs to another sentence of the clause
    buttons = _buttons(reply)
    fujian_id = "fujian_2021_fangguanfu"  # named by id and indexed version, not position
    assert buttons["查看原文"] == f"c|{doc_key(fujian_id)}.{runtime.version(fujian_id)[:8]}.7.1"
    assert buttons["相关条款"].startswith("m|")
    assert "reply_parameters" not in reply.params  # private chats are not quoted

    (clause,) = _press(bot, reply, buttons["查看原文"])
    assert "深化养老机构公建民营改革" in clause.params["text"]  # the full clause, not the quote
    assert bot.sent("answerCallbackQuery")

    (related,) = _press(bot, reply, buttons["相关条款"])
    assert related.params["text"].startswith("<b>相关条款</b>")
    assert "二、（二）支持提升职业技能" in related.params["text"]
    assert all(v.startswith("c|") for v in _buttons(related).values())


def test_group_mention_reply_and_ask_command(bot: TelegramStandIn) -> None:
    group: dict[str, Any] = {"chat_id": -1001, "chat_type": "supergroup", "user_id": 7}
    message, (reply,) = _ask(bot, "@policyqa_test_bot 养老机构还需要许可吗", **group)
    assert reply.params["chat_id"] == -1001
    assert reply.params["reply_parameters"]["message_id"] == message["message_id"]
    assert "<b>不需要。</b>" in reply.params["text"]

    before = len(bot.sent())
    bot.message("大家好，今天开会吗", **group)  # not addressed to the bot: no reply
    _, (help_reply,) = _ask(bot, "/help@policyqa_test_bot", **group)
    assert len(bot.sent()) == before + 1 and "/unit" in help_reply.params["text"]

    bot_message = {"message_id": 5, "date": 0, "chat": {"id": -1001, "type": "supergroup"},
                   "from": BOT_USER, "text": "…"}
    _, (answer,) = _ask(bot, "那证照分离改革由谁牵头", reply_to=bot_message, **group)
    assert "省审改办（牵头）" in answer.params["text"]

    _, (asked,) = _ask(bot, "/ask 养老机构还需要许可吗", **group)
    assert "<b>不需要。</b>" in asked.params["text"]
    _, (usage,) = _ask(bot, "/ask", **group)
    assert "/ask 后面写上问题" in usage.params["text"]
    _, (too_long,) = _ask(bot, "问" * 501)
    assert "问题太长了" in too_long.params["text"]


def test_unit_and_clause_commands(bot: TelegramStandIn) -> None:
    _, replies = _ask(bot, "/unit 省民政厅")
    text = "\n".join(r.params["text"] for r in replies)
    assert text.startswith("<b>省民政厅</b> 负责 4 项任务")
    assert text.count("📄") == 4 and "七、（一）创新养老和医疗服务供给" in text
    _, (alias,) = _ask(bot, "/unit 民政厅")
    assert "省民政厅" in alias.params["text"]
    _, (unknown,) = _ask(bot, "/unit 火星管理局")
    assert "没有找到“火星管理局”负责的任务" in unknown.params["text"]

    _, (clause,) = _ask(bot, "/clause 7.1")
    assert "📄 <b>七、（一）创新养老和医疗服务供给</b>（7.1）" in clause.params["text"]
    assert "实行备案制" in clause.params["text"]
    _, (row,) = _ask(bot, "/clause a1.8")
    assert "附件一-8" in row.params["text"]
    _, (missing,) = _ask(bot, "/clause 99.9")
    assert "没有找到编号为 99.9 的条款" in missing.params["text"]


def test_very_long_answer_is_split_on_clause_boundaries(bot: TelegramStandIn) -> None:
    _, replies = _ask(bot, "/unit 市数据局")
    assert len(replies) > 1
    texts = [r.params["text"] for r in replies]
    assert all(len(t.encode("utf-16-le")) // 2 <= 4096 for t in texts)
    assert all(t.startswith("📄") for t in texts[1:])  # every later message starts a clause
    assert all(html_error(t) is None for t in texts)
    assert sum(t.count("📄") for t in texts) == 40


def test_very_long_clause_is_split_between_sentences(bot: TelegramStandIn) -> None:
    _, replies = _ask(bot, "/clause 11.1")
    texts = [r.params["text"] for r in replies]
    assert len(texts) >= 3 and all(len(t.encode("utf-16-le")) // 2 <= 4096 for t in texts)
    assert all(t.rstrip().endswith("。") for t in texts[1:-1])  # whole sentences only
    body = "".join(t.split("\n\n", 1)[-1] if i == 0 else t for i, t in enumerate(texts))
    assert body.count("具体要求和办理流程。") == 400


def test_html_hostile_clause_is_escaped(bot: TelegramStandIn) -> None:
    _, (reply,) = _ask(bot, "月球旅游签证怎么办理")
    text = reply.params["text"]
    assert "📄 <b>一、（一）月球&lt;i&gt;旅游&lt;/i&gt;签证</b>（1.1）" in text
    assert html_error(text) is None  # Telegram accepts it (the stand-in checks as Telegram does)
    (clause,) = _press(bot, reply, _buttons(reply)["查看原文"])
    full = clause.params["text"]
    assert '&lt;img src=x onerror="window.__xss=1"&gt;' in full
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in full
    assert "<img" not in full and "<script" not in full and html_error(full) is None
    _, (other,) = _ask(bot, "/clause hostile_notice 1.2")
    assert "&lt;b&gt;加粗&lt;/b&gt;&amp;amp;服务" in other.params["text"]


def test_not_found_offers_suggestions(bot: TelegramStandIn) -> None:
    _, (reply,) = _ask(bot, "福州地铁晚上几点停运")
    assert "没有在已收录的政策文件中找到" in reply.params["text"]
    suggestions = _buttons(reply)
    assert suggestions and all(v.startswith("q|") for v in suggestions.values())
    question, data = next(iter(suggestions.items()))
    (answer,) = _press(bot, reply, data)
    assert "没有在已收录的政策文件中找到" not in answer.params["text"]
    assert "📄" in answer.params["text"], question


def test_start_help_about(bot: TelegramStandIn) -> None:
    _, (start,) = _ask(bot, "/start")
    assert "政策问答" in start.params["text"] and _buttons(start)
    _, (about,) = _ask(bot, "/about")
    assert "福建省" in about.params["text"] and "<code>fujian_2021_fangguanfu</code>" in about.params["text"]


def test_every_button_fits_telegram(bot: TelegramStandIn) -> None:
    for call in bot.sent():
        for data in _buttons(call).values():
            assert len(data.encode("utf-8")) <= 64


def test_token_never_logged(bot: TelegramStandIn, log_stream: io.StringIO) -> None:
    _ask(bot, "养老机构还需要许可吗")
    logged = log_stream.getvalue()
    assert "getUpdates" in logged and "<token>" in logged  # httpx logged URLs, redacted
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged


def test_rate_limit_is_polite(runtime: PolicyQA) -> None:
    telegram, server, runner = _start_bot(lambda: runtime, rate=2)
    try:
        for _ in range(2):
            _, (reply,) = _ask(telegram, "养老机构还需要许可吗")
            assert "<b>不需要。</b>" in reply.params["text"]
        _, (limited,) = _ask(telegram, "养老机构还需要许可吗")
        assert "您提问太频繁了" in limited.params["text"]
        _, (other,) = _ask(telegram, "养老机构还需要许可吗", user_id=43, chat_id=43)
        assert "<b>不需要。</b>" in other.params["text"]  # per user
    finally:
        runner.stop()
        server.stop()


class _Broken:
    def ask(self, question: str, top_k: int = 3, doc_id: str | None = None) -> Any:
        raise RuntimeError("engine exploded")


def test_error_handler_logs_and_apologises(runtime: PolicyQA, log_stream: io.StringIO) -> None:
    broken = PolicyQA(index=runtime.index, encoder=runtime.encoder, lexicon=runtime.lexicon,
                     retriever=runtime.retriever, answerer=cast(Any, _Broken()))
    object.__setattr__(broken, "suggestions", ())  # cached_property slot, nothing to ask
    telegram, server, runner = _start_bot(lambda: broken)
    try:
        _, (reply,) = _ask(telegram, "养老机构还需要许可吗")
        assert reply.params["text"] == SORRY
        logged = log_stream.getvalue()
        assert "Traceback" in logged and "engine exploded" in logged
    finally:
        runner.stop()
        server.stop()


def test_missing_index_fails_at_start_up(tmp_path: Path) -> None:
    from contract.errors import IndexUnavailable

    def load() -> PolicyQA:
        return PolicyQA.over(load_index(tmp_path / "none", HashingEncoder(), load_stopwords()),
                        HashingEncoder())

    telegram = TelegramStandIn(TOKEN)
    server = LiveServer(telegram.app).start()
    runner = BotRunner(build_application(TOKEN, load, base_url=f"{server.base}/bot"))
    try:
        with pytest.raises(IndexUnavailable, match="policyqa build"):
            runner.start()
    finally:
        runner.shutdown()  # the failed start-up had opened the bot's HTTP client
        server.stop()


def test_stale_or_foreign_buttons_are_refused_politely(bot: TelegramStandIn) -> None:
    _, (reply,) = _ask(bot, "养老机构还需要许可吗")
    answered, sent = len(bot.sent("answerCallbackQuery")), len(bot.sent())
    foreign = ("q|999", "x|1", "m|zz|1", "c|0|7.1", "q|00000000|0", "c|AAAAAA.00000000.7.1",
               "delete|all", "")
    for data in foreign:
        bot.press(_as_sent(reply), data)
    bot.wait_sent(answered + len(foreign), "answerCallbackQuery")  # every press is answered
    replies = _settle(bot, sent)
    assert [r.params["text"] for r in replies] == [EXPIRED] * len(foreign)
    assert all("reply_markup" not in r.params for r in replies)


def _texts(calls: list[Call]) -> list[tuple[str, dict[str, str]]]:
    return [(c.params["text"], _buttons(c)) for c in calls]


def test_buttons_survive_a_restart(bot: TelegramStandIn, bot_index: Path) -> None:
    """A new process over the same index: the buttons of old messages show what they showed."""
    _, (reply,) = _ask(bot, "养老机构还需要许可吗")
    _, (missing,) = _ask(bot, "福州地铁晚上几点停运")
    pressed = [*_buttons(reply).values(), next(iter(_buttons(missing).values()))]
    before = [_texts(_press(bot, reply, data)) for data in pressed]
    assert "深化养老机构公建民营改革" in before[0][0][0]
    assert before[1][0][0].startswith("<b>相关条款</b>") and "（A1.8）" in before[1][0][0]

    telegram, server, runner = _start_bot(lambda: fake_service(bot_index))
    try:
        after = [_texts(_press(telegram, reply, data)) for data in pressed]
    finally:
        runner.stop()
        server.stop()
    assert after == before


def test_buttons_after_a_reindex_never_show_another_clause(
        bot: TelegramStandIn, tmp_path: Path, fujian: Document) -> None:
    """7.1 edited and the notices in another order: what changed is refused politely, what did
    not change is shown as before."""
    _, (reply,) = _ask(bot, "养老机构还需要许可吗")
    _, (moon,) = _ask(bot, "月球旅游签证怎么办理")
    _, (missing,) = _ask(bot, "福州地铁晚上几点停运")
    (moon_clause,) = _press(bot, moon, _buttons(moon)["查看原文"])

    folder = tmp_path / "reindexed"
    build_fake([hostile(), long_notice(), edited(fujian, "7.1", "养老机构设立实行许可制。")], folder)
    telegram, server, runner = _start_bot(lambda: fake_service(folder))
    try:
        stale = [*_buttons(reply).values(), next(iter(_buttons(missing).values()))]
        for data in stale:
            (refused,) = _press(telegram, reply, data)
            assert refused.params["text"] == EXPIRED and "reply_markup" not in refused.params
        (same,) = _press(telegram, moon, _buttons(moon)["查看原文"])
        assert same.params["text"] == moon_clause.params["text"]
        _, (fresh,) = _ask(telegram, "养老机构还需要许可吗")  # asking again works
        (shown,) = _press(telegram, fresh, _buttons(fresh)["查看原文"])
        assert "养老机构设立实行许可制。" in shown.params["text"]
    finally:
        runner.stop()
        server.stop()


# -- the question log ------------------------------------------------------------------------------

LOG_KEY = "telegram-test-log-key-0123456789abcdef"


def test_answers_are_logged_and_rated(runtime: PolicyQA) -> None:
    log = MemoryLog()
    telegram, server, runner = _start_bot(lambda: runtime, log=log, users=UserHasher(LOG_KEY))
    try:
        _, (alice,) = _ask(telegram, "养老机构还需要许可吗", user_id=730_015_551,
                           chat_id=730_015_551)
        _, (bob,) = _ask(telegram, "/ask 证照分离改革由谁牵头", user_id=730_015_552,
                         chat_id=-1001, chat_type="group")
        markup = alice.params["reply_markup"]["inline_keyboard"]
        assert [[b["text"] for b in row] for row in markup] == \
            [["查看原文", "相关条款"], ["有帮助", "没帮助"]]
        first, second = log.asked
        users = UserHasher(LOG_KEY)
        assert (first.user, second.user) == (users.hash("telegram", "730015551"),
                                             users.hash("telegram", "730015552"))
        assert all("730015551" not in repr(a) and "730015552" not in repr(a) and "-1001" not in
                   repr(a) for a in log.asked)
        assert first.channel == "telegram" and first.question == "养老机构还需要许可吗"
        assert second.question == "证照分离改革由谁牵头"

        (thanks,) = _press(telegram, alice, _buttons(alice, ratings=True)["有帮助"])
        assert thanks.params["text"] == "感谢反馈！"
        (why,) = _press(telegram, bob, _buttons(bob, ratings=True)["没帮助"])
        reasons = _buttons(why, ratings=True)
        assert list(reasons) == ["答非所问", "条款过时", "没说清楚", "其他"]
        assert all(len(data.encode()) <= 64 for data in reasons.values())
        (done,) = _press(telegram, why, reasons["答非所问"])
        assert done.params["text"] == "感谢反馈，我们会据此改进。"
        (unknown,) = _press(telegram, alice, "f|" + "0" * 32 + "|-|x")
        assert unknown.params["text"] == "这条回答已过期，无法评价。"
        (garbled,) = _press(telegram, alice, f"f|{first.answer_id}|-|-")
        assert garbled.params["text"] == EXPIRED
        assert [(f.answer_id, f.rating, f.reason) for f in log.feedback] == [
            (first.answer_id, 1, None), (second.answer_id, -1, None),
            (second.answer_id, -1, "off_topic")]
    finally:
        runner.stop()
        server.stop()
    assert log.closed  # post_shutdown closed the log
