"""The channel-neutral conversation: answers with their buttons, presses, look-ups, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import reply as r
from bot.conversation import EXPIRED, Conversation
from corpus.document import Document
from engine.ratelimit import RateLimiter
from engine.service import PolicyQA
from tests.bot.notices import hostile, long_notice
from tests.conftest import build_fake, fake_service


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
    (row,) = reply.actions
    assert [(a.kind, a.label) for a in row] == [("clause", "查看原文"), ("related", "相关条款")]
    assert all(len(a.payload.encode("utf-8")) <= 64 for a in row)

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
    assert [a.kind for a in reply.buttons] == ["clause"]


def test_not_found_offers_suggestions_that_ask(talk: Conversation, service: PolicyQA) -> None:
    reply = talk.ask("u", "福州地铁晚上几点停运")
    assert "没有在已收录的政策文件中找到" in _texts(reply)
    asks = reply.buttons
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
