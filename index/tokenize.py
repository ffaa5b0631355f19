"""Chinese tokens for BM25: jieba with a user dictionary built from the corpus."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from corpus.document import Clause
from corpus.units import UnitAliases
from index.cities import load_cities

logger = logging.getLogger(__name__)

_QUOTED = re.compile(r"[“\"「《]([^”\"」》]{2,16})[”\"」》]")
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]+|\d+")
_MAX_TERM = 16


def dictionary_words(clauses: Iterable[Clause], aliases: UnitAliases,
                     extra: Iterable[str] = ()) -> list[str]:
    """Terms that must stay whole: unit names, headings, quoted terms (证照分离, 跨省通办)."""
    words: set[str] = set(extra)
    for clause in clauses:
        words.update(u.name for u in clause.units)
        words.update(clause.standing_units)
        if 2 <= len(clause.heading) <= _MAX_TERM:
            words.add(clause.heading)
        words.update(m.group(1) for m in _QUOTED.finditer(clause.text))
    for name in aliases.names():
        words.add(name)
        words.add("省" + name)
    return sorted(w for w in words if 2 <= len(w) <= _MAX_TERM and "\n" not in w)


class Tokenizer:
    """jieba in search mode over a private dictionary; drops stopwords and punctuation."""

    def __init__(self, words: Sequence[str], stopwords: frozenset[str]) -> None:
        import jieba

        self.words = list(words)
        self._stopwords = stopwords
        self._jieba = jieba.Tokenizer()
        previous = jieba.default_logger.level
        jieba.default_logger.setLevel(logging.WARNING)  # jieba logs its cache load at INFO
        try:
            self._jieba.initialize()
        finally:
            jieba.default_logger.setLevel(previous)
        for word in self.words:
            self._jieba.add_word(word, freq=2000)
        self._tagger: Any = None

    def is_word(self, text: str) -> bool:
        """True when the dictionary knows ``text`` as a word (号码, 骑马)."""
        return bool(self._jieba.FREQ.get(text))

    def cut(self, text: str) -> list[str]:
        """Plain segmentation (every character kept, no search-mode overlaps)."""
        return list(self._jieba.cut(text, HMM=False))

    def places(self, text: str) -> frozenset[str]:
        """Place names in ``text`` (福州, 厦门, 平潭), by jieba's part-of-speech tags and the
        list of cities."""
        if self._tagger is None:
            from jieba import posseg

            self._tagger = posseg.POSTokenizer(self._jieba)
        tagged = frozenset(pair.word for pair in self._tagger.cut(text, HMM=False)
                           if pair.flag.startswith("ns") and len(pair.word) >= 2)
        # A city the tagger took into a longer word is still named.
        return tagged | load_cities().found(text)

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens (whole terms and their parts), lower-cased, without stopwords."""
        out = []
        for token in self._jieba.cut_for_search(text):
            token = token.strip().lower()
            if token and _WORDLIKE.search(token) and token not in self._stopwords:
                out.append(token)
        return out
