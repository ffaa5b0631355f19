"""Hybrid search with the fake encoder: ranking, filters, sentences, links, normalisation."""

from __future__ import annotations

import pytest

from corpus.document import Document
from index.embedded import in_force
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.search import Filters, HybridRetriever, ranked
from index.store import load_index
from index.tokenize import Tokenizer
from tests.conftest import build_fake


def ids(retriever: HybridRetriever, question: str, **kwargs: object) -> list[str]:
    return [h.clause.clause_id for h in retriever.search(question, k=5, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_modes_find_the_clause(fake_retriever: HybridRetriever, mode: str) -> None:
    assert ids(fake_retriever, "取消养老机构设立许可", mode=mode)[0] == "7.1"


def test_hits_carry_sentences_and_ranks(fake_retriever: HybridRetriever) -> None:
    (hit, *_) = fake_retriever.search("养老机构设立许可还要吗", k=3)
    assert hit.clause.clause_id == "7.1"
    assert "取消养老机构设立许可" in hit.clause.sentences[hit.sentences[0]].text
    assert set(hit.ranks) == {"bm25", "dense"}
    assert hit.ranks["bm25"] == 1
    assert hit.score > 0


def test_lexicon_expands_everyday_words(fake_retriever: HybridRetriever) -> None:
    terms = dict(fake_retriever.query("开养老院要许可吗").terms)
    assert terms["养老院"] == 1.0
    assert terms["养老机构"] == 0.5
    assert ids(fake_retriever, "开养老院要许可吗", mode="bm25")[0] == "7.1"


def test_traditional_characters(fake_retriever: HybridRetriever) -> None:
    assert ids(fake_retriever, "養老機構設立許可", mode="bm25")[0] == "7.1"


def test_filters(fake_retriever: HybridRetriever) -> None:
    by_unit = fake_retriever.search("许可", k=50, filters=Filters(unit="省卫健委"))
    assert by_unit and all("省卫健委" in {u.name for u in h.clause.units} for h in by_unit)
    by_deadline = fake_retriever.search("改革", k=50, filters=Filters(deadline="2022年底前"))
    assert by_deadline and all("2022年底前" in {d.text for d in h.clause.deadlines}
                               for h in by_deadline)
    assert fake_retriever.search("养老", k=5, filters=Filters(doc_id="other")) == []


def test_rows_and_clauses_support_each_other(fake_retriever: HybridRetriever) -> None:
    found = ids(fake_retriever, "诊所备案管理试点")
    assert "A6.1" in found[:2] and "7.1" in found[:3]


def test_nothing_matches(fake_retriever: HybridRetriever) -> None:
    assert fake_retriever.search("", k=5, mode="bm25") == []


def test_dictionary_keeps_policy_terms_whole(fake_retriever: HybridRetriever) -> None:
    tokenizer: Tokenizer = fake_retriever._index.tokenizer
    tokens = tokenizer.tokens("证照分离和跨省通办什么时候完成")
    assert "证照分离" in tokens and "跨省通办" in tokens
    assert "什么" not in tokens and "和" not in tokens
    assert "省民政厅" in tokenizer.tokens("省民政厅负责哪些任务")


# -- repealed notices ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def with_repealed(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> HybridRetriever:
    """The Fujian notice in force beside a repealed copy of it (another doc id, same text)."""
    old = fujian.model_copy(update={
        "doc_id": "fujian_old", "status": "废止",
        "clauses": tuple(c.model_copy(update={"doc_id": "fujian_old"}) for c in fujian.clauses)})
    folder = tmp_path_factory.mktemp("repealed")
    build_fake([old, fujian], folder)
    return HybridRetriever(load_index(folder, HashingEncoder(), load_stopwords()),
                           HashingEncoder(), load_lexicon())


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_repealed_clauses_are_never_hits(with_repealed: HybridRetriever, mode: str) -> None:
    hits = with_repealed.search("取消养老机构设立许可", k=20, mode=mode)  # type: ignore[arg-type]
    assert hits and {h.clause.doc_id for h in hits} == {"fujian_2021_fangguanfu"}
    assert hits[0].clause.clause_id == "7.1"
    # The repealed twin takes no rank, so the clause in force ranks first on each side.
    assert all(rank == 1 for rank in hits[0].ranks.values())
    filtered = with_repealed.search("养老", k=20, mode=mode,  # type: ignore[arg-type]
                                    filters=Filters(doc_id="fujian_old"))
    assert filtered == []


def test_repealed_clauses_only_when_asked_for(with_repealed: HybridRetriever) -> None:
    assert with_repealed.has_repealed
    both = with_repealed.search("取消养老机构设立许可", k=2, filters=Filters(repealed=True))
    assert {(h.clause.doc_id, h.clause.clause_id) for h in both} == {
        ("fujian_old", "7.1"), ("fujian_2021_fangguanfu", "7.1")}
    assert [with_repealed.in_force(h.clause) for h in both].count(False) == 1


def test_amended_notices_are_in_force(fake_retriever: HybridRetriever, fujian: Document) -> None:
    assert fujian.status == "现行" and not fake_retriever.has_repealed
    assert in_force(fujian.model_copy(update={"status": "已修订"}))
    assert not in_force(fujian.model_copy(update={"status": "废止"}))


def test_an_embedded_query_searches_alike(fake_retriever: HybridRetriever) -> None:
    query = fake_retriever.embedded("养老机构设立许可还要吗")
    assert query.vector is not None and fake_retriever.embedded(query) is query
    assert [(h.clause.clause_id, h.score) for h in fake_retriever.search(query, k=5)] == \
        [(h.clause.clause_id, h.score) for h in fake_retriever.search(query.text, k=5)]


def test_equal_fused_scores_go_to_the_clause_closer_in_meaning() -> None:
    # 1/(10+1) + 1/(10+2) on both: first on one side, second on the other.
    tied = 1 / 11 + 1 / 12
    scores = {3: tied, 7: 1 / 12 + 1 / 11, 9: 0.05}  # summed the other way round
    assert ranked(scores, {3: 0.90, 7: 0.93, 9: 0.99}, 3) == [7, 3, 9]
    assert ranked(scores, {}, 3) == [3, 7, 9]  # no dense side: the earlier clause
    assert ranked({1: 0.2, 2: 0.3}, {1: 0.99, 2: 0.1}, 1) == [2]  # a higher score still wins
