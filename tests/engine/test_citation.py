"""How a clause is cited: the sentence that stands for it, and the citation record."""

from __future__ import annotations

from corpus.document import Clause, Sentence
from engine.citation import bare_heading, cite, substance


def _clause(heading: str, *sentences: str) -> Clause:
    return Clause(doc_id="d", clause_id="1.1", label="（一）", kind="section", heading=heading,
                  text="".join(sentences), sentences=tuple(Sentence(text=s) for s in sentences))


def test_the_substance_skips_a_sentence_that_only_repeats_the_heading() -> None:
    clause = _clause("优化审批服务", "优化审批服务。", "取消养老机构设立许可。")
    assert bare_heading(clause, 0) and not bare_heading(clause, 1)
    assert substance(clause) == "取消养老机构设立许可。"
    only = _clause("优化审批服务", "优化审批服务。")
    assert substance(only) == only.text


def test_a_citation_carries_the_quote_its_deadline_and_a_rounded_score() -> None:
    clause = _clause("", "2021年底前完成。")
    found = cite(clause, "2021年底前完成。", 0.123456789, "2021年底前", "某通知")
    assert (found.clause_id, found.quote, found.deadline, found.doc_title) == \
        ("1.1", "2021年底前完成。", "2021年底前", "某通知")
    assert found.score == 0.123457
