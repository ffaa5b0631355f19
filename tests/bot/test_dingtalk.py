"""The DingTalk robot against the local DingTalk stand-in, end to end over HTTP on 127.0.0.1:
the stand-in POSTs signed callbacks to the robot's server as DingTalk does, and the robot replies
through the stand-in's session webhooks, which check what DingTalk checks."""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.dingtalk import build_app
from corpus.document import Document
from corpus.reader import read_path
from engine.service import PolicyQA
from policyqa.logs import PlainFormatter, Redact
from tests.bot.dingtalk_standin import ROBOT_NAME, DingTalkStandIn, Sent, sign_of
from tests.conftest import REPO, build_fake, fake_service
from tests.liveserver import LiveServer

APP_KEY = "dingstandinappkey42"
APP_SECRET = "stand-in-app-secret_9f8e7d6c5b4a"


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> PolicyQA:
    hostile = read_path(REPO / "tests" / "api" / "data" / "hostile_notice.txt")
    long = read_path(Path(__file__).parent / "data" / "long_notice.txt")  # 40 tasks, a huge clause
    folder = tmp_path_factory.mktemp("dingtalk-index") / "index"
    build_fake([fujian, *hostile, *long], folder)
    return fake_service(folder)


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

    def __init__(self, runtime: PolicyQA, rate: int = 1000) -> None:
        self.dingtalk = DingTalkStandIn(APP_KEY, APP_SECRET)
        self._webhooks = LiveServer(self.dingtalk.app).start()
        self.dingtalk.base = self._webhooks.base
        self._robot = LiveServer(lambda: build_app(
            APP_KEY, APP_SECRET, lambda: runtime, api_base=self._webhooks.base,
            callback_path="/dingtalk/callback", rate_limit_per_minute=rate)).start()
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


def test_a_button_sends_its_text_back_and_shows_the_clause(robot: DingTalkStandIn) -> None:
    (reply,) = _ask(robot, "养老机构还需要许可吗", user="press1")
    assert reply.msgtype == "actionCard" and "查看原文" in reply.buttons
    before = len(robot.sent_to(reply.conversation_id))
    response, _ = robot.press(reply, "查看原文", user="press1")
    assert response.status_code == 200
    (clause,) = _settle(robot, reply.conversation_id, before)
    assert "深化养老机构公建民营改革" in clause.visible  # the full clause, not the quote


def test_group_answers_an_at_mention_only(robot: DingTalkStandIn) -> None:
    group = "g1"
    response, _ = robot.message("大家好，今天开会吗", user="g1u", group=group)
    assert response.status_code == 200
    _quiet(robot, "cid-group-g1", 0)
    (reply,) = _ask(robot, f"@{ROBOT_NAME} 养老机构还需要许可吗", user="g1u", group=group)
    assert reply.visible.startswith("不需要。")


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
