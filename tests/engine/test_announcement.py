"""A lead announcing what follows gives way to the close item under it."""

from __future__ import annotations

from corpus.document import Clause
from corpus.units import load_aliases
from engine.announcement import items_first, preamble_last
from engine.question import Question, load_cues, understand
from index.search import Hit


def _q(text: str) -> Question:
    return understand(text, load_cues(), load_aliases(), (), ())


ASKED = _q("港口冷链仓储增设的事批了吗？")


def _hit(clause_id: str, text: str, score: float, doc_id: str = "d") -> Hit:
    clause = Clause(doc_id=doc_id, clause_id=clause_id, kind="clause", label=clause_id,
                    text=text)
    return Hit(clause=clause, score=score, sentences=())


LEAD = "关于港口增设冷链仓储问题。港口集团请求增设冷链仓储。\n交通运输部提出了以下意见："


def test_the_close_item_under_an_announcing_lead_answers_first() -> None:
    hits = [_hit("4", LEAD, 0.18), _hit("3.2", "加强港口安全管理。", 0.17),
            _hit("4.2", "增设冷链仓储的条件已经成熟，同意增设。", 0.16)]
    assert [h.clause.clause_id for h in items_first(ASKED, hits)] == ["4.2", "4", "3.2"]


def test_a_lead_that_says_something_or_an_item_far_behind_stays_first() -> None:
    said = [_hit("4", "同意港口增设冷链仓储。", 0.18), _hit("4.2", "增设条件已经成熟。", 0.17)]
    assert items_first(ASKED, said) == said
    far = [_hit("4", LEAD, 0.18), _hit("4.2", "增设条件已经成熟。", 0.10)]
    assert items_first(ASKED, far) == far
    # 4.2 of another notice, or 42 of the same, is no item of this lead.
    other = [_hit("4", LEAD, 0.18), _hit("4.2", "增设条件已经成熟。", 0.17, doc_id="e"),
             _hit("42", "增设条件已经成熟。", 0.17)]
    assert items_first(ASKED, other) == other


def test_a_question_for_the_items_keeps_the_lead_that_gathers_them() -> None:
    hits = [_hit("4", LEAD, 0.18), _hit("4.2", "增设冷链仓储的条件已经成熟，同意增设。", 0.16)]
    assert items_first(_q("交通运输部提出了哪些意见？"), hits) == hits


def _kind_hit(clause_id: str, kind: str, score: float, doc_id: str = "d") -> Hit:
    clause = Clause(doc_id=doc_id, clause_id=clause_id, kind=kind,  # type: ignore[arg-type]
                    label=clause_id, text="推进社区食堂建设。")
    return Hit(clause=clause, score=score, sentences=())


PREAMBLE = _kind_hit("preamble", "preamble", 0.18)


def test_a_close_clause_of_the_notice_answers_before_its_preamble() -> None:
    clause = _kind_hit("3.2", "clause", 0.15)
    assert preamble_last([PREAMBLE, clause], about_notice=False) == [clause, PREAMBLE]
    # Far behind, of another notice, beyond the next two, or a question about the notice itself.
    far = _kind_hit("3.2", "clause", 0.12)
    assert preamble_last([PREAMBLE, far], about_notice=False) == [PREAMBLE, far]
    other = _kind_hit("3.2", "clause", 0.17, doc_id="e")
    assert preamble_last([PREAMBLE, other], about_notice=False) == [PREAMBLE, other]
    behind = [PREAMBLE, other, _kind_hit("1", "clause", 0.05, doc_id="e"), clause]
    assert preamble_last(behind, about_notice=False) == behind
    assert preamble_last([PREAMBLE, clause], about_notice=True) == [PREAMBLE, clause]
    assert preamble_last([clause, PREAMBLE], about_notice=False) == [clause, PREAMBLE]


def test_questions_about_the_notice_itself_are_told_apart() -> None:
    cues = load_cues()
    assert cues.has("about_notice", "这个方案为什么出台？")
    assert cues.has("about_notice", "这份通知的目的是什么")
    assert not cues.has("about_notice", "这份文件里对社区食堂的卫生有什么要求？")
