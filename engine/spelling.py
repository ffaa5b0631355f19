"""Phone typos: a character typed for another that sounds the same (营业执找 for 营业执照).

Pinyin input makes the wrong character of the right sound the commonest typo. A character is
replaced only where it sits in a run of three or four characters that is no word, next to a
character that forms no word with anything either (营业/执/找, not 网上/买), and the same-sounding
replacement turns the run into a term the corpus or the lexicon uses (营业执照, 施工许可证).
Two-character words are left alone: too many of them sound alike (上办/上班) for a correction to
be safe, and a correction can only bring a question closer to the notices' terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol

_CJK = range(0x4E00, 0xA000)
_LENGTHS = (4, 3)


class Speller:
    """Corrects same-sounding characters against a vocabulary of corpus terms."""

    def __init__(self, vocabulary: Iterable[str], is_word: Callable[[str], bool],
                 cut: Callable[[str], list[str]]) -> None:
        self._sounds: dict[str, str] = {}
        self._is_word = is_word
        self._cut = cut
        self._terms: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for word in vocabulary:
            if len(word) in _LENGTHS and _all_cjk(word):
                self._terms[self._sound(word)].add(word)

    def _sound(self, text: str) -> tuple[str, ...]:
        """The toneless pinyin of each character (people type pinyin without tones)."""
        missing = [ch for ch in text if ch not in self._sounds]
        if missing:
            from pypinyin import Style, lazy_pinyin

            for ch, sound in zip(missing, lazy_pinyin(missing, style=Style.NORMAL), strict=True):
                self._sounds[ch] = sound
        return tuple(self._sounds[ch] for ch in text)

    def correct(self, text: str) -> str:
        """``text`` with same-sounding typos inside corpus terms replaced."""
        out = text
        sounds = self._sound(text)
        # Cheap first: only a run that sounds like a term and is not written as one can be a
        # typo; most questions have none, and need no segmentation at all.
        if not any(sounds[i:i + n] in self._terms and text[i:i + n] not in self._terms[
                sounds[i:i + n]] for n in _LENGTHS for i in range(len(text) - n + 1)):
            return text
        lone = self._lone(text)
        for length in _LENGTHS:
            i = 0
            while i + length <= len(out):
                run = out[i:i + length]
                if _all_cjk(run) and not self._is_word(run):
                    fixes = [t for t in self._terms.get(self._sound(run), ())
                             if [j for j, (a, b) in enumerate(zip(t, run, strict=True)) if a != b]
                             in ([j] for j in range(length) if _stranded(lone, i + j))]
                    if len(fixes) == 1:  # one stranded character off, one way to mend it
                        out = out[:i] + fixes[0] + out[i + length:]
                        i += length
                        continue
                i += 1
        return out


    def _lone(self, text: str) -> set[int]:
        """Positions of characters the tokenizer leaves on their own."""
        lone, at = set(), 0
        for token in self._cut(text):
            if len(token) == 1 and _all_cjk(token):
                lone.add(at)
            at += len(token)
        return lone


def _stranded(lone: set[int], i: int) -> bool:
    """A lone character beside another lone one: together they make no word."""
    return i in lone and (i - 1 in lone or i + 1 in lone)


def _all_cjk(text: str) -> bool:
    return bool(text) and all(ord(ch) in _CJK for ch in text)


class Dictionary(Protocol):
    """The tokenizer's side of it (index.tokenize.Tokenizer)."""

    words: list[str]

    def is_word(self, text: str) -> bool:
        """True when ``text`` is a known word."""
        ...

    def cut(self, text: str) -> list[str]:
        """Plain segmentation."""
        ...

    def places(self, text: str) -> frozenset[str]:
        """Place names in ``text``."""
        ...


class CorpusWords:
    """What the engine knows of words: the index's dictionary, and typos mended towards the
    corpus's and the lexicon's terms."""

    def __init__(self, dictionary: Dictionary, lexicon_words: Iterable[str]) -> None:
        self._dictionary = dictionary
        self._speller = Speller([*dictionary.words, *lexicon_words], dictionary.is_word,
                                dictionary.cut)

    def is_word(self, text: str) -> bool:
        """True when ``text`` is a known word."""
        return self._dictionary.is_word(text)

    def places(self, text: str) -> frozenset[str]:
        """Place names in ``text``."""
        return self._dictionary.places(text)

    def correct(self, text: str) -> str:
        """``text`` with same-sounding typos mended."""
        return self._speller.correct(text)

    def cut(self, text: str) -> list[str]:
        """Plain segmentation with the index's dictionary."""
        return self._dictionary.cut(text)
