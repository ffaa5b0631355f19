"""The channel-neutral conversation: answers with their buttons, presses, look-ups, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import reply as r
from bot.conversation import (
    EXPIRED,
    RATING_EXPIRED,
    THANKS,
    THANKS_WHY,
    WHY,
    ChatChannel,
    Conversation,
)
from bot.payload import rating_payload
from corpus.document import Document
from engine.ratelimit import RateLimiter
from engine.service import PolicyQA
from tests.bot.notices import hostile, long_notice
from tests.conftest import build_fake, fake_service
from usage.log import MemoryLog
from usage.privacy import UserHasher
from usage.record import Feedback


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> Path:
    path = tmp_path_factory.mktemp("conversation") / "index"
    build_fake([fujian, hostile(), long_notice()], path)
    return path


@pytest.fixture(scope="module")
def service(folder: Path) -> PolicyQA:
    return fake_service(folder)


@pytest.fixture
def talk(service: PolicyQA) -> Conversation:
    return Conversation(service)


def _texts(reply: r.Reply) -> str:
    return "\n".join(b.text if isinstance(b, r.Plain) else str(b) for b in reply.blocks)


def test_answer_with_its_buttons(talk: Conversation) -> None:
    reply = talk.ask("u", "养老机构还需要许可吗")
    lead, cited = reply.blocks
    assert lead == r.Lead("不需要。")
    assert isinstance(cited, r.Cited) and cited.clause_id == "7.1"
    assert cited.quote == "放宽养老服务市场准入，取消养老机构设立许可，实行备案制；"
    assert cited.doc_id == "fujian_2021_fangguanfu" and cited.doc_title
    assert [u.name for u in cited.units] == ["省民政厅", "省卫健委", "省药监局"]
    assert reply.title == "不需要。"
    row, rate = reply.actions
    assert [(a.kind, a.label) for a in row] == [("clause", "查看原文"), ("related", "相关条款")]
    assert [(a.kind, a.label) for a in rate] == [("rate", "有帮助"), ("rate", "没帮助")]
    assert reply.answer_id is not None
    assert [a.payload for a in rate] == [f"f|{reply.answer_id}|+", f"f|{reply.answer_id}|-"]
    assert all(len(a.payload.encode("utf-8")) <= 64 for a in reply.buttons)

    full = talk.press("u", row[0].payload)
    (block,) = full.blocks
    assert isinstance(block, r.FullClause) and block.clause_id == "7.1"
    assert "深化养老机构公建民营改革" in block.text and block.doc_title.startswith("福建省")

    related = talk.press("u", row[1].payload)
    assert related.blocks[0] == r.Lead("相关条款")
    assert [b.clause_id for b in related.blocks[1:] if isinstance(b, r.Cited)] == ["2.2", "A1.8"]
    (buttons,) = related.actions
    assert [a.label for a in buttons] == ["原文：二、（二）支持提升职业技能", "原文：附件一-8"]
    shown = talk.press("u", buttons[1].payload).blocks[0]
    assert isinstance(shown, r.FullClause) and shown.clause_id == "A1.8"


def test_list_answer_shows_every_task_and_no_related(talk: Conversation) -> None:
    reply = talk.ask("u", "省民政厅负责哪些任务")
    cited = [b for b in reply.blocks if isinstance(b, r.Cited)]
    assert len(cited) > 1
    assert [a.kind for a in reply.buttons] == ["clause", "rate", "rate"]


def test_not_found_offers_suggestions_that_ask(talk: Conversation, service: PolicyQA) -> None:
    reply = talk.ask("u", "福州地铁晚上几点停运")
    assert "没有在已收录的政策文件中找到" in _texts(reply)
    *suggested, rate = reply.actions
    assert [a.kind for a in rate] == ["rate", "rate"]
    asks = tuple(a for row in suggested for a in row)
    assert [a.question for a in asks] == list(service.suggestions)
    assert all(a.kind == "ask" and a.label == a.question for a in asks)
    answered = talk.press("u", asks[0].payload)
    assert any(isinstance(b, r.Cited) for b in answered.blocks)


def test_stale_and_foreign_presses_expire(talk: Conversation) -> None:
    for data in (None, "", "c|0|7.1", "m|1|1", "q|99", "c|AAAAAA.00000000.7.1"):
        assert talk.press("u", data) == r.plain(EXPIRED)


def test_rate_limit_and_length_per_user(service: PolicyQA) -> None:
    talk = Conversation(service, RateLimiter(1))
    assert isinstance(talk.ask("a", "养老机构还需要许可吗").blocks[0], r.Lead)
    assert "您提问太频繁了" in _texts(talk.ask("a", "养老机构还需要许可吗"))
    suggestion = talk.suggestions()[0][0]
    assert "您提问太频繁了" in _texts(talk.press("a", suggestion.payload))  # asking, limited too
    assert "问题太长了" in _texts(talk.ask("b", "问" * 501))
    assert "这个问题无法处理" in _texts(talk.ask("c", "   "))


def test_look_ups(talk: Conversation) -> None:
    assert "您是不是要找：省民政厅" in _texts(talk.unit("民政厅"))
    unit = talk.unit("省民政厅")
    head = unit.blocks[0]
    assert isinstance(head, r.Lead) and head.strong == "省民政厅"
    assert head.rest.startswith(" 负责 4 项任务")
    assert "没有找到“火星管理局”负责的任务" in _texts(talk.unit("火星管理局"))
    (clause,) = talk.clause("a1.8").blocks
    assert isinstance(clause, r.FullClause) and clause.label == "附件一-8"
    assert clause.deadline == "按照国家部署推进"
    assert "没有找到编号为 99.9 的条款" in _texts(talk.clause("99.9"))
    (catalog,) = talk.catalog().blocks
    assert isinstance(catalog, r.Catalog)
    assert [d.doc_id for d in catalog.documents] == \
        ["fujian_2021_fangguanfu", "hostile_notice", "long_notice"]
    intro = talk.intro()
    assert intro.blocks[0] == r.Lead("政策问答", notes=(
        "我根据已收录的政策文件回答问题：每个回答都给出直接结论，引用原文条款，写明责任单位和完成时限。",
        "", "试试这些问题："))
    assert intro.actions == talk.suggestions()


def test_presses_work_in_another_process(talk: Conversation, folder: Path) -> None:
    """A new service over the same index (a restart) reads every payload the same way."""
    reply = talk.ask("u", "养老机构还需要许可吗")
    other = Conversation(fake_service(folder))
    for action in reply.buttons:
        assert other.press("u", action.payload) == talk.press("u", action.payload)


# -- the question log and the ratings ----------------------------------------------------------

KEY = "a-log-key-of-32-characters-123456"
QUESTION = "养老机构还需要许可吗"


def _logged(service: PolicyQA, channel: ChatChannel = "wecom"
            ) -> tuple[Conversation, MemoryLog]:
    log = MemoryLog()
    return Conversation(service, log=log, users=UserHasher(KEY), channel=channel), log


def test_answers_are_logged_under_the_hashed_user(service: PolicyQA) -> None:
    talk, log = _logged(service)
    reply = talk.ask("zhang.san.13800138000", QUESTION)
    follow = talk.ask("zhang.san.13800138000", "谁牵头")
    suggested = talk.press("li.si", talk.suggestions()[0][0].payload, "g")  # asked too
    unknown = talk.ask("li.si", "福州地铁晚上几点停运", "g")
    assert [a.answer_id for a in log.asked] == \
        [reply.answer_id, follow.answer_id, suggested.answer_id, unknown.answer_id]
    first, second, third, fourth = log.asked
    hashed = UserHasher(KEY).hash("wecom", "zhang.san.13800138000")
    assert first.user == second.user == hashed and len(hashed or "") == 64
    assert third.user == fourth.user == UserHasher(KEY).hash("wecom", "li.si") != hashed
    for asked in log.asked:
        assert "zhang.san" not in repr(asked) and "13800138000" not in repr(asked)
        assert "li.si" not in repr(asked)
        assert asked.channel == "wecom" and asked.latency_ms > 0
    assert (first.question, first.status, first.citations[0]) == \
        (QUESTION, "answered", "fujian_2021_fangguanfu:7.1")
    assert (first.follow_up, second.follow_up) == (False, True)
    assert fourth.status != "answered" and unknown.buttons[-1].kind == "rate"
    # Not answers: refusals, look-ups and presses that show a clause are not logged.
    talk.ask("x", "问" * 501)
    talk.unit("省民政厅")
    talk.press("x", reply.buttons[0].payload)
    assert len(log.asked) == 4


def test_the_hash_is_per_channel_and_optional(service: PolicyQA) -> None:
    on_telegram, telegram_log = _logged(service, "telegram")
    on_telegram.ask("42", QUESTION)
    on_wecom, wecom_log = _logged(service, "wecom")
    on_wecom.ask("42", QUESTION)
    assert telegram_log.asked[0].user != wecom_log.asked[0].user
    assert telegram_log.asked[0].channel == "telegram"
    keyless, log = MemoryLog(), MemoryLog()
    Conversation(service, log=keyless, users=UserHasher(None)).ask("42", QUESTION)
    Conversation(service, log=log, users=lambda user: f"h({user[::-1]})").ask("42", QUESTION)
    assert keyless.asked[0].user is None and log.asked[0].user == "h(24)"


def test_rating_presses_are_kept_against_their_answer(service: PolicyQA) -> None:
    talk, log = _logged(service)
    alice = talk.ask("alice", QUESTION)
    bob = talk.ask("bob", "福州地铁晚上几点停运")
    helpful = alice.buttons[-2]
    assert talk.press("alice", helpful.payload) == r.plain(THANKS, title="感谢反馈")
    why = talk.press("bob", bob.buttons[-1].payload)
    assert why.blocks == (r.Plain(WHY),) and why.answer_id is None
    (reasons,) = why.actions
    assert [(a.kind, a.label) for a in reasons] == \
        [("rate", "答非所问"), ("rate", "条款过时"), ("rate", "没说清楚"), ("rate", "其他")]
    assert [a.payload[-4:] for a in reasons] == ["|-|o", "|-|d", "|-|u", "|-|x"]
    assert talk.press("bob", reasons[1].payload) == r.plain(THANKS_WHY, title="感谢反馈")
    rated = [(f.answer_id, f.rating, f.reason) for f in log.feedback]
    assert rated == [(alice.answer_id, 1, None), (bob.answer_id, -1, None),
                     (bob.answer_id, -1, "outdated")]
    assert all(f.comment is None and f.at.tzinfo is not None for f in log.feedback)


def test_a_rating_of_an_unknown_answer_or_a_garbled_one_changes_nothing(
        service: PolicyQA) -> None:
    talk, log = _logged(service)
    reply = talk.ask("alice", QUESTION)
    assert reply.answer_id is not None
    never = rating_payload("f" * 32, 1)
    assert talk.press("alice", never) == r.plain(RATING_EXPIRED)
    assert talk.press("alice", rating_payload("0" * 32, -1, "other")) == r.plain(RATING_EXPIRED)
    for garbled in (f"f|{reply.answer_id}|*", f"f|{reply.answer_id}|-|z",
                    f"f|{reply.answer_id[:-1]}|+", f"f|{reply.answer_id}|+|o",
                    f"f|{reply.answer_id.upper()}|+"):
        assert talk.press("alice", garbled) == r.plain(EXPIRED)
    assert log.feedback == [] and len(log.asked) == 1
    log.close()  # stopping: accepted and dropped, like the database log (not "expired")
    assert talk.press("alice", reply.buttons[-2].payload) == r.plain(THANKS, title="感谢反馈")
    assert log.feedback == []


def test_without_a_log_the_buttons_still_thank(talk: Conversation) -> None:
    reply = talk.ask("u", QUESTION)
    assert talk.press("u", reply.buttons[-2].payload) == r.plain(THANKS, title="感谢反馈")
    assert talk.press("u", reply.buttons[-1].payload).actions


def test_rating_rows_are_recorded_once_a_press(service: PolicyQA) -> None:
    talk, log = _logged(service)
    reply = talk.ask("alice", QUESTION)
    assert reply.answer_id is not None
    talk.press("alice", reply.buttons[-1].payload)
    talk.press("alice", rating_payload(reply.answer_id, -1, "off_topic"))
    assert log.feedback[1:] == [Feedback(reply.answer_id, log.feedback[1].at, -1, "off_topic")]
