"""English words to the Chinese words the notices use, from CC-CEDICT read backwards."""

from __future__ import annotations

import pytest

from index.bilingual import Bilingual, load_bilingual, read_senses
from index.fake import HashingEncoder
from index.lexicon import load_lexicon
from index.search import HybridRetriever
from index.store import LoadedIndex

LINES = [
    "# a comment line",
    "醫院 医院 [yi1 yuan4] /hospital (medical)/",
    "統計 统计 [tong3 ji4] /statistics/to count/to add up/",
    "計算 计算 [ji4 suan4] /to count; to calculate/",
    "森林火災 森林火灾 [sen1 lin2 huo3 zai1] /forest fire/",
    "火 火 [huo3] /fire/",
    "森林 森林 [sen1 lin2] /forest/",
    "ABC ABC [A B C] /the alphabet/",
]


@pytest.fixture(scope="module")
def small() -> Bilingual:
    return Bilingual(read_senses(LINES), frozenset({"the", "does", "still"}), per_word=1)


def test_senses_are_read_backwards() -> None:
    senses = read_senses(LINES)
    assert senses["hospital"] == ("医院",)  # the note in brackets dropped
    assert senses["count"] == ("统计", "计算")  # "to " dropped, ";" splits, order kept
    assert senses["forest fire"] == ("森林火灾",)
    assert "the alphabet" not in senses  # no Chinese headword


def test_phrases_first_then_words_only_known_ones(small: Bilingual) -> None:
    everything = small.terms("Does the hospital still count every forest fire?", lambda w: True)
    assert everything == ["森林火灾", "医院", "统计"]  # "forest fire" taken whole, 火 never
    assert small.terms("counted", lambda w: w != "统计") == ["计算"]  # a known one
    assert small.terms("hospitals", lambda w: True) == ["医院"]  # a plural's stem
    assert small.terms("the does still", lambda w: True) == []


def test_english_questions_are_expanded_and_chinese_ones_are_not(two: LoadedIndex) -> None:
    retriever = HybridRetriever(two, HashingEncoder(), load_lexicon(), bilingual=load_bilingual())
    assert "医院" in retriever.query("Which hospitals take part?").expansions
    plain = HybridRetriever(two, HashingEncoder(), load_lexicon())
    assert retriever.query("医院参加吗").expansions == plain.query("医院参加吗").expansions
    added = set(retriever.query("What do hospitals and lotteries report?").expansions) - \
        set(plain.query("What do hospitals and lotteries report?").expansions)
    assert added and all(two.bm25.knows(t) for t in added)


def test_the_dictionary_is_read_once() -> None:
    first = load_bilingual()
    assert load_bilingual() is first
    assert len(first.senses) > 50_000 and first.per_word == 3


def test_a_phrase_is_looked_up_whole(small: Bilingual) -> None:
    assert small.phrase("Forest fire", lambda w: True) == ["森林火灾"]
    assert small.phrase("fire forest", lambda w: True) == []  # not word by word
    assert small.phrase("the forest", lambda w: True) == []  # a word carrying no topic
