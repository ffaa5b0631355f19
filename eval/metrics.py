"""Pure metric functions over ranked citations, units, verdicts, deadlines and refusals."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_SPACE = re.compile(r"\s+")
# "到2025年" and "2025年" name the same deadline; the preposition is not part of it.
_LEADING_PREPOSITION = re.compile(r"^(?:截至|截止到?|到|至|从|自)")


def hit_at(ranked: Sequence[str], acceptable: Sequence[str], k: int) -> float:
    """1.0 when one of the first ``k`` ranked ids is acceptable, else 0.0."""
    return 1.0 if any(r in acceptable for r in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], acceptable: Sequence[str], k: int = 10) -> float:
    """1 / rank of the first acceptable id within the first ``k``; 0.0 when there is none."""
    for rank, clause_id in enumerate(ranked[:k], start=1):
        if clause_id in acceptable:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], acceptable: Sequence[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k: each acceptable id counts once; ideal ranks them all first."""
    if not acceptable:
        return 0.0
    seen: set[str] = set()
    dcg = 0.0
    for rank, clause_id in enumerate(ranked[:k], start=1):
        if clause_id in acceptable and clause_id not in seen:
            seen.add(clause_id)
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(set(acceptable)), k) + 1))
    return dcg / ideal


def unit_recall(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Share of the gold units the answer names (1.0 when gold names none)."""
    if not gold:
        return 1.0
    return len(set(predicted) & set(gold)) / len(set(gold))


def unit_precision(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Share of the named units that are gold units (1.0 when the answer names none)."""
    if not predicted:
        return 1.0 if not gold else 0.0
    return len(set(predicted) & set(gold)) / len(set(predicted))


def same_deadline(predicted: str | None, gold: str | None) -> bool:
    """Deadlines match when equal without whitespace or a leading 到/至/从."""
    if predicted is None or gold is None:
        return predicted is gold
    return _normal_deadline(predicted) == _normal_deadline(gold)


def _normal_deadline(text: str) -> str:
    return _LEADING_PREPOSITION.sub("", _SPACE.sub("", text))


def precision_recall(predicted: Sequence[bool], actual: Sequence[bool]) -> tuple[float, float]:
    """Precision and recall of boolean predictions (1.0 where the denominator is zero)."""
    true_pos = sum(p and a for p, a in zip(predicted, actual, strict=True))
    predicted_pos, actual_pos = sum(predicted), sum(actual)
    precision = true_pos / predicted_pos if predicted_pos else 1.0
    recall = true_pos / actual_pos if actual_pos else 1.0
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean; None when no question the metric applies to was asked."""
    return sum(values) / len(values) if values else None
