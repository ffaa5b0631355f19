"""The embedded store: bounded top-k with the filters applied before ranking, the same as
ranking everything and filtering after, for flat and HNSW vectors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from corpus.document import Document
from corpus.units import load_aliases
from index.backend import Where, top
from index.bm25 import BM25Index
from index.embedded import EmbeddedBackend
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.search import HybridRetriever
from index.store import LoadedIndex, build_index, lexical_text, load_index


def brute_dense(index: LoadedIndex, vector: np.ndarray, where: Where) -> list[int]:
    assert index.vectors is not None
    sims = index.vectors.all() @ vector
    best: dict[int, float] = {}
    for (clause, _), sim in zip(index.vector_rows, sims.tolist(), strict=True):
        if admitted(index, clause, where):
            best[clause] = max(best.get(clause, -2.0), sim)
    return [c for c, _ in sorted(best.items(), key=lambda i: (-i[1], i[0]))]


def admitted(index: LoadedIndex, position: int, where: Where) -> bool:
    clause = index.clauses[position]
    document = next(d for d in index.documents if d.doc_id == clause.doc_id)
    return ((where.repealed or document.status != "废止")
            and (where.doc_id is None or clause.doc_id == where.doc_id)
            and (where.unit is None or where.unit in {u.name for u in clause.units})
            and (where.deadline is None or where.deadline in {d.text for d in clause.deadlines})
            and (where.region is None or document.region == where.region))


WHERES = [Where(), Where(repealed=True), Where(unit="省民政厅"), Where(deadline="2021年底前"),
          Where(region="福建"), Where(doc_id="fujian_2021_fangguanfu", unit="省市场监管局"),
          Where(unit="没有这个单位")]


@pytest.mark.parametrize("where", WHERES)
def test_dense_top_k_is_the_filtered_ranking(two: LoadedIndex, where: Where) -> None:
    backend = EmbeddedBackend(two)
    vector = HashingEncoder().encode(["养老机构设立许可"], "query")[0]
    expected = brute_dense(two, vector, where)
    for k in (1, 5, 40, 10_000):
        assert [c for c, _ in backend.dense(vector, k, where)] == expected[:k]


@pytest.mark.parametrize("where", WHERES)
def test_lexical_top_k_is_the_filtered_ranking(two: LoadedIndex, where: Where) -> None:
    backend = EmbeddedBackend(two)
    terms = [("许可", 1.0), ("养老", 1.0), ("企业", 0.5)]
    scores = two.bm25.scores(terms)
    expected = sorted((i for i in range(len(scores)) if scores[i] > 0 and admitted(two, i, where)),
                      key=lambda i: (-scores[i], i))
    for k in (1, 7, 10_000):
        assert [c for c, _ in backend.lexical(terms, k, where)] == expected[:k]


def test_hnsw_returns_k_clauses_and_a_narrow_filter_exactly(
        two: LoadedIndex, fujian: Document, govcn: dict[str, Document], tmp_path: Path) -> None:
    """HNSW gives k clauses; under a filter that admits few rows (one unit's clauses, a small
    document) its answer is the exact filtered ranking, not the few rows a graph walk held to
    them happens to reach."""
    other = next(iter(govcn.values())).model_copy(update={"status": "废止"})
    build_index([fujian, other], HashingEncoder(), tmp_path / "hnsw", aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=load_stopwords(), index_type="hnsw")
    index = load_index(tmp_path / "hnsw", HashingEncoder(), load_stopwords())
    backend = EmbeddedBackend(index)
    vector = HashingEncoder().encode(["营商环境"], "query")[0]
    assert len(backend.dense(vector, 60, Where())) == 60
    for where in (Where(unit="省民政厅"), Where(unit="省市场监管局"),
                  Where(doc_id=other.doc_id, repealed=True)):
        expected = brute_dense(index, vector, where)
        assert expected
        assert [c for c, _ in backend.dense(vector, 200, where)] == expected[:200]


def test_similarities_are_the_rows_cosines(two: LoadedIndex) -> None:
    backend = EmbeddedBackend(two)
    vector = HashingEncoder().encode(["养老"], "query")[0]
    sims = backend.similarities(vector, [3, 0, 3])
    assert list(sims) == [3, 0]
    assert two.vectors is not None
    everything = two.vectors.all() @ vector
    for row, (clause, sentence) in enumerate(two.vector_rows):
        if clause in sims:
            assert sims[clause][sentence] == pytest.approx(float(everything[row]), abs=1e-6)


def test_search_fuses_a_bounded_candidate_list(two: LoadedIndex) -> None:
    """However few candidates each side hands over, the best hit is the same, and a repealed
    notice is never cited unless asked for."""
    full = HybridRetriever(two, HashingEncoder(), load_lexicon(), candidates=10_000)
    bounded = HybridRetriever(two, HashingEncoder(), load_lexicon(), candidates=20)
    for question in ("取消养老机构设立许可", "省民政厅负责什么", "2021年底前完成哪些任务"):
        first = full.search(question, k=3)
        assert [h.clause.clause_id for h in bounded.search(question, k=1)] == \
            [first[0].clause.clause_id]
        assert all(h.clause.doc_id == "fujian_2021_fangguanfu" for h in first)


def test_ties_are_settled_by_position() -> None:
    scores = np.array([1.0, 2.0, 2.0, 0.0, 2.0])
    assert top(scores, None, 2) == [(1, 2.0), (2, 2.0)]
    assert top(scores, np.array([True, False, True, True, True]), 5, positive=True) == \
        [(2, 2.0), (4, 2.0), (0, 1.0)]


def test_bm25_from_postings_equals_lucene_bm25(two: LoadedIndex) -> None:
    """Reading each token's postings gives Lucene's BM25 (computed here the slow way, clause by
    clause), summed by weight; idf counts the clauses that have the token."""
    clauses = [two.tokenizer.tokens(lexical_text(c)) for c in two.clauses]
    lengths = np.array([len(t) for t in clauses], dtype=np.float64)
    assert two.bm25.avgdl == pytest.approx(lengths.mean())
    counts = [Counter(t) for t in clauses]
    vocabulary = sorted({t for c in counts for t in c})
    rng = np.random.default_rng(3)

    def idf(token: str) -> float:
        found = sum(1 for c in counts if token in c)
        return float(np.log(1 + (len(counts) - found + 0.5) / (found + 0.5)))

    for _ in range(30):
        terms = [(str(t), float(w)) for t, w in zip(
            rng.choice(vocabulary, size=6), rng.choice([1.0, 0.5], size=6), strict=True)]
        terms.append(("没有这个词", 1.0))
        expected = np.zeros(len(clauses))
        for token, weight in terms:
            for row, found in enumerate(counts):
                tf = found.get(token, 0)
                norm = 1.5 * (1 - 0.75 + 0.75 * lengths[row] / lengths.mean())
                expected[row] += weight * idf(token) * tf / (tf + norm)
        assert np.allclose(two.bm25.scores(terms), expected, rtol=1e-5, atol=1e-6)
    assert two.bm25.matchable() == sum(1 for c in counts if c)
    assert two.bm25.matchable() == sum(1 for w in two.bm25.parts() if w)
    for token in [*vocabulary[:200], "没有这个词", ""]:
        assert two.bm25.idf(token) == pytest.approx(idf(token), rel=1e-12)
        assert two.bm25.knows(token) == (token in vocabulary)


def test_bm25_parts_do_not_move_when_other_clauses_come(two: LoadedIndex) -> None:
    """With the average length kept, a clause's stored parts are the same in a corpus with
    more clauses: what lets a store edit one document in place."""
    clauses = [two.tokenizer.tokens(lexical_text(c)) for c in two.clauses]
    half = BM25Index.build(clauses[:40], avgdl=two.bm25.avgdl)
    assert half.parts() == two.bm25.parts()[:40]
    assert BM25Index.build(clauses[:40]).parts() != two.bm25.parts()[:40]  # its own average
