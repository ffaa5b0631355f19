"""The DingTalk robot against the local DingTalk stand-in, end to end over HTTP on 127.0.0.1:
the stand-in POSTs signed callbacks to the robot's server as DingTalk does, and the robot replies
through the stand-in's session webhooks, which check what DingTalk checks."""

from __future__ import annotations

import io
import logging
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from bot.conversation import EXPIRED
from bot.dingtalk import GROUP_HINT, build_app
from corpus.document import Document
from corpus.reader import read_path
from engine.service import PolicyQA
from policyqa.logs import PlainFormatter, Redact
from tests.bot.dingtalk_standin import ROBOT_NAME, DingTalkStandIn, Sent, sign_of
from tests.conftest import REPO, build_fake, fake_service
from tests.liveserver import LiveServer
from usage.log import MemoryLog, QuestionLog, open_log
from usage.privacy import UserHasher
from usage.report import Period, disliked, ratings
from usage.schema import answers, feedback

APP_KEY = "dingstandinappkey42"
APP_SECRET = "stand-in-app-secret_9f8e7d6c5b4a"
LOG_KEY = "dingtalk-test-log-key-0123456789abcdef"
# A notice whose clauses are full of markdown: every character of it must be shown as written.
MARKDOWN_NOTICE = """某市人民政府办公室关于标记符号服务的通知
某政办〔2099〕3号
一、服务事项
（一）星号*服务*与__下划线__办理。星号**服务**实行_网上_办理，# 不是标题，[链接](http://example.com/x) `代码` ~~删除~~ 1. 不是列表 \\反斜杠\\ <font color=red>红字</font>&amp;&#42;| 表格 |。（市数据局负责，2099年底前完成）
（二）引用与分隔线办理。
> 不是引用
---
- 不是列表项 + 加号 ![图片](http://example.com/p.png) <br> 反引号```三个```。（市政务服务中心负责）
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> PolicyQA:
    folder = tmp_path_factory.mktemp("dingtalk-index")
    (folder / "markdown_notice.txt").write_text(MARKDOWN_NOTICE, encoding="utf-8")
    marked = read_path(folder / "markdown_notice.txt")
    hostile = read_path(REPO / "tests" / "api" / "data" / "hostile_notice.txt")  # HTML
    long = read_path(Path(__file__).parent / "data" / "long_notice.txt")  # 40 tasks, a huge clause
    build_fake([fujian, *hostile, *long, *marked], folder / "index")
    return fake_service(folder / "index")


@pytest.fixture(scope="module")
def log_stream() -> Iterator[io.StringIO]:
    """Everything logged while the robots run, through a redacting handler as the CLI's."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PlainFormatter())
    handler.addFilter(Redact((APP_KEY, APP_SECRET), "<secret>"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


class Robot:
    """The robot's server and the stand-in's, both running."""

    def __init__(self, runtime: PolicyQA, rate: int = 1000,
                 log: QuestionLog | None = None) -> None:
        self.dingtalk = DingTalkStandIn(APP_KEY, APP_SECRET)
        self._webhooks = LiveServer(self.dingtalk.app).start()
        self.dingtalk.base = self._webhooks.base
        self.log = log if log is not None else MemoryLog()
        self._robot = LiveServer(lambda: build_app(
            APP_KEY, APP_SECRET, lambda: runtime, api_base=self._webhooks.base,
            callback_path="/dingtalk/callback", rate_limit_per_minute=rate, log=self.log,
            users=UserHasher(LOG_KEY))).start()
        self.dingtalk.callback_url = f"{self._robot.base}/dingtalk/callback"

    def stop(self) -> None:
        self._robot.stop()
        self._webhooks.stop()


@pytest.fixture(scope="module")
def robot(runtime: PolicyQA, log_stream: io.StringIO) -> Iterator[DingTalkStandIn]:
    running = Robot(runtime)
    yield running.dingtalk
    running.stop()


def _ask(dingtalk: DingTalkStandIn, text: str, **kwargs: object) -> list[Sent]:
    """Send a message and wait for the robot to go quiet; returns what it sent back."""
    body = dingtalk.callback_body(text, **kwargs)  # type: ignore[arg-type]
    conversation = body["conversationId"]
    before = len(dingtalk.sent_to(conversation))
    response = dingtalk.deliver(body)
    assert response.status_code == 200 and response.json() == {}
    return _settle(dingtalk, conversation, before)


def _settle(dingtalk: DingTalkStandIn, conversation: str, before: int,
            quiet: float = 0.4) -> list[Sent]:
    sent = dingtalk.wait_sent(conversation, before + 1)
    while True:  # a long answer arrives as several messages
        count = len(sent)
        threading.Event().wait(quiet)
        sent = dingtalk.sent_to(conversation)
        if len(sent) == count:
            return sent[before:]


def _quiet(dingtalk: DingTalkStandIn, conversation: str, before: int) -> None:
    """Nothing more is sent to the conversation within a second."""
    time.sleep(1.0)
    assert len(dingtalk.sent_to(conversation)) == before


def test_private_question_gets_the_cited_answer(robot: DingTalkStandIn) -> None:
    (reply,) = _ask(robot, "养老机构还需要许可吗", user="private1")
    assert reply.conversation_id == "cid-private-private1"
    text = reply.visible
    assert text.startswith("不需要。")
    assert "七、（一）创新养老和医疗服务供给（7.1）" in text
    assert "放宽养老服务市场准入，取消养老机构设立许可，实行备案制；" in text
    assert "责任单位：省民政厅、省卫健委、省药监局" in text
    assert "完成时限" not in text  # 2021年底前 belongs to another sentence of the clause
    (deadline,) = _ask(robot, "证照分离改革由谁牵头", user="private1")
    assert "附件二-10（A2.10）" in deadline.visible
    assert "省审改办（牵头）" in deadline.visible and "完成时限：2021年底前" in deadline.visible


def _press(dingtalk: DingTalkStandIn, message: Sent, title: str, user: str) -> list[Sent]:
    """Press a button under ``message``; returns what the robot sent back."""
    before = len(dingtalk.sent_to(message.conversation_id))
    response, _ = dingtalk.press(message, title, user=user)
    assert response.status_code == 200
    return _settle(dingtalk, message.conversation_id, before)


def _fold(text: str) -> str:
    """Text as read: full-width forms (the renderer's escapes) and ASCII alike."""
    return unicodedata.normalize("NFKC", text)


def test_buttons_send_their_text_back(robot: DingTalkStandIn) -> None:
    (reply,) = _ask(robot, "养老机构还需要许可吗", user="press1")
    assert reply.msgtype == "actionCard"
    assert list(reply.buttons) == ["查看原文", "相关条款", "有帮助", "没帮助"]

    (clause,) = _press(robot, reply, "查看原文", "press1")
    assert "七、（一）创新养老和医疗服务供给（7.1）" in clause.visible
    assert "深化养老机构公建民营改革" in clause.visible  # the full clause, not the quote
    assert "责任单位：省民政厅、省卫健委、省药监局" in clause.visible

    (related,) = _press(robot, reply, "相关条款", "press1")
    assert related.visible.startswith("相关条款")
    assert "二、（二）支持提升职业技能" in related.visible
    assert related.buttons and all(t.startswith("原文：") for t in related.buttons)
    (other,) = _press(robot, related, next(iter(related.buttons)), "press1")
    assert "实施职业技能提升行动" in other.visible


def test_a_stale_or_foreign_button_is_refused(robot: DingTalkStandIn) -> None:
    (reply,) = _ask(robot, "查看原文 c|AAAAAA.00000000.7.1", user="stale")
    assert reply.visible == EXPIRED  # never another clause


def test_not_found_offers_suggested_questions(robot: DingTalkStandIn) -> None:
    (reply,) = _ask(robot, "福州地铁晚上几点停运", user="lost")
    assert "没有在已收录的政策文件中找到" in reply.visible
    # Four buttons fit a card: two questions and the ratings; the other questions are links.
    assert list(reply.buttons)[2:] == ["有帮助", "没帮助"] and len(reply.buttons) == 4
    question = next(iter(reply.buttons))
    (answer,) = _press(robot, reply, question, "lost")  # the client sends the question itself
    assert "没有在已收录的政策文件中找到" not in answer.visible and "📄" in answer.visible


def test_group_answers_an_at_mention_only(robot: DingTalkStandIn) -> None:
    response, _ = robot.message("大家好，今天开会吗", user="g1u", group="g1")
    assert response.status_code == 200
    _quiet(robot, "cid-group-g1", 0)
    (reply,) = _ask(robot, f"@{ROBOT_NAME} 养老机构还需要许可吗", user="g1u", group="g1")
    assert reply.visible.startswith("不需要。") and "（7.1）" in reply.visible
    # A button would send its text without an @, which DingTalk does not deliver: none here.
    assert reply.msgtype == "markdown" and reply.visible.endswith(GROUP_HINT)
    assert "有帮助" not in reply.visible and "f|" not in reply.visible
    (lost,) = _ask(robot, f"福州地铁晚上几点停运 @{ROBOT_NAME}", user="g1u", group="g1")
    assert "您可以试试这些问题：\n• " in lost.visible  # suggested questions listed instead
    (hello,) = _ask(robot, f"@{ROBOT_NAME}", user="g1u", group="g1")
    assert hello.visible.startswith("政策问答")


def test_a_long_answer_is_split_between_clauses(robot: DingTalkStandIn) -> None:
    replies = _ask(robot, "市数据局负责哪些任务", user="long")
    assert len(replies) > 1
    texts = [m.text for m in replies]
    assert all(len(t.encode("utf-16-le")) // 2 <= 5000 for t in texts)
    assert all(t.startswith("📄") for t in texts[1:])  # every later message starts a clause
    assert [m.msgtype for m in replies] == ["markdown"] * (len(replies) - 1) + ["actionCard"]
    assert sum(t.count("📄") for t in texts) == 30


def test_a_long_clause_is_split_between_sentences(robot: DingTalkStandIn) -> None:
    (reply,) = _ask(robot, "政务服务事项清单管理有什么要求", user="clause")
    (related,) = _press(robot, reply, "相关条款", "clause")  # the long clause is cited second
    (title,) = [t for t in related.buttons if "超长条款" in t]
    replies = _press(robot, related, title, "clause")
    assert len(replies) >= 3
    texts = [m.visible for m in replies]
    assert all(t.endswith("。") for t in texts[:-1])  # whole sentences only
    assert sum(t.count("具体要求和办理流程。") for t in texts) == 400


@pytest.mark.parametrize(("question", "doc_id"), [("月球旅游签证怎么办理", "hostile_notice"),
                                                  ("星号服务与下划线怎么办理", "markdown_notice"),
                                                  ("引用与分隔线怎么办理", "markdown_notice")])
def test_markdown_and_html_in_a_notice_are_shown_as_written(
        robot: DingTalkStandIn, runtime: PolicyQA, question: str, doc_id: str) -> None:
    user = f"literal-{doc_id}-{len(question)}"
    (reply,) = _ask(robot, question, user=user)
    answer = runtime.ask(question)
    cited = answer.citations[0]
    assert cited.doc_id == doc_id
    shown = _fold(reply.visible)
    assert _fold(f"{cited.label}（{cited.clause_id}）") in shown
    assert all(_fold(line) in shown for line in cited.quote.split("\n"))
    (clause,) = _press(robot, reply, "查看原文", user)
    full = _fold(clause.visible)
    text = runtime.clause(cited.doc_id, cited.clause_id).text
    assert all(_fold(line) in full for line in text.split("\n"))


def test_wrong_signature_or_old_timestamp_is_refused(robot: DingTalkStandIn) -> None:
    wrong, _ = robot.message("养老机构还需要许可吗", user="forger", sign="AAAA")
    assert wrong.status_code == 403
    other = sign_of(str(int(time.time() * 1000)), "another-robots-secret")
    forged, _ = robot.message("养老机构还需要许可吗", user="forger", sign=other)
    assert forged.status_code == 403
    old = int(time.time() * 1000) - 61 * 60 * 1000
    stale, _ = robot.message("养老机构还需要许可吗", user="forger", timestamp_ms=old,
                             sign=sign_of(str(old), APP_SECRET))
    assert stale.status_code == 403
    _quiet(robot, "cid-private-forger", 0)


def test_a_replayed_message_is_answered_once(robot: DingTalkStandIn) -> None:
    body = robot.callback_body("养老机构还需要许可吗", user="replay", msg_id="msg-replayed")
    assert robot.deliver(body).status_code == 200
    robot.wait_sent("cid-private-replay", 1)
    assert robot.deliver(body).status_code == 200
    _quiet(robot, "cid-private-replay", 1)


def test_secrets_never_logged(robot: DingTalkStandIn, log_stream: io.StringIO) -> None:
    _ask(robot, "养老机构还需要许可吗", user="logged")
    logged = log_stream.getvalue()
    assert "dingtalk reply sent" in logged
    assert APP_KEY not in logged and APP_SECRET not in logged and "<secret>" not in logged
    # The robot's own lines never show a session webhook (httpx's request lines do, at INFO,
    # which the command line holds back: libraries log from WARNING up).
    ours = [line for line in logged.splitlines() if " bot." in line]
    assert ours and not any("session=" in line for line in ours)


def test_rate_limit_is_per_user(runtime: PolicyQA) -> None:
    running = Robot(runtime, rate=2)
    try:
        dingtalk = running.dingtalk
        for _ in range(2):
            (reply,) = _ask(dingtalk, "养老机构还需要许可吗", user="busy")
            assert reply.visible.startswith("不需要。")
        (limited,) = _ask(dingtalk, "养老机构还需要许可吗", user="busy")
        assert "您提问太频繁了" in limited.visible
        (other,) = _ask(dingtalk, "养老机构还需要许可吗", user="calm")
        assert other.visible.startswith("不需要。")
    finally:
        running.stop()


def test_an_expired_session_webhook_is_not_used(robot: DingTalkStandIn) -> None:
    # Expired by the time the answer is ready (DingTalk would refuse it).
    response, _ = robot.message("养老机构还需要许可吗", user="late", session_ms=-1_000)
    assert response.status_code == 200
    _quiet(robot, "cid-private-late", 0)
    assert not robot.refused  # nothing was sent to it, so DingTalk refused nothing


def test_replies_go_only_to_dingtalk(robot: DingTalkStandIn) -> None:
    body = robot.callback_body("养老机构还需要许可吗", user="elsewhere")
    body["sessionWebhook"] = "http://127.0.0.1:9/robot/sendBySession?session=x"
    assert robot.deliver(body).status_code == 200
    _quiet(robot, "cid-private-elsewhere", 0)


def test_what_is_not_a_text_message_for_this_robot(robot: DingTalkStandIn) -> None:
    picture = robot.callback_body("", user="odd")
    picture["msgtype"] = "picture"
    picture["content"] = {"downloadCode": "x"}
    del picture["text"]
    assert robot.deliver(picture).status_code == 200
    other = robot.callback_body("养老机构还需要许可吗", user="odd")
    other["robotCode"] = "some-other-robot"
    assert robot.deliver(other).status_code == 200
    broken = robot.callback_body("养老机构还需要许可吗", user="odd")
    del broken["sessionWebhook"]
    assert robot.deliver(broken).status_code == 400
    _quiet(robot, "cid-private-odd", 0)


# -- the question log ----------------------------------------------------------------------------


def test_answers_and_ratings_in_a_real_question_log(runtime: PolicyQA, tmp_path: Path) -> None:
    """A SQLite question log under the robot: the answers and ratings of two users are rows of
    their own answers, no user id is in the database, and the log is written at shutdown."""
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    running = Robot(runtime, log=open_log(url, retention_days=30))
    try:
        robot = running.dingtalk
        (alice,) = _ask(robot, "养老机构还需要许可吗", user="alice")
        (bob,) = _ask(robot, "证照分离改革由谁牵头", user="bob")
        (thanks,) = _press(robot, alice, "有帮助", "alice")
        assert thanks.visible == "感谢反馈！"
        (why,) = _press(robot, bob, "没帮助", "bob")
        assert why.msgtype == "actionCard" and list(why.buttons) == \
            ["答非所问", "条款过时", "没说清楚", "其他"]
        (done,) = _press(robot, why, "条款过时", "bob")
        assert done.visible == "感谢反馈，我们会据此改进。"
        (stale,) = _ask(robot, "有帮助 f|" + "a" * 32 + "|+", user="alice")
        assert stale.visible == "这条回答已过期，无法评价。"
    finally:
        running.stop()  # the lifespan closes the log: every row is written
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(answers.c.id, answers.c.user_hash, answers.c.channel,
                                             answers.c.question)).all()
            rated = connection.execute(select(feedback.c.answer_id, feedback.c.rating,
                                              feedback.c.reason).order_by(feedback.c.id)).all()
            dump = repr(rows) + repr(connection.execute(select(answers)).all())
        users = UserHasher(LOG_KEY)
        by_user = {user: answer_id for answer_id, user, _, _ in rows}
        assert set(by_user) == {users.hash("dingtalk", "staff-alice"),
                                users.hash("dingtalk", "staff-bob")}
        assert all(channel == "dingtalk" for _, _, channel, _ in rows)
        assert "alice" not in dump and "bob" not in dump
        alice_id = by_user[users.hash("dingtalk", "staff-alice")]
        bob_id = by_user[users.hash("dingtalk", "staff-bob")]
        assert [tuple(r) for r in rated] == [(alice_id, 1, None), (bob_id, -1, None),
                                             (bob_id, -1, "outdated")]
        period = Period.last_days(1)
        summary = ratings(engine, period)  # 没帮助 then its reason: one 👎
        assert (summary.up, summary.down, summary.reasons) == (1, 1, (("条款过时", 1),))
        assert [(d.answer_id, d.reason) for d in disliked(engine, period)] == \
            [(bob_id, "outdated")]
    finally:
        engine.dispose()
