"""The WeCom channel against the WeCom stand-in, end to end over HTTP on 127.0.0.1: WeCom's side
signs and encrypts callbacks to the real callback app (uvicorn), the app answers through the
stand-in's message API, and the tests read what the stand-in accepted."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest

from bot.wecom import WeComConfig, create_app
from bot.wecom_api import Credentials
from corpus.document import Document
from corpus.reader import read_path
from engine.service import PolicyQA
from tests.bot.wecom_standin import Callbacks, Sent, WeComStandIn
from tests.conftest import REPO, build_fake, fake_service
from tests.liveserver import LiveServer
from usage.log import MemoryLog
from usage.privacy import UserHasher

CORP_ID = "ww7f3a9c2e1b5d4f60"
SECRET = "corp-secret-9QmZ2vXwT4kLp8RsYb6NcE1uHaJd3FgK"
TOKEN = "callback-token-Vh5Qk2Lz"
AGENT_ID = 1000002
USER = "ZhangSan"
LOG_KEY = "wecom-test-log-key-0123456789abcdef"
PATH = "/wecom/callback"
MARKDOWN_HOSTILE = """某市人民政府办公室关于星际快递服务的通知
某政办〔2099〕3号
一、服务事项
（一）星际*快递*服务。星际快递实行[网上预约](http://evil.example/x)办理，`材料`一次告知，<font color="warning">加急</font>件当日办结，# 标题 _下划线_ ~~删除~~ **加粗** > 引用 | 表格 | \\反斜杠。（市邮政管理局负责，2099年底前完成）
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> PolicyQA:
    folder = tmp_path_factory.mktemp("wecom-index")
    (folder / "markdown_notice.txt").write_text(MARKDOWN_HOSTILE, encoding="utf-8")
    documents = [fujian, *read_path(REPO / "tests" / "api" / "data" / "hostile_notice.txt"),
                 *read_path(Path(__file__).parent / "data" / "long_notice.txt"),
                 *read_path(folder / "markdown_notice.txt")]
    build_fake(documents, folder / "index")
    return fake_service(folder / "index")


@pytest.fixture(scope="module")
def log_stream() -> Iterator[io.StringIO]:
    """Every record the channel's own modules log, unredacted (nothing masks them here)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    channel = logging.getLogger("bot")
    old_level = channel.level
    channel.addHandler(handler)
    channel.setLevel(logging.DEBUG)
    yield stream
    channel.removeHandler(handler)
    channel.setLevel(old_level)


class Running:
    """The stand-in's API, the callback app, and WeCom's side of the callback."""

    def __init__(self, runtime: PolicyQA, rate: int = 1000, max_waiting: int = 200,
                 cards: bool = True) -> None:
        self.wecom = WeComStandIn(CORP_ID, SECRET, AGENT_ID, TOKEN)
        self.api = LiveServer(self.wecom.app).start()
        self.tokens: list[str] = []
        self.log = MemoryLog()
        config = WeComConfig(Credentials(CORP_ID, AGENT_ID, SECRET, self.api.base), TOKEN,
                             self.wecom.aes_key, PATH, rate_limit_per_minute=rate,
                             max_waiting=max_waiting, cards=cards, log=self.log,
                             users=UserHasher(LOG_KEY))
        self.app = LiveServer(lambda: create_app(config, lambda: runtime,
                                                 on_token=self.tokens.append)).start()
        self.callbacks = Callbacks(self.wecom, f"{self.app.base}{PATH}")

    def ask(self, question: str, user: str = USER) -> list[str]:
        """A user asks; the markdown messages they get."""
        return [m.content for m in self.sent(user, lambda: self.callbacks.ask(user, question))
                if m.msgtype == "markdown"]

    def sent(self, user: str, callback: Callable[[], httpx.Response]) -> list[Sent]:
        """What the app sends ``user`` after a callback, which it acknowledges at once."""
        before = len(self.wecom.messages(user))
        response = callback()
        assert response.status_code == 200 and response.content == b""
        return self.wecom.wait_messages(before + 1, user)[before:]

    def press(self, user: str, card: Sent, text: str) -> list[Sent]:
        """``user`` presses the button ``text`` on a card the app sent."""
        (key,) = [b["key"] for b in card.body["template_card"]["button_list"]
                  if b["text"] == text]
        task_id = card.body["template_card"]["task_id"]
        return self.sent(user, lambda: self.callbacks.click(user, key, task_id))

    def stop(self) -> None:
        self.app.stop()
        self.api.stop()


@pytest.fixture(scope="module")
def running(runtime: PolicyQA, log_stream: io.StringIO) -> Iterator[Running]:
    running = Running(runtime)
    yield running
    running.stop()


def _quiet(running: Running, seconds: float = 0.8) -> int:
    """How many messages were sent; waits a moment first, for any that would still come."""
    time.sleep(seconds)
    return len(running.wecom.messages())


def test_url_verification(running: Running) -> None:
    response = running.callbacks.verify_url("echo-5830291746")
    assert response.status_code == 200
    assert response.text == "echo-5830291746"
    assert response.headers["content-type"].startswith("text/plain")
    assert running.callbacks.verify_url(token="not-the-token").status_code == 403


def test_a_question_gets_the_direct_answer_clause_units(running: Running) -> None:
    (content,) = running.ask("养老机构还需要许可吗")
    assert content.startswith("**不需要。**")
    assert "七、（一）创新养老和医疗服务供给" in content and "（7.1）" in content
    assert "放宽养老服务市场准入，取消养老机构设立许可，实行备案制；" in content
    assert "责任单位：省民政厅、省卫健委、省药监局" in content
    (sent,) = [m for m in running.wecom.messages(USER)
               if m.msgtype == "markdown" and m.content == content]
    assert sent.msgtype == "markdown" and sent.body["agentid"] == AGENT_ID


def test_buttons_on_a_template_card(running: Running) -> None:
    user = "SunQi"
    *_, card = running.sent(user, lambda: running.callbacks.ask(user, "养老机构还需要许可吗"))
    assert card.msgtype == "template_card" and card.body["agentid"] == AGENT_ID
    template = card.body["template_card"]
    assert template["card_type"] == "button_interaction"
    assert [b["text"] for b in template["button_list"]] == ["查看原文", "相关条款", "有帮助", "没帮助"]

    (clause,) = running.press(user, card, "查看原文")
    assert clause.msgtype == "markdown"
    assert "深化养老机构公建民营改革" in clause.content  # the full clause, not the quote
    assert "（7.1）" in clause.content

    related, related_card = running.press(user, card, "相关条款")
    assert related.content.startswith("**相关条款**")
    assert "二、（二）支持提升职业技能" in related.content
    texts = [b["text"] for b in related_card.body["template_card"]["button_list"]]
    assert texts and all(t.startswith("原文：") for t in texts)


def test_a_stale_button_says_the_answer_expired(running: Running) -> None:
    user = "ZhouBa"
    *_, card = running.sent(user, lambda: running.callbacks.ask(user, "养老机构还需要许可吗"))
    (key,) = [b["key"] for b in card.body["template_card"]["button_list"]
              if b["text"] == "查看原文"]
    action, ref = key.split("|", 1)
    doc, _version, clause = ref.split(".", 2)
    stale = f"{action}|{doc}.00000000.{clause}"  # a version of the notice no longer served
    for payload in (stale, "garbage"):
        (reply,) = running.sent(user, partial(running.callbacks.click, user, payload, "pq1_1_ab"))
        assert reply.content == "这条回答已过期，请重新提问。"


def test_not_found_offers_suggested_questions_on_a_card(running: Running) -> None:
    user = "WuJiu"
    *texts, card = running.sent(user, lambda: running.callbacks.ask(user, "福州地铁晚上几点停运"))
    assert "没有在已收录的政策文件中找到" in texts[0].content
    buttons = card.body["template_card"]["button_list"]
    assert buttons and card.body["template_card"]["main_title"]["desc"] == "点击问题直接提问"
    assert len(buttons) == 6 and [b["text"] for b in buttons[-2:]] == ["有帮助", "没帮助"]
    answered = running.press(user, card, buttons[0]["text"])
    assert "没有在已收录的政策文件中找到" not in answered[0].content
    assert "📄" in answered[0].content


def test_without_cards_suggestions_are_listed_in_the_text(runtime: PolicyQA) -> None:
    running = Running(runtime, cards=False)
    try:
        (content,) = running.ask("福州地铁晚上几点停运")
        assert "• " in content and all(m.msgtype == "markdown" for m in running.wecom.messages())
        assert "有帮助" not in content and "f|" not in content  # no buttons: no ratings
        (asked,) = running.log.asked
        assert asked.channel == "wecom" and asked.status != "answered"
    finally:
        running.stop()
    assert running.log.closed  # the application's shutdown closed the log


def test_answers_are_logged_and_rated_from_the_card(running: Running) -> None:
    user, other = "QianShiyi", "FengShier"
    *_, card = running.sent(user, lambda: running.callbacks.ask(user, "养老机构还需要许可吗"))
    *_, other_card = running.sent(other, lambda: running.callbacks.ask(other, "养老机构还需要许可吗"))
    mine = [a for a in running.log.asked if a.user == UserHasher(LOG_KEY).hash("wecom", user)]
    theirs = [a for a in running.log.asked
              if a.user == UserHasher(LOG_KEY).hash("wecom", other)]
    assert len(mine) == len(theirs) == 1 and mine[0].answer_id != theirs[0].answer_id
    assert all(user not in repr(a) and other not in repr(a) for a in running.log.asked)
    assert mine[0].channel == "wecom" and mine[0].status == "answered"
    keys = {b["text"]: b["key"] for b in card.body["template_card"]["button_list"]}
    assert keys["有帮助"] == f"f|{mine[0].answer_id}|+"

    (thanks,) = running.press(user, card, "有帮助")
    assert thanks.content == "感谢反馈！"
    why, reasons = running.press(other, other_card, "没帮助")
    assert why.content.startswith("感谢反馈。这条回答哪里不好")
    template = reasons.body["template_card"]
    assert [b["text"] for b in template["button_list"]] == ["答非所问", "条款过时", "没说清楚", "其他"]
    assert template["main_title"]["desc"] == "请点击选择"
    (done,) = running.press(other, reasons, "没说清楚")
    assert done.content == "感谢反馈，我们会据此改进。"
    rated = [(f.answer_id, f.rating, f.reason) for f in running.log.feedback
             if f.answer_id in (mine[0].answer_id, theirs[0].answer_id)]
    assert rated == [(mine[0].answer_id, 1, None), (theirs[0].answer_id, -1, None),
                     (theirs[0].answer_id, -1, "unclear")]


def test_a_rating_of_an_unknown_answer_says_it_expired(running: Running) -> None:
    user = "ChuShisan"
    before = len(running.log.feedback)
    (reply,) = running.sent(user, partial(running.callbacks.click, user, "f|" + "e" * 32 + "|+",
                                          "pq1_1_cd"))
    assert reply.content == "这条回答已过期，无法评价。"
    (garbled,) = running.sent(user, partial(running.callbacks.click, user, "f|" + "e" * 31 + "|+",
                                            "pq1_1_ce"))
    assert garbled.content == "这条回答已过期，请重新提问。"
    assert len(running.log.feedback) == before


def test_a_deadline_is_in_the_answer(running: Running) -> None:
    (content,) = running.ask("工程建设项目审批什么时候完成")
    assert content.startswith("**2021年底前。**")
    assert "（4.2）" in content and "责任单位：省住建厅（牵头）" in content
    assert '完成时限：<font color="warning">2021年底前</font>' in content


def test_the_callback_is_answered_at_once(running: Running) -> None:
    started = time.monotonic()
    response = running.callbacks.ask(USER, "证照分离改革由谁牵头")
    assert response.status_code == 200 and response.content == b""
    assert time.monotonic() - started < 1.0  # well inside WeCom's 5 s; the answer comes later
    running.wecom.wait_messages(1, USER)


def test_a_long_answer_is_split_within_4096_bytes(running: Running) -> None:
    contents = running.ask("市数据局负责哪些任务", user="LiSi")
    assert len(contents) > 1
    assert all(len(c.encode("utf-8")) <= 4096 for c in contents)
    assert all(c.startswith("📄") for c in contents[1:])  # every later message starts a clause
    assert sum(c.count("📄") for c in contents) == 30


def test_markdown_in_a_notice_is_shown_literally(running: Running) -> None:
    (content,) = running.ask("星际快递怎么预约办理", user="WangWu")
    # Every character that would read as markup is shown in its full-width form.
    assert "星际快递实行［网上预约］（http://evil.example/x）办理，｀材料｀一次告知，" in content
    assert "＜font color=\"warning\"＞加急＜/font＞件当日办结" in content
    assert "＃标题＿下划线＿～～删除～～＊＊加粗＊＊＞引用｜表格｜＼反斜杠" in content
    assert "**一、（一）星际＊快递＊服务**" in content  # the label's own asterisks are text
    assert "](http" not in content and '<font color="warning">加急' not in content


def test_a_wrong_signature_is_refused_and_nothing_answered(running: Running) -> None:
    before = len(running.wecom.messages())
    plain, _ = running.callbacks.text(USER, "养老机构还需要许可吗")
    response = running.callbacks.post(plain, token="someone-elses-token")
    assert response.status_code == 403
    assert _quiet(running) == before


def test_a_message_for_another_corp_is_refused(running: Running) -> None:
    before = len(running.wecom.messages())
    plain, _ = running.callbacks.text(USER, "养老机构还需要许可吗")
    assert running.callbacks.post(plain, corp_id="ww-another-corp").status_code == 400
    assert _quiet(running) == before


def test_a_replayed_message_is_ignored(running: Running) -> None:
    user = "ZhaoLiu"
    plain, _ = running.callbacks.text(user, "养老机构还需要许可吗")
    answered = len(running.sent(user, lambda: running.callbacks.post(plain)))  # answer, card
    again = running.callbacks.post(plain)  # WeCom's retry: the same MsgId, new signature
    assert again.status_code == 200 and again.content == b""
    old, _ = running.callbacks.text(user, "工程建设项目审批什么时候完成")
    stale = running.callbacks.post(old, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 200 and stale.content == b""
    _quiet(running)
    assert len(running.wecom.messages(user)) == answered


def test_other_message_types_and_bad_bodies(running: Running) -> None:
    image = running.callbacks.message(USER, {"MsgType": "image", "PicUrl": "http://x/y.png",
                                             "MediaId": "m1", "MsgId": "88001"})
    reply = running.callbacks.open_reply(running.callbacks.post(image))
    assert reply.findtext("MsgType") == "text" and reply.findtext("ToUserName") == USER
    assert "只能回答文字问题" in (reply.findtext("Content") or "")
    long = running.callbacks.open_reply(running.callbacks.ask(USER, "问" * 501))
    assert long.findtext("Content") == "问题太长了，请精简到 500 字以内。"
    url = running.callbacks.url
    query = running.callbacks.query("x")
    assert httpx.post(url, params=query, content=b"not xml").status_code == 400
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>'
    assert httpx.post(url, params=query, content=bomb).status_code == 400
    hidden = b"<!--" + b" " * 600 + b"-->" + bomb[len(b'<?xml version="1.0"?>'):]
    assert httpx.post(url, params=query, content=hidden).status_code == 400  # past any head
    assert httpx.post(url, params=query, content=b"<xml>" + b"a" * 70_000).status_code == 413


def test_per_user_rate_limit_replies_passively(runtime: PolicyQA) -> None:
    running = Running(runtime, rate=2)
    try:
        for _ in range(2):
            assert running.ask("养老机构还需要许可吗")[0].startswith("**不需要。**")
        sent = len(running.wecom.messages())
        limited = running.callbacks.ask(USER, "养老机构还需要许可吗")
        reply = running.callbacks.open_reply(limited)  # an encrypted passive reply
        assert (reply.findtext("Content") or "").startswith("您提问太频繁了，请 ")
        assert _quiet(running) == sent  # no API call for it
        assert running.ask("养老机构还需要许可吗", user="Other")[0].startswith("**不需要。**")
    finally:
        running.stop()


def test_questions_beyond_the_queue_are_turned_away_passively(runtime: PolicyQA) -> None:
    running = Running(runtime, max_waiting=0)
    try:
        reply = running.callbacks.open_reply(running.callbacks.ask(USER, "养老机构还需要许可吗"))
        assert reply.findtext("Content") == "当前提问的人较多，请稍后再试。"
        assert _quiet(running) == 0
    finally:
        running.stop()


def test_the_access_token_is_cached_and_refreshed_once_expired(runtime: PolicyQA) -> None:
    running = Running(runtime)
    try:
        running.ask("养老机构还需要许可吗")
        running.ask("工程建设项目审批什么时候完成")
        assert running.wecom.token_requests == 1
        running.wecom.expire_tokens()
        (content,) = running.ask("养老机构还需要许可吗")
        assert content.startswith("**不需要。**")
        assert 42001 in running.wecom.errors and running.wecom.token_requests == 2
        assert len(set(running.tokens)) == 2  # each new token handed over for masking
    finally:
        running.stop()


def test_no_secret_in_a_log_line(running: Running, log_stream: io.StringIO) -> None:
    running.ask("养老机构还需要许可吗")
    running.callbacks.verify_url(token="wrong")
    logged = log_stream.getvalue()
    assert "WeCom channel ready" in logged and "wrong signature" in logged
    for secret in (SECRET, TOKEN, running.wecom.aes_key, *running.tokens):
        assert secret not in logged
