"""Run an answerer over gold questions and score every answer field by field."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from contract.answer import Answer
from engine.service import PolicyQA
from eval.gold import GoldQuestion
from eval.metrics import (
    hit_at,
    mean,
    ndcg_at,
    percentile,
    precision_recall,
    reciprocal_rank,
    same_deadline,
    unit_precision,
    unit_recall,
)
from index.search import MODES

logger = logging.getLogger(__name__)


class Answerer(Protocol):
    """Anything that answers a question with the answer contract."""

    def ask(self, question: str, top_k: int = 3) -> Answer:
        """Answer one question."""
        ...


class FieldChecks(BaseModel):
    """Whether each field of one answer is right; None where the gold says nothing."""

    model_config = ConfigDict(frozen=True)

    citation: bool | None
    verdict: bool | None
    units: bool | None
    deadline: bool | None
    refusal: bool
    answer: bool


class Prediction(BaseModel):
    """One gold question, the answer given, its latency and its checks."""

    model_config = ConfigDict(frozen=True)

    gold: GoldQuestion
    answer: Answer
    latency_ms: float
    correct: FieldChecks


def ranked_ids(gold: GoldQuestion, answer: Answer) -> tuple[str, ...]:
    """The answer's cited clauses, qualified by document when the gold names its document."""
    if gold.doc_id is None:
        return answer.clause_ids
    return tuple(c.clause_id if c.doc_id == gold.doc_id else f"{c.doc_id}:{c.clause_id}"
                 for c in answer.citations)


def check(gold: GoldQuestion, answer: Answer) -> FieldChecks:
    """Score one answer against its gold question."""
    refused = answer.status == "not_found"
    if not gold.in_scope:
        return FieldChecks(citation=None, verdict=None, units=None, deadline=None,
                           refusal=refused, answer=refused)
    citation = not refused and hit_at(ranked_ids(gold, answer), gold.clauses, 1) == 1.0
    verdict = None if gold.verdict is None else answer.verdict == gold.verdict
    units = None if not gold.units else set(gold.units) <= set(answer.units)
    deadline = None if gold.deadline is None else same_deadline(answer.deadline, gold.deadline)
    return FieldChecks(
        citation=citation, verdict=verdict, units=units, deadline=deadline, refusal=not refused,
        answer=citation and all(x is not False for x in (verdict, units, deadline)))


def run(answerer: Answerer, questions: Iterable[GoldQuestion], top_k: int = 10,
        clock: Callable[[], float] = time.perf_counter) -> list[Prediction]:
    """Ask every question and check the answers, timing each call."""
    predictions = []
    for gold in questions:
        start = clock()
        answer = answerer.ask(gold.question, top_k=top_k)
        latency_ms = (clock() - start) * 1000
        predictions.append(Prediction(gold=gold, answer=answer, latency_ms=latency_ms,
                                      correct=check(gold, answer)))
    return predictions


Metrics = dict[str, float | None]
"""Metric name → value; None where no question the metric applies to was asked."""


def summarise(predictions: Sequence[Prediction]) -> Metrics:
    """Every metric over a set of predictions."""
    in_scope = [p for p in predictions if p.gold.in_scope]
    ranked = [(ranked_ids(p.gold, p.answer), p.gold.clauses) for p in in_scope]
    with_units = [p for p in in_scope if p.gold.units]
    with_verdict = [p for p in in_scope if p.gold.verdict is not None]
    with_deadline = [p for p in in_scope if p.gold.deadline is not None]
    refused = [p.answer.status == "not_found" for p in predictions]
    out_of_scope = [not p.gold.in_scope for p in predictions]
    refusal_precision, refusal_recall = precision_recall(refused, out_of_scope)
    wrongly_refused = [p.answer.status == "not_found" for p in in_scope]
    latencies = [p.latency_ms for p in predictions]
    return {
        "questions": float(len(predictions)),
        "answer_accuracy": mean([float(p.correct.answer) for p in predictions]),
        "hit@1": mean([hit_at(r, a, 1) for r, a in ranked]),
        "hit@3": mean([hit_at(r, a, 3) for r, a in ranked]),
        "mrr@10": mean([reciprocal_rank(r, a, 10) for r, a in ranked]),
        "ndcg@10": mean([ndcg_at(r, a, 10) for r, a in ranked]),
        "unit_recall": mean([unit_recall(p.answer.units, p.gold.units) for p in with_units]),
        "unit_precision": mean([unit_precision(p.answer.units, p.gold.units) for p in with_units]),
        "verdict_accuracy": mean([float(p.answer.verdict == p.gold.verdict) for p in with_verdict]),
        "deadline_accuracy": mean([float(same_deadline(p.answer.deadline, p.gold.deadline))
                                   for p in with_deadline]),
        "refusal_precision": refusal_precision if any(refused) else None,
        "refusal_recall": refusal_recall if any(out_of_scope) else None,
        "false_refusals": mean([float(r) for r in wrongly_refused]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }


def summarise_by_kind(predictions: Sequence[Prediction], by: str = "kind") -> dict[str, Metrics]:
    """The metrics overall (``all``) and per value of a gold field (``kind``, ``style``…)."""
    def group(p: Prediction) -> str:
        return str(getattr(p.gold, by) or "—")

    result: dict[str, Metrics] = {"all": summarise(predictions)}
    for value in sorted({group(p) for p in predictions}):
        result[value] = summarise([p for p in predictions if group(p) == value])
    return result


def modes_of(service: PolicyQA) -> dict[str, Answerer]:
    """Every answering mode over a service, the engine last (the default)."""
    from eval.baseline import OverlapAnswerer, RetrievalAnswerer

    modes: dict[str, Answerer] = {"overlap": OverlapAnswerer(list(service.documents))}
    modes.update({mode: RetrievalAnswerer(service.retriever, mode) for mode in MODES})
    modes["engine"] = service.answerer
    return modes
