"""How a clause is cited: the sentence that stands for it, and the citation record."""

from __future__ import annotations

from corpus.document import Clause, Sentence
from engine.citation import asked_deadline, bare_heading, cite, substance


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


def test_the_deadline_of_the_part_asked_about() -> None:
    sentence = "原则上于2030年6月底前完成设计方案，2031年12月底前完成竣工验收。"
    deadlines = ["2030年6月底前", "2031年12月底前"]
    assert asked_deadline(sentence, deadlines, "什么时候能验收") == "2031年12月底前"
    assert asked_deadline(sentence, deadlines, "设计方案什么时候出") == "2030年6月底前"
    assert asked_deadline(sentence, deadlines, "什么时候") == "2030年6月底前"  # none favoured
    # A story sharing a word with another part (当初的设计方案…) gives way to the clause that asks.
    assert asked_deadline(sentence, deadlines, "当初的设计方案改过，最晚哪天要验收") == "2031年12月底前"
