"""The refusal model: fitting, the operating point, the curve, storage."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from contract.errors import ConfigurationError, DataError
from engine.refusal import Evidence, curve, fit, load_refusal, save_refusal

BASE = Evidence(similarity=0.85, margin=0.0, coverage=0.5, has_answer_type=True, unknown=0.2,
                latin=0.0, terms=4, rare_coverage=0.5, asks_detail=False, lexical_rank=1,
                dense_rank=1)


def _examples(n: int = 200) -> list[tuple[Evidence, bool]]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        answerable = i % 2 == 0
        shift = 0.05 if answerable else -0.05
        out.append((replace(BASE, similarity=0.86 + shift + rng.gauss(0, 0.02),
                            coverage=min(1, max(0, 0.5 + 4 * shift + rng.gauss(0, 0.1)))),
                    answerable))
    return out


def test_fit_separates_and_keeps_false_refusals_down() -> None:
    examples = _examples()
    model = fit(examples, "m", max_false_refusals=0.03)
    scored = [(model.probability(e), a) for e, a in examples]
    refused_answerable = sum(p < model.threshold and a for p, a in scored)
    assert refused_answerable <= 0.03 * 100
    assert model.weights["similarity"] > 0 and model.weights["coverage"] > 0
    assert model.probability(replace(BASE, similarity=0.95, coverage=0.9)) > \
        model.probability(replace(BASE, similarity=0.78, coverage=0.1))


def test_curve_trades_precision_for_recall() -> None:
    scored = [(0.9, True), (0.8, True), (0.3, False), (0.6, False), (0.2, True)]
    low, middle, high = curve(scored, [0.25, 0.5, 0.95])
    assert low == pytest.approx((0.25, 0.0, 0.0, 1 / 3))  # refuses only an answerable one
    assert middle == pytest.approx((0.5, 0.5, 0.5, 1 / 3))
    assert high == pytest.approx((0.95, 0.4, 1.0, 1.0))  # refusing everything finds them all


def test_fit_needs_both_kinds() -> None:
    with pytest.raises(DataError):
        fit([(BASE, True)] * 5, "m")


def test_models_are_stored_per_embedding_model(tmp_path: Path) -> None:
    path = tmp_path / "refusal.json"
    model = fit(_examples(), "model-a")
    save_refusal(model, path)
    save_refusal(replace(model, model_id="model-b", threshold=0.9), path)
    assert load_refusal("model-a", path) == model
    assert load_refusal("model-b", path).threshold == 0.9
    with pytest.raises(ConfigurationError, match="policyqa calibrate"):
        load_refusal("model-c", path)


def test_the_shipped_model_covers_the_default_embedding_model() -> None:
    model = load_refusal("multilingual-e5-small")
    assert 0 < model.threshold < 1 and set(model.weights) == set(BASE.features())
