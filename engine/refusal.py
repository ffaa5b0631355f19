"""Refusal as a calibrated decision: the probability that the notices answer a question.

A small logistic regression over what retrieval saw — how close the best clause is, how far ahead
of the next, how much of the question the clause covers, whether it holds the kind of fact asked
for, how many of the question's words the corpus has never seen — fitted on questions the notices
answer and on questions they do not (``policyqa calibrate``). Its coefficients are data
(``data/refusal.json``), one set per embedding model, because similarities differ in scale from
one model to the next; an index built with a model that has no fitted set is refused, not
answered with someone else's coefficients.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from contract.errors import ConfigurationError, DataError

REFUSAL_FILE = Path(__file__).parent / "data" / "refusal.json"


@dataclass(frozen=True)
class Evidence:
    """What retrieval saw for one question."""

    similarity: float
    """Cosine similarity of the question and the best clause's closest vector."""
    margin: float
    """How far that similarity is ahead of the next clause's."""
    coverage: float
    """Share of the question's content words found in the clause, directly or as a lexicon term."""
    has_answer_type: bool
    """The clause holds the kind of fact asked for (a quantity for 多少, a date for 什么时候)."""
    unknown: float
    """Share of the question's content words that occur nowhere in the corpus."""
    latin: float
    """Share of the question's letters that are Latin (English questions meet Chinese text only
    on the dense side, at lower similarities)."""
    terms: int
    """Number of content words in the question."""
    rare_coverage: float
    """Like ``coverage``, each word weighted by its rarity in the corpus: the words that carry
    a question's topic count most."""
    asks_detail: bool
    """The question asks for an office detail notices do not hold (where, a phone number,
    opening hours, what to bring)."""
    lexical_rank: int
    """Rank of the best clause in the lexical (BM25) list; 0 when absent."""
    dense_rank: int
    """Rank of the best clause in the dense list; 0 when absent. When the two lists agree on
    the best clause, the question is likely about it."""
    other_year: bool = False
    """The question names a year that neither the clause nor its document mentions (2020年春节
    against a notice on the 2019 holidays)."""

    def features(self) -> dict[str, float]:
        """The model's inputs."""
        return {"similarity": self.similarity, "margin": self.margin, "coverage": self.coverage,
                "rare_coverage": self.rare_coverage,
                "answer_type": float(self.has_answer_type), "unknown": self.unknown,
                "latin": self.latin, "latin_similarity": self.latin * self.similarity,
                "few_terms": 1.0 / (1.0 + self.terms), "detail": float(self.asks_detail),
                "lexical_top": 1.0 / self.lexical_rank if self.lexical_rank else 0.0,
                "dense_top": 1.0 / self.dense_rank if self.dense_rank else 0.0,
                "other_year": float(self.other_year)}


FEATURES = tuple(Evidence(0, 0, 0, True, 0, 0, 0, 0, False, 0, 0).features())


@dataclass(frozen=True)
class RefusalModel:
    """Logistic regression over standardised features, with its operating point."""

    model_id: str
    weights: dict[str, float]
    bias: float
    mean: dict[str, float]
    scale: dict[str, float]
    threshold: float
    """Answer when the probability is at least this."""

    def probability(self, evidence: Evidence) -> float:
        """The probability that the notices answer the question."""
        x = evidence.features()
        z = self.bias + sum(self.weights[k] * (x[k] - self.mean[k]) / self.scale[k]
                            for k in self.weights)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def answers(self, evidence: Evidence) -> bool:
        """True when the question should be answered."""
        return self.probability(evidence) >= self.threshold


ANSWER_ALL = RefusalModel(model_id="", weights={}, bias=0.0, mean={}, scale={}, threshold=0.0)
"""Answers every question (while collecting evidence to fit the real model)."""


def fit(examples: Sequence[tuple[Evidence, bool]], model_id: str, *, l2: float = 0.1,
        max_false_refusals: float = 0.03) -> RefusalModel:
    """Fit the regression (Newton's method, L2-penalised) and choose the operating point.

    ``examples`` pairs each question's evidence with whether the notices answer it. The
    threshold is the highest that refuses at most ``max_false_refusals`` of the answerable
    questions, which makes refusal recall as high as that allows.
    """
    if not any(label for _, label in examples) or all(label for _, label in examples):
        raise DataError("fitting a refusal model needs both answerable and unanswerable questions")
    rows = np.array([[e.features()[k] for k in FEATURES] for e, _ in examples], dtype=np.float64)
    labels = np.array([1.0 if label else 0.0 for _, label in examples])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = np.hstack([np.ones((len(rows), 1)), (rows - mean) / scale])
    beta = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -60, 60)))
        gradient = x.T @ (p - labels) + penalty @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    model = RefusalModel(model_id=model_id,
                         weights={k: round(float(b), 6) for k, b in zip(FEATURES, beta[1:],
                                                                        strict=True)},
                         bias=round(float(beta[0]), 6),
                         mean={k: round(float(m), 6) for k, m in zip(FEATURES, mean, strict=True)},
                         scale={k: round(float(s), 6) for k, s in zip(FEATURES, scale,
                                                                      strict=True)},
                         threshold=0.5)
    positives = sorted(model.probability(e) for e, label in examples if label)
    allowed = math.floor(max_false_refusals * len(positives))
    threshold = positives[allowed] if allowed < len(positives) else positives[-1]
    return RefusalModel(**{**asdict(model), "threshold": round(threshold - 1e-6, 6)})


def curve(scored: Sequence[tuple[float, bool]], thresholds: Sequence[float]
          ) -> list[tuple[float, float, float, float]]:
    """(threshold, refusal precision, refusal recall, false refusals) at each threshold.

    ``scored`` pairs a question's probability with whether the notices answer it.
    """
    out = []
    for t in thresholds:
        refused = [(p < t, answerable) for p, answerable in scored]
        true_refusals = sum(r and not a for r, a in refused)
        refusals = sum(r for r, _ in refused)
        unanswerable = sum(not a for _, a in refused)
        answerable = sum(a for _, a in refused)
        out.append((t, true_refusals / refusals if refusals else 1.0,
                    true_refusals / unanswerable if unanswerable else 1.0,
                    sum(r and a for r, a in refused) / answerable if answerable else 0.0))
    return out


def load_refusal(model_id: str, path: Path = REFUSAL_FILE) -> RefusalModel:
    """The fitted model for the embedding model ``model_id``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: the refusal models are missing or invalid: {exc}") from exc
    entry = data.get("models", {}).get(model_id)
    if entry is None:
        raise ConfigurationError(
            f"no refusal model is fitted for the embedding model {model_id}; fit one with: "
            "policyqa calibrate")
    try:
        return RefusalModel(model_id=model_id, **entry)
    except TypeError as exc:
        raise DataError(f"{path}: the refusal model for {model_id} is invalid: {exc}") from exc


def save_refusal(model: RefusalModel, path: Path = REFUSAL_FILE) -> None:
    """Store ``model`` under its model id, keeping the others."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        data = {}
    entry = asdict(model)
    del entry["model_id"]
    data.setdefault("_comment", "Fitted by `policyqa calibrate`: a logistic regression per "
                                "embedding model (see policyqa/refusal.py).")
    data.setdefault("models", {})[model.model_id] = entry
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
