"""A lead announcing what follows gives way to the close item under it."""

from __future__ import annotations

from corpus.document import Clause
from corpus.units import load_aliases
from engine.announcement import items_first
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
