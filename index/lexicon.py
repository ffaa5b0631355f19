"""The domain lexicon: everyday words → the official terms notices use (a data file)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contract.errors import DataError

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.json"
STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.txt"
_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Query expansion terms, keyed by the everyday word (lower-cased for Latin script)."""

    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _gapped: dict[str, re.Pattern[str]] = field(default_factory=dict, init=False, repr=False,
                                               compare=False)
    _by_first: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)
    """Positions (in ``terms``) of the keys that are not ASCII, by their first character: a
    key can only match a text that has its first character (tokens are pieces of the text)."""
    _ascii: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _items: list[tuple[str, tuple[str, ...]]] = field(default_factory=list, init=False,
                                                      repr=False, compare=False)

    def __post_init__(self) -> None:
        # Citizens slip a word into a phrase (网上开小店, 开个网店): a Chinese key of three or
        # more characters also matches with one Chinese character inserted anywhere inside it.
        # An English key matches whole words only (fine is not in define).
        self._items.extend(self.terms.items())
        for position, word in enumerate(self.terms):
            if word and not word.isascii():
                self._by_first.setdefault(word[0], []).append(position)
            else:
                self._ascii.append(position)
        for word in self.terms:
            if len(word) >= 3 and all(_CJK.fullmatch(ch) for ch in word):
                variants = [word[:i] + _CJK.pattern + word[i:] for i in range(1, len(word))]
                self._gapped[word] = re.compile("|".join(variants))
            elif word.isascii():
                self._gapped[word] = re.compile(rf"\b{re.escape(word)}s?\b")

    def expand(self, tokens: list[str], text: str) -> list[str]:
        """Official terms for the everyday words found in ``tokens`` or in the raw ``text``."""
        return list(self._expand(tuple(tokens), text))

    @lru_cache(maxsize=1024)  # noqa: B019 - the lexicon lives as long as the process
    def _expand(self, tokens: tuple[str, ...], text: str) -> tuple[str, ...]:
        lowered = text.lower()
        latin = any("a" <= ch <= "z" for ch in lowered)
        found: list[str] = []
        present = set(lowered) | {t[0] for t in tokens if t}
        candidates = {p for ch in present for p in self._by_first.get(ch, ())}
        if latin or any(t.isascii() for t in tokens):
            candidates.update(self._ascii)
        for position in sorted(candidates):
            word, targets = self._items[position]
            if word in tokens:
                matched = True
            elif word.isascii():
                pattern = self._gapped.get(word)
                matched = latin and bool(pattern and pattern.search(lowered))
            elif word in lowered:
                matched = True
            else:  # a gapped match needs the key's first and last characters, a cheap test first
                pattern = self._gapped.get(word)
                matched = bool(pattern) and word[0] in lowered and word[-1] in lowered \
                    and bool(pattern and pattern.search(lowered))
            if matched:
                found.extend(t for t in targets if t not in found)
        return tuple(found)

    def words(self) -> list[str]:
        """Every word the lexicon knows, on both sides (for the tokenizer's dictionary); English
        phrases are left to the tokenizer's own splitting."""
        return sorted(w for w in {*self.terms, *(t for ts in self.terms.values() for t in ts)}
                      if " " not in w)


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read the lexicon data file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        terms = {str(k).lower(): tuple(str(t) for t in v) for k, v in data["terms"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: the lexicon is missing or invalid: {exc}") from exc
    return Lexicon(terms=terms)


def load_stopwords(path: Path = STOPWORDS_FILE) -> frozenset[str]:
    """Read the stopword list (one word per line)."""
    try:
        return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())
    except OSError as exc:
        raise DataError(f"{path}: the stopword list is missing: {exc}") from exc
