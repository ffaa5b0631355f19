"""The learned reordering of the first hits: its features, its fitting, its data file, and
the retriever applying it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.errors import DataError
from corpus.document import Clause, Sentence
from index.rerank import (
    DEPTH,
    FEATURES,
    RERANK_FILE,
    Reranker,
    features,
    fit,
    load_reranker,
    save_reranker,
)
from index.search import Hit

RARITY = {"诊所": 3.0, "备案": 2.0, "许可": 1.0}


def hit(clause_id: str, text: str, score: float, *, kind: str = "clause",
        ranks: tuple[int | None, int | None] = (None, None), similarity: float = 0.9) -> Hit:
    sentences = tuple(Sentence(text=s + "。") for s in text.split("。") if s)
    clause = Clause(doc_id="d", clause_id=clause_id, kind=kind,  # type: ignore[arg-type]
                    label=clause_id, text=text, sentences=sentences)
    return Hit(clause=clause, score=score, sentences=(0,),
               ranks={"bm25": ranks[0], "dense": ranks[1]}, similarity=similarity)


TERMS = (("诊所", 1.0), ("备案", 1.0), ("许可", 0.5))


def test_the_features_of_each_hit() -> None:
    hits = [hit("1", "推进诊所改革。加强监管。", 0.2, ranks=(1, 2), similarity=0.9),
            hit("2", "诊所实行备案管理。", 0.1, ranks=(3, None), similarity=0.85),
            hit("preamble", "现将有关事项通知如下。", 0.05, kind="preamble")]
    first, second, opening = features(hits, TERMS, RARITY.__getitem__)
    assert set(first) == set(FEATURES)
    assert first["fused"] == 1.0 and second["fused"] == 0.5
    assert first["lexical_top"] == 1.0 and second["dense_top"] == 0.0
    assert second["similarity_gap"] == pytest.approx(-0.05)
    # Rarer words weigh more: 诊所 (3) of 诊所 + 备案 (5).
    assert first["coverage"] == pytest.approx(0.6) and second["coverage"] == 1.0
    assert first["sentence_coverage"] == pytest.approx(0.6)
    assert first["expansion_coverage"] == 0.0  # 许可, the lexicon's term, is in neither
    assert opening["preamble"] == 1.0 and first["preamble"] == 0.0
    assert [r["position"] for r in (first, second, opening)] == [1.0, 0.5, pytest.approx(1 / 3)]


def weights(**named: float) -> Reranker:
    return Reranker(tuple(named.get(f, 0.0) for f in FEATURES))


def test_the_first_hits_are_reordered_and_the_rest_kept() -> None:
    hits = [hit("1", "推进诊所改革。", 0.2), hit("2", "诊所实行备案管理。", 0.1),
            *(hit(f"x{i}", "其他事项。", 0.05 - i / 1000) for i in range(DEPTH))]
    by_coverage = weights(coverage=1.0, fused=0.1)
    order = [h.clause.clause_id for h in by_coverage.rerank(hits, TERMS, RARITY.__getitem__)]
    assert order[:2] == ["2", "1"]
    assert order[DEPTH:] == ["x3", "x4"]  # beyond the depth: as fused
    by_score = weights(fused=1.0)
    assert by_score.rerank(hits, TERMS, RARITY.__getitem__) == hits
    assert by_coverage.rerank(hits[:1], TERMS, RARITY.__getitem__) == hits[:1]


def test_fitting_learns_what_tells_the_right_hit() -> None:
    # The right hit always holds the question's words; its fused place varies.
    questions = []
    for right_first in (True, False, False, True, False):
        good = {f: 0.0 for f in FEATURES} | {"coverage": 1.0, "fused": 0.8}
        bad = {f: 0.0 for f in FEATURES} | {"coverage": 0.2, "fused": 1.0}
        questions.append(([good, bad], [True, False]) if right_first else
                         ([bad, good], [False, True]))
    reranker = fit(questions)
    assert reranker.weights[FEATURES.index("coverage")] > 0
    assert all(right[reranker.order(rows)[0]] for rows, right in questions)
    with pytest.raises(DataError, match="right hit and a wrong one"):
        fit([([{f: 0.0 for f in FEATURES}], [True])])


def test_the_weights_are_data_per_model(tmp_path: Path) -> None:
    path = tmp_path / "rerank.json"
    path.write_text('{"models": {}}', encoding="utf-8")
    assert load_reranker("some-model", path) is None  # no weights: the fused order stands
    reranker = weights(coverage=2.0, fused=1.0)
    save_reranker("some-model", reranker, path)
    assert load_reranker("some-model", path) == reranker
    assert load_reranker("some-model+float16", path) == reranker  # other weights, same scale
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["models"]["some-model"]["coverage"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match="invalid"):
        load_reranker("some-model", path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(DataError, match="missing or invalid"):
        load_reranker("some-model", path)
    with pytest.raises(DataError, match="finite weights"):
        Reranker((1.0,))


def test_the_default_model_has_weights() -> None:
    reranker = load_reranker("multilingual-e5-small", RERANK_FILE)
    assert reranker is not None
    # What it learnt: holding the question's rarer words tells the right clause.
    assert reranker.weights[FEATURES.index("coverage")] > 0
    assert reranker.weights[FEATURES.index("preamble")] < 0


def test_one_word_gives_nothing_to_weigh() -> None:
    hits = [hit("1", "推进改革。", 0.2), hit("2", "诊所实行备案管理。", 0.1)]
    by_coverage = weights(coverage=1.0)
    assert by_coverage.rerank(hits, (("诊所", 1.0), ("养老院", 0.5)),
                              lambda t: RARITY.get(t, 1.0)) == hits
    assert by_coverage.rerank(hits, TERMS, RARITY.__getitem__)[0] is hits[1]
