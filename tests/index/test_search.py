"""Hybrid search with the fake encoder: ranking, filters, sentences, links, normalisation."""

from __future__ import annotations

import pytest

from index.search import Filters, HybridRetriever
from index.tokenize import Tokenizer


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
