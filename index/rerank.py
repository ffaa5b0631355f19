"""A learned reordering of the closest clauses: fusion ranks by where each side put a clause,
which leaves open which of a few close clauses actually holds the question's words, and how
many of them in one sentence. A linear score over what is known of each of the first
:data:`DEPTH` hits — fused score, each side's rank, closeness in meaning, how much of the
question's rarer words the clause and its best sentence hold, length, whether it is a preamble —
puts them in order.

The weights are data (``data/rerank.json``), fitted by ``policyqa calibrate --rerank`` on the
tune halves of the question sets (pairs of a right and a wrong hit of one question, a logistic
regression on their differences). They are per embedding model, because similarities differ in
scale from one model to the next; a model without weights keeps the fused order (logged).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from contract.errors import DataError
from index.regression import fit_logistic
from index.store import lexical_text

if TYPE_CHECKING:
    from index.search import Hit

logger = logging.getLogger(__name__)

RERANK_FILE = Path(__file__).parent / "data" / "rerank.json"
DEPTH = 5
"""Hits reordered: the right clause is among the first five for most questions that miss it
first, and further down the fused order says more than these features do."""
FEATURES = ("fused", "lexical_top", "dense_top", "similarity_gap", "coverage",
            "sentence_coverage", "expansion_coverage", "length", "preamble", "position")
MIN_TERMS = 2
"""Words of its own a question needs for its hits to be reordered (see :func:`weighs`)."""
_LENGTH_SCALE = 7.0  # log(1 + characters) of a long clause, to keep the feature near 0…1


@dataclass(frozen=True)
class Reranker:
    """Weights over :data:`FEATURES`; a hit's score is their weighted sum."""

    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES) or not all(map(math.isfinite, self.weights)):
            raise DataError(f"a reranker needs {len(FEATURES)} finite weights, "
                            f"not {self.weights!r}")

    def rerank(self, hits: Sequence[Hit], terms: Sequence[tuple[str, float]],
               idf: Callable[[str], float]) -> list[Hit]:
        """The first :data:`DEPTH` hits in the learned order, the rest after them."""
        head = list(hits[:DEPTH])
        if len(head) < 2 or not weighs(terms):
            return list(hits)
        return [head[i] for i in self.order(features(head, terms, idf))] + list(hits[DEPTH:])

    def order(self, rows: Sequence[Mapping[str, float]]) -> list[int]:
        """Positions of the feature ``rows`` best first (ties in their given order)."""
        scores = [sum(w * row[f] for w, f in zip(self.weights, FEATURES, strict=True))
                  for row in rows]
        return sorted(range(len(rows)), key=lambda i: (-round(scores[i], 12), i))


def _own(terms: Sequence[tuple[str, float]]) -> list[str]:
    """The question's own words (not the lexicon's terms for them), once each."""
    return list(dict.fromkeys(t for t, w in terms if w == 1.0 and len(t) > 1))


def weighs(terms: Sequence[tuple[str, float]]) -> bool:
    """True when the question has words enough to weigh hits by (two of its own or more): a
    one-word question (test, 养老) holds nothing to tell close hits apart that fusion did not
    already see, and fitted on sentences, the weights would make any clause holding that one
    word a full match."""
    return len(_own(terms)) >= MIN_TERMS


def features(hits: Sequence[Hit], terms: Sequence[tuple[str, float]],
             idf: Callable[[str], float]) -> list[dict[str, float]]:
    """What the reranker weighs of each hit, in fused order. ``terms`` are the query's weighted
    tokens: its own words (weight 1) and the lexicon's terms for them (less); ``idf`` says how
    rare a word is in the corpus."""
    own = _own(terms)
    expanded = list(dict.fromkeys(t for t, w in terms if w != 1.0 and len(t) > 1))
    rarity = {t: idf(t) for t in own + expanded}
    total = sum(rarity[t] for t in own) or 1.0
    expanded_total = sum(rarity[t] for t in expanded) or 1.0

    def share(text: str, words: Sequence[str], of: float) -> float:
        return sum(rarity[t] for t in words if t in text) / of

    best, closest = hits[0].score or 1.0, hits[0].similarity
    rows = []
    for position, hit in enumerate(hits):
        clause = hit.clause
        text = lexical_text(clause)  # what BM25 read: the units too, named apart in a row
        lexical, dense = hit.ranks.get("bm25"), hit.ranks.get("dense")
        rows.append({
            "fused": hit.score / best,
            "lexical_top": 1.0 / lexical if lexical else 0.0,
            "dense_top": 1.0 / dense if dense else 0.0,
            "similarity_gap": hit.similarity - closest,
            "coverage": share(text, own, total),
            "sentence_coverage": max((share(s.text, own, total) for s in clause.sentences),
                                     default=0.0),
            "expansion_coverage": share(text, expanded, expanded_total)
            if expanded else 0.0,
            "length": math.log1p(len(clause.text)) / _LENGTH_SCALE,
            "preamble": float(clause.kind == "preamble"),
            "position": 1.0 / (1 + position),
        })
    return rows


def fit(questions: Sequence[tuple[Sequence[dict[str, float]], Sequence[bool]]],
        l2: float = 1.0) -> Reranker:
    """Weights from questions' hits (feature rows in fused order) and which hits are right:
    a logistic regression on the differences between a right and a wrong hit of the same
    question, both ways round (Newton's method, L2-penalised)."""
    pairs = []
    for rows, right in questions:
        for i, good in enumerate(right):
            if good:
                pairs += [[rows[i][f] - rows[j][f] for f in FEATURES]
                          for j, bad in enumerate(right) if not bad]
    if not pairs:
        raise DataError("fitting the reranker needs questions with a right hit and a wrong one "
                        "among their first hits")
    half = np.array(pairs, dtype=np.float64)
    x = np.vstack([half, -half])
    labels = np.r_[np.ones(len(half)), np.zeros(len(half))]
    beta = fit_logistic(x, labels, l2)
    return Reranker(tuple(round(float(b), 6) for b in beta))


def load_reranker(model_id: str, path: Path = RERANK_FILE) -> Reranker | None:
    """The weights fitted for the embedding model ``model_id`` (its float16 or int8 weights
    share them); None, logged, when it has none."""
    try:
        models = json.loads(path.read_text(encoding="utf-8"))["models"]
        entry = models.get(model_id, models.get(model_id.split("+")[0]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: the reranking weights are missing or invalid: {exc}") from exc
    if entry is None:
        logger.info("no reranking weights for %s: the fused order stands", model_id)
        return None
    try:
        return Reranker(tuple(float(entry[f]) for f in FEATURES))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: the reranking weights for {model_id} are invalid: "
                        f"{exc}") from exc


def save_reranker(model_id: str, reranker: Reranker, path: Path = RERANK_FILE) -> None:
    """Store the weights under ``model_id``, keeping the other models'."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        data = {}
    data.setdefault("_comment", "Fitted by `policyqa calibrate --rerank`: per embedding model, "
                                "the weights of the features that reorder the first hits "
                                "(see index/rerank.py).")
    data.setdefault("models", {})[model_id] = dict(zip(FEATURES, reranker.weights, strict=True))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
