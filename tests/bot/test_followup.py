"""Follow-up questions in the chat channels: the conversation keeps each user's last answer per
chat, and Telegram (against its stand-in) reads 谁牵头 and 什么时候完成 against it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot import reply as r
from bot.conversation import Conversation
from engine.followup import Contexts
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.bot.standin import TelegramStandIn
from tests.bot.test_app import _ask, _start_bot
from tests.conftest import fake_service


@pytest.fixture(scope="module")
def service(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


def _lead(reply: r.Reply) -> str:
    first = reply.blocks[0]
    assert isinstance(first, r.Lead)
    return first.strong


def _clause(reply: r.Reply) -> str:
    cited = next(b for b in reply.blocks if isinstance(b, r.Cited))
    return cited.clause_id


# -- the conversation ----------------------------------------------------------------------------


def test_follow_ups_per_user_and_chat(service: PolicyQA) -> None:
    talk = Conversation(service)
    first = talk.ask("alice", "证照分离改革由谁牵头")
    assert _clause(first) == "A2.10"
    when = talk.ask("alice", "什么时候完成")
    assert _clause(when) == "A2.10" and _lead(when) == "2021年底前。"
    assert _lead(talk.ask("alice", "谁牵头")).startswith("由省审改办、省市场监管局牵头")

    talk.ask("bob", "养老机构设立还需要许可吗")
    assert _clause(talk.ask("bob", "谁牵头")) == "7.1"
    assert _clause(talk.ask("alice", "谁牵头")) == "A2.10"  # bob's question changed nothing
    # The same user in another chat has no context there.
    assert _clause(talk.ask("alice", "谁牵头", chat="group-1")) != "A2.10"
    # A question of its own replaces the context.
    assert _lead(talk.ask("alice", "养老机构设立还需要许可吗")) == "不需要。"
    assert _clause(talk.ask("alice", "谁牵头")) == "7.1"


def test_follow_ups_expire(service: PolicyQA) -> None:
    now = [0.0]
    talk = Conversation(service, contexts=Contexts(600, clock=lambda: now[0]))
    talk.ask("u", "证照分离改革由谁牵头")
    now[0] = 600.0
    assert _clause(talk.ask("u", "谁牵头")) != "A2.10"


def test_every_answer_reply_has_its_own_answer_id(service: PolicyQA) -> None:
    talk = Conversation(service)
    ids = [talk.ask("u", q).answer_id for q in ("证照分离改革由谁牵头", "谁牵头", "明天福州会下雨吗")]
    assert all(i is not None and re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == 3
    assert talk.unit("省民政厅").answer_id is None and talk.intro().answer_id is None
    assert talk.ask("u", "问" * 501).answer_id is None  # refused, not answered


# -- Telegram against its stand-in ---------------------------------------------------------------


@pytest.fixture(scope="module")
def telegram(service: PolicyQA) -> Iterator[TelegramStandIn]:
    stand_in, server, runner = _start_bot(lambda: service)
    yield stand_in
    runner.stop()
    server.stop()


def _text(telegram: TelegramStandIn, question: str, **where: object) -> str:
    _, replies = _ask(telegram, question, **where)
    return "\n".join(call.params["text"] for call in replies)


def test_telegram_reads_who_and_when_against_the_first_answer(telegram: TelegramStandIn) -> None:
    first = _text(telegram, "证照分离改革由谁牵头")
    assert "（A2.10）" in first
    when = _text(telegram, "什么时候完成")
    assert when.startswith("<b>2021年底前。</b>") and "（A2.10）" in when
    who = _text(telegram, "谁牵头")
    assert who.startswith("<b>由省审改办、省市场监管局牵头") and "（A2.10）" in who

    # An unrelated question is answered on its own, and becomes the context.
    other = _text(telegram, "养老机构设立还需要许可吗")
    assert other.startswith("<b>不需要。</b>") and "（7.1）" in other
    assert "（7.1）" in _text(telegram, "哪个部门负责")


def test_telegram_users_and_chats_never_mix(telegram: TelegramStandIn) -> None:
    _text(telegram, "证照分离改革由谁牵头", user_id=50, chat_id=50)
    _text(telegram, "养老机构设立还需要许可吗", user_id=51, chat_id=51)
    assert "（A2.10）" in _text(telegram, "谁牵头", user_id=50, chat_id=50)
    assert "（7.1）" in _text(telegram, "谁牵头", user_id=51, chat_id=51)
    # User 50 in a group has no context there: the bare question is read on its own.
    group = _text(telegram, "@policyqa_test_bot 谁牵头", user_id=50, chat_id=-1050,
                  chat_type="supergroup")
    assert "（A2.10）" not in group
