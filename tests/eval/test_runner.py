"""The runner and report with a fake answerer whose answers are known."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from contract.answer import Answer, Citation, Verdict
from eval.gold import GoldQuestion
from eval.report import format_table, write_report
from eval.runner import check, run, summarise, summarise_by_kind


def _answer(question: str, clause_ids: list[str], verdict: Verdict | None = None,
            units: tuple[str, ...] = (), deadline: str | None = None) -> Answer:
    if not clause_ids:
        return Answer(question=question, status="not_found", answer="没有找到。")
    citations = tuple(Citation(doc_id="d", clause_id=c, label=c, quote="q", text="t")
                      for c in clause_ids)
    return Answer(question=question, status="answered", answer="a", verdict=verdict,
                  units=units, deadline=deadline, citations=citations)


class FakeAnswerer:
    """Answers from a fixed table and advances a fake clock by a known latency."""

    def __init__(self, table: Mapping[str, Answer]) -> None:
        self.table = table
        self.asked: list[str] = []

    def ask(self, question: str, top_k: int = 3) -> Answer:
        self.asked.append(question)
        return self.table[question]


GOLD = [
    GoldQuestion(id="q1", question="养老", clauses=("7.1",), verdict="no", kind="yesno"),
    GoldQuestion(id="q2", question="谁", clauses=("4.2", "A3.2"), units=("省住建厅",), kind="who"),
    GoldQuestion(id="q3", question="何时", clauses=("3.6",), deadline="2021年底前", kind="when"),
    GoldQuestion(id="q4", question="天气", clauses=(), kind="oos"),
]


def test_check_fields() -> None:
    wrong_verdict = check(GOLD[0], _answer("养老", ["7.1"], verdict="yes"))
    assert wrong_verdict.citation and wrong_verdict.verdict is False and not wrong_verdict.answer
    right = check(GOLD[1], _answer("谁", ["A3.2"], units=("省住建厅", "省发改委")))
    assert right.answer and right.units and right.verdict is None
    refused_in_scope = check(GOLD[2], _answer("何时", []))
    assert not refused_in_scope.refusal and not refused_in_scope.answer
    refused_oos = check(GOLD[3], _answer("天气", []))
    assert refused_oos.answer and refused_oos.citation is None


def test_run_and_summarise() -> None:
    table = {
        "养老": _answer("养老", ["2.1", "7.1"], verdict="no"),     # hit@1 miss, hit@3
        "谁": _answer("谁", ["4.2"], units=("省住建厅",)),           # all right
        "何时": _answer("何时", ["3.6"], deadline="2022年底前"),      # wrong deadline
        "天气": _answer("天气", ["1"]),                               # should have refused
    }
    ticks = iter([0.0, 0.010, 1.0, 1.020, 2.0, 2.030, 3.0, 3.040])
    predictions = run(FakeAnswerer(table), GOLD, clock=lambda: next(ticks))
    assert [round(p.latency_ms) for p in predictions] == [10, 20, 30, 40]
    metrics = summarise(predictions)
    assert metrics["answer_accuracy"] == 0.25
    assert metrics["hit@1"] == 2 / 3
    assert metrics["hit@3"] == 1.0
    assert metrics["mrr@10"] == (0.5 + 1 + 1) / 3
    assert metrics["verdict_accuracy"] == 1.0
    assert metrics["deadline_accuracy"] == 0.0
    assert metrics["unit_recall"] == 1.0
    assert metrics["refusal_recall"] == 0.0
    assert metrics["refusal_precision"] is None  # nothing was refused
    assert metrics["latency_p50_ms"] == pytest.approx(25.0)
    by_kind = summarise_by_kind(predictions)
    assert set(by_kind) == {"all", "yesno", "who", "when", "oos"}
    assert by_kind["who"]["answer_accuracy"] == 1.0
    assert by_kind["who"]["verdict_accuracy"] is None


def test_report_files(tmp_path: Path) -> None:
    table = {q.question: _answer(q.question, list(q.clauses[:1])) for q in GOLD}
    predictions = run(FakeAnswerer(table), GOLD)
    by_kind = summarise_by_kind(predictions)
    written = write_report(tmp_path, predictions, by_kind, title="fake")
    assert [p.name for p in written] == ["metrics.json", "report.md", "chart.png",
                                         "predictions.jsonl"]
    assert json.loads((tmp_path / "metrics.json").read_text())["all"]["questions"] == 4
    records = [json.loads(line) for line in (tmp_path / "predictions.jsonl").read_text().splitlines()]
    flags = [r["correct"]["answer"] for r in records]
    assert flags == sorted(flags)  # failures first
    assert records[0]["id"] == "q1"  # no verdict given to a yes/no question
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| q1 | yesno |" in (tmp_path / "report.md").read_text()
    table_text = format_table(by_kind)
    assert table_text.splitlines()[1].startswith("all")


def test_citations_from_another_document_do_not_count() -> None:
    gold = GoldQuestion(id="g", question="q", clauses=("2.3",), kind="what", doc_id="gf-2018-39")
    other = Answer(question="q", status="answered", answer="a", citations=(
        Citation(doc_id="fujian", clause_id="2.3", label="x", quote="q", text="t"),
        Citation(doc_id="gf-2018-39", clause_id="2.3", label="x", quote="q", text="t")))
    assert check(gold, other).citation is False
    assert summarise(run(FakeAnswerer({"q": other}), [gold]))["hit@3"] == 1.0
