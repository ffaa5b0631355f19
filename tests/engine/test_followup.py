"""Follow-up questions: the context store, which questions follow up, and what they answer."""

from __future__ import annotations

import json

import pytest

from contract.answer import Answer, Citation
from engine.followup import Context, Contexts
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.conftest import REPO, fake_service

ZHENGZHAO = "证照分离改革由谁牵头"  # A2.10: 省审改办, 省市场监管局 (lead); 2021年底前
YANGLAO = "养老机构设立还需要许可吗"  # 7.1: 省民政厅 …; no deadline


@pytest.fixture(scope="module")
def service(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _context(clause_id: str = "7.1", question: str = YANGLAO) -> Context:
    return Context("fujian_2021_fangguanfu", clause_id, ("省民政厅",), "yesno", question)


def _lead_first(service: PolicyQA, clause_id: str) -> list[str]:
    clause = service.clause("fujian_2021_fangguanfu", clause_id)
    return [u.name for u in sorted(clause.units, key=lambda u: not u.lead)]


# -- the store ---------------------------------------------------------------------------------


def test_contexts_expire_after_the_ttl() -> None:
    clock = Clock()
    contexts = Contexts(600, clock=clock)
    contexts.put("a", _context())
    clock.now += 599
    kept = contexts.get("a")
    assert kept is not None and kept.made == 1000.0 and kept.clause_id == "7.1"
    clock.now += 1
    assert contexts.get("a") is None
    assert len(contexts) == 0  # an expired context is dropped, not kept


def test_contexts_are_per_key_bounded_and_forgotten() -> None:
    clock = Clock()
    contexts = Contexts(600, max_size=2, clock=clock)
    contexts.put("a", _context("7.1"))
    contexts.put("b", _context("A2.10"))
    assert contexts.get("a").clause_id == "7.1"  # type: ignore[union-attr]  # a: recently used
    assert contexts.get("b").clause_id == "A2.10"  # type: ignore[union-attr]
    assert contexts.get("c") is None
    contexts.get("a")
    contexts.put("c", _context("2.3"))  # over the bound: b, the least recently used, goes
    assert contexts.get("b") is None and contexts.get("a") is not None and len(contexts) == 2
    contexts.put("a", None)
    assert contexts.get("a") is None


def test_a_ttl_of_zero_keeps_nothing() -> None:
    contexts = Contexts(0)
    contexts.put("a", _context())
    assert contexts.get("a") is None
    with pytest.raises(ValueError):
        Contexts(-1)


def test_a_context_is_the_first_citation_of_an_answer() -> None:
    citation = Citation(doc_id="d", clause_id="7.1", label="七、（一）", quote="q", text="t")
    answer = Answer(question="谁负责", status="answered", kind="who", answer="由…负责。",
                    units=("省民政厅", "省卫健委"), citations=(citation,))
    assert Context.of(answer) == Context("d", "7.1", ("省民政厅", "省卫健委"), "who", "谁负责")
    assert Context.of(answer.model_copy(update={"status": "not_found", "citations": ()})) is None


# -- a conversation -----------------------------------------------------------------------------


def test_who_and_when_are_read_against_the_first_answers_clause(service: PolicyQA) -> None:
    first = service.follow_up(ZHENGZHAO, None)
    assert not first.follow_up and first.answer.clause_ids[0] == "A2.10"
    assert first.context is not None and first.context.clause_id == "A2.10"

    when = service.follow_up("什么时候完成", first.context)
    assert when.follow_up and when.answer.clause_ids == ("A2.10",)
    assert when.answer.kind == "when" and when.answer.deadline == "2021年底前"
    assert when.answer.answer.startswith("2021年底前。")
    # Read on its own, the same words find something else: the context decided.
    assert service.ask("什么时候完成").clause_ids[:1] != ("A2.10",)

    who = service.follow_up("谁牵头", when.context)
    assert who.follow_up and who.answer.clause_ids == ("A2.10",)
    assert list(who.answer.units[:2]) == ["省审改办", "省市场监管局"]
    assert who.answer.answer.startswith("由省审改办、省市场监管局牵头")
    assert service.ask("谁牵头").clause_ids[:1] != ("A2.10",)
    assert who.context is not None and who.context.question == ZHENGZHAO  # the topic stays


def test_follow_ups_after_a_yes_no_answer(service: PolicyQA) -> None:
    first = service.follow_up(YANGLAO, None)
    assert first.answer.clause_ids[0] == "7.1" and first.answer.verdict == "no"
    who = service.follow_up("哪个部门负责", first.context)
    assert who.follow_up and who.answer.clause_ids == ("7.1",)
    assert list(who.answer.units) == _lead_first(service, "7.1")
    when = service.follow_up("时限呢", first.context)  # no when-cue: 时限 asks for it
    assert when.follow_up and when.answer.kind == "when" and when.answer.deadline is None
    assert when.answer.answer.startswith("这一条没有写明完成时限。")
    said = service.follow_up("具体怎么说的", first.context)
    assert said.follow_up and said.answer.citations[0].quote in said.answer.answer
    pronoun = service.follow_up("这个还需要审批吗", first.context)
    assert pronoun.follow_up and pronoun.answer.kind == "yesno"
    assert pronoun.answer.clause_ids == ("7.1",)


def test_a_standalone_question_ignores_the_context(service: PolicyQA) -> None:
    context = service.follow_up(ZHENGZHAO, None).context
    for question in (YANGLAO, "省民政厅负责哪些任务", "明天福州会下雨吗", "在吗",
                     # a demonstrative of time or place, not the previous topic
                     "这个月底前能办完吗", "这些年补贴多少钱", "这里能办营业执照吗"):
        turn = service.follow_up(question, context)
        assert not turn.follow_up, question
        assert turn.answer == service.ask(question), question
    # An answer replaces the context; one that finds nothing forgets it.
    assert service.follow_up(YANGLAO, context).context.clause_id == "7.1"  # type: ignore[union-attr]
    assert service.follow_up("明天福州会下雨吗", context).context is None


def test_another_place_asks_the_previous_question_again(service: PolicyQA) -> None:
    first = service.follow_up("厦门市的证照分离改革什么时候完成", None)
    turn = service.follow_up("那福州呢", first.context)
    assert turn.follow_up and turn.answer.question == "那福州呢"
    assert "按上文理解为：福州的证照分离改革什么时候完成" in turn.answer.answer
    assert turn.answer.deadline == "2021年底前"
    assert turn.context is not None and turn.context.question.startswith("福州")


def test_another_unit_asks_the_previous_list_again(service: PolicyQA) -> None:
    first = service.follow_up("省民政厅负责哪些任务", None)
    turn = service.follow_up("那省卫健委呢", first.context)
    assert turn.follow_up and turn.answer.kind == "list_unit"
    assert turn.answer.units == ("省卫健委",)
    # A list has no one clause: a bare 谁牵头 after it is read on its own.
    assert not service.follow_up("谁牵头", turn.context).follow_up


def test_two_conversations_never_mix(service: PolicyQA) -> None:
    contexts = Contexts(600)

    def ask(key: str, question: str) -> Answer:
        turn = service.follow_up(question, contexts.get(key))
        contexts.put(key, turn.context)
        return turn.answer

    ask("alice", ZHENGZHAO)
    ask("bob", YANGLAO)
    assert ask("alice", "谁牵头").clause_ids == ("A2.10",)
    assert ask("bob", "谁牵头").clause_ids == ("7.1",)
    assert ask("carol", "谁牵头") == service.ask("谁牵头")  # no context of her own


def test_a_context_whose_clause_is_gone_is_ignored(service: PolicyQA) -> None:
    gone = Context("fujian_2021_fangguanfu", "99.9", (), "who", ZHENGZHAO)
    turn = service.follow_up("谁牵头", gone)
    assert not turn.follow_up and turn.answer == service.ask("谁牵头")
    other_doc = service.follow_up("谁牵头", _context(), doc_id="fujian_2021_fangguanfu")
    assert other_doc.follow_up  # same document: still read against it


def test_no_gold_question_is_read_as_a_follow_up(service: PolicyQA) -> None:
    """Every question of the gold sets, with another gold question's context, stands on its
    own (the reading depends on the tokenizer, not on the encoder)."""
    questions = [json.loads(line)["question"] for name in ("fujian", "citizens", "govcn")
                 for line in (REPO / "eval" / "gold" / f"{name}.jsonl").read_text().splitlines()
                 if line.strip()]
    contexts = [_context("7.1", YANGLAO), _context("A2.10", ZHENGZHAO)]
    followed = [q for i, q in enumerate(questions)
                if service.follow_ups.read(q, contexts[i % 2]).way != "standalone"]
    assert followed == []
