"""What retrieval saw for a question, gathered for the refusal model (:mod:`engine.refusal`):
how close and how far ahead the best clause is, how much of the question it covers, whether it
holds the kind of fact asked for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.question import Question
from engine.refusal import Evidence
from engine.term import supposes_term
from index.search import Hit, HybridRetriever

_DATED = re.compile(r"(?:19|20)\d\d年")


def gather(q: Question, best: Hit, others: Sequence[Hit], retriever: HybridRetriever, *,
           has_type: bool, title: str, asks_detail: bool) -> Evidence:
    """The evidence for ``q`` of the best hit against the ``others``; ``title`` is the best
    clause's notice's, ``asks_detail`` whether the question asks for an office detail."""
    clause = best.clause
    terms = q.query.own_terms if q.query else []
    text = clause.text + clause.label
    found = [t in text or any(e in text for e in retriever.expand([t], t))
             or _in_phrase(terms, i, text, retriever) for i, t in enumerate(terms)]
    coverage = sum(found) / len(terms) if terms else 0.0
    rarity = [retriever.idf(t) for t in terms]
    rare_coverage = sum(r for r, f in zip(rarity, found, strict=True) if f) / sum(rarity) \
        if terms else 0.0
    unknown = sum(1 for t in terms if not retriever.knows(t)) / len(terms) if terms else 1.0
    letters = [ch for ch in q.normalized if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii()) / len(letters) if letters else 0.0
    runner_up = max((h.similarity for h in others), default=best.similarity)
    return Evidence(similarity=best.similarity, margin=best.similarity - runner_up,
                    coverage=coverage, has_answer_type=has_type, unknown=unknown,
                    latin=latin, terms=len(terms), rare_coverage=rare_coverage,
                    # 有没有投诉热线: whether there is one, which a notice may say.
                    asks_detail=asks_detail and not (q.kind == "yesno" and q.polarity == "has"),
                    lexical_rank=best.ranks.get("bm25") or 0,
                    dense_rank=best.ranks.get("dense") or 0,
                    # 延长到2023年了吗 against 延长至2021年底: a premise to deny
                    other_year=any(str(year) not in text + title for year in q.years)
                    and not (q.kind == "yesno" and supposes_term(q.asking)
                             and _DATED.search(text) is not None))


def _in_phrase(terms: list[str], i: int, text: str, retriever: HybridRetriever) -> bool:
    """True when an English word is found as part of a phrase with its neighbour that the
    clause holds as a whole (annual inspection: 年检), which its own words miss."""
    return terms[i].isascii() and any(
        e in text for j in (i - 1, i + 1) if 0 <= j < len(terms) and terms[j].isascii()
        for e in retriever.translations(" ".join(terms[min(i, j): max(i, j) + 1])))
