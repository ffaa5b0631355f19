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
# Characters that carry grammar, not a word's sense: a pair holding one is no mistyped word.
_FUNCTION = frozenset("不没别非未无的地得了着过吗呢吧啊呀嘛么是在有也都就还又再才要会能可让把被给对向从和与或及跟"
                      "我你您他她它们这那哪谁啥怎几多个只很太更最")


class Speller:
    """Corrects same-sounding characters against a vocabulary of corpus terms."""

    def __init__(self, vocabulary: Iterable[str], is_word: Callable[[str], bool],
                 cut: Callable[[str], list[str]],
                 known: Callable[[str], bool] | None = None) -> None:
        self._sounds: dict[str, str] = {}
        self._is_word = is_word
        self._cut = cut
        self._known = known
        self._homophones: dict[str, str] | None = None
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
        return self._pairs(self._runs(text))

    def _pairs(self, text: str) -> str:
        """A pair of lone characters that is no word (预侧) mended to the one word of the corpus
        and the dictionary that differs from it in one same-sounding character (预测). Pairs the
        tokenizer cut apart from their neighbours' words (网上/办) are never looked at."""
        if self._known is None:
            return text
        lone = self._lone(text)
        out = list(text)
        for i in sorted(lone):
            if i + 1 not in lone or i - 1 in lone or i + 2 in lone:
                continue  # not a pair of its own: 3 lone characters or more cut no clear pair
            pair = text[i:i + 2]
            if not _all_cjk(pair) or self._is_word(pair) or self._known(pair) \
                    or any(ch in _FUNCTION for ch in pair):
                continue  # 支不支持 is no typo of 支部
            fixes = {word for j in (0, 1) for ch in self._same_sound(pair[j])
                     if ch != pair[j]
                     and self._is_word(word := pair[:j] + ch + pair[j + 1:])
                     and self._known(word)}
            if len(fixes) == 1:
                out[i:i + 2] = fixes.pop()
        return "".join(out)

    def _same_sound(self, ch: str) -> str:
        """The characters sharing ``ch``'s toneless pinyin (its first reading)."""
        if self._homophones is None:
            from pypinyin.pinyin_dict import pinyin_dict

            groups: dict[str, list[str]] = defaultdict(list)
            for code, readings in pinyin_dict.items():
                if 0x4E00 <= code <= 0x9FFF:
                    groups[_toneless(readings.split(",")[0])].append(chr(code))
            self._homophones = {sound: "".join(chars) for sound, chars in groups.items()}
        return self._homophones.get(self._sound(ch)[0], "")

    def _runs(self, text: str) -> str:
        """Runs of three or four characters mended towards corpus terms."""
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


def _toneless(reading: str) -> str:
    """pypinyin's reading without its tone marks (cè → ce, lǜ → lv)."""
    import unicodedata

    plain = unicodedata.normalize("NFD", reading.replace("ü", "v"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


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
    corpus's and the lexicon's terms (and, given ``known``, the corpus's two-character words)."""

    def __init__(self, dictionary: Dictionary, lexicon_words: Iterable[str],
                 known: Callable[[str], bool] | None = None) -> None:
        self._dictionary = dictionary
        self._speller = Speller([*dictionary.words, *lexicon_words], dictionary.is_word,
                                dictionary.cut, known)

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
