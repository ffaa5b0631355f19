"""What the reranker is fitted on: the first hits of tune-half questions, labelled right or
wrong."""

from __future__ import annotations

from corpus.document import Document
from eval.calibrate import rerank_examples, rerank_gold
from eval.gold import GoldQuestion
from index.rerank import FEATURES
from index.store import LoadedIndex
from tests.conftest import fake_service


def gold(qid: str, question: str, clauses: tuple[str, ...], split: str | None = "tune",
         doc_id: str | None = None) -> GoldQuestion:
    return GoldQuestion(id=qid, question=question, clauses=clauses, kind="yesno",
                        split=split, doc_id=doc_id)  # type: ignore[arg-type]


def test_rerank_examples_label_the_first_hits(fake_index: LoadedIndex, fujian: Document
                                              ) -> None:
    service = fake_service(fake_index)
    questions = [
        gold("a", "养老机构设立许可还要吗", ("7.1",)),
        gold("b", "养老机构设立许可还要吗", ("7.1",), doc_id=fujian.doc_id),
        gold("t", "养老机构设立许可还要吗", ("7.1",), split="test"),       # never fitted on
        gold("o", "驾驶证怎么换", ()),                                      # out of scope
        gold("x", "养老机构设立许可还要吗", ("7.1",), doc_id="elsewhere"),  # not in the index
    ]
    found = rerank_examples(service.answerer, service.retriever, questions)
    assert len(found) == 2
    for rows, right in found:
        assert len(rows) == len(right) == 5 and set(rows[0]) == set(FEATURES)
        assert right[0] and not any(right[1:])  # 7.1 first in fused order, nothing else right


def test_rerank_gold_is_tune_halves_only() -> None:
    questions = rerank_gold()
    assert questions and {q.split for q in questions} == {"tune"}
