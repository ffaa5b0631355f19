"""Suggested questions: built from a notice's headings and leading units, kept only if answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.answer import Answer
from contract.errors import DataError, InputError
from corpus.document import Document
from engine.suggestions import Templates, candidates, load_templates, suggest
from index.store import LoadedIndex
from tests.conftest import fake_service


def test_candidates_alternate_headings_and_leading_units(fujian: Document) -> None:
    questions = candidates(fujian.clauses, load_templates(), limit=6)
    assert len(questions) == 6 and len(set(questions)) == 6
    headings = {c.heading for c in fujian.clauses if c.heading}
    leads = {u.name for c in fujian.clauses for u in c.units if u.lead}
    assert questions[0].removesuffix("有哪些措施？") in headings
    assert questions[1].removesuffix("负责哪些任务？") in leads
    # Spread over the notice: not all from its first section.
    sections = {q.removesuffix("有哪些措施？") for q in questions[::2]}
    firsts = {c.heading for c in fujian.clauses if c.clause_id.startswith("2.")}
    assert not sections <= firsts


class _Refuses:
    """Answers only questions that mention a given word."""

    def __init__(self, word: str) -> None:
        self.word = word

    def ask(self, question: str, top_k: int = 3, doc_id: str | None = None) -> Answer:
        if "坏" in question:
            raise InputError("bad")
        if self.word in question:
            return Answer(question=question, status="answered", answer="")
        return Answer(question=question, status="not_found", answer="")


def test_suggest_keeps_only_answered(fujian: Document) -> None:
    templates = Templates(heading=("{heading}有哪些措施？",), unit=("{unit}负责哪些任务？",))
    kept = suggest(fujian.clauses, _Refuses("负责"), templates, count=3)
    assert len(kept) == 3 and all("负责" in q for q in kept)
    assert suggest(fujian.clauses, _Refuses("不存在的词"), templates) == ()


def test_runtime_suggestions_are_answered(fake_index: LoadedIndex) -> None:
    runtime = fake_service(fake_index)
    assert runtime.suggestions
    for question in runtime.suggestions:
        assert runtime.ask(question).status == "answered"


@pytest.mark.parametrize("data", [{"heading": ["没有槽位"], "unit": ["{unit}"]}, {"heading": []},
                                  "not json"])
def test_bad_templates_are_refused(tmp_path: Path, data: object) -> None:
    path = tmp_path / "t.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError):
        load_templates(path)
