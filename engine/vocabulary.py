"""Word classes read from a data file: question cue words, verdict signal words."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contract.errors import DataError


@dataclass(frozen=True)
class Vocabulary:
    """Named classes of words (``{"relax": ("取消", …), …}``)."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def found(self, name: str, text: str) -> list[str]:
        """The words of class ``name`` that occur in ``text``, longest first."""
        return sorted((w for w in self.words.get(name, ()) if occurs(w, text)), key=len,
                      reverse=True)

    def has(self, name: str, text: str) -> bool:
        """True when a word of class ``name`` occurs in ``text``."""
        return any(occurs(w, text) for w in self.words.get(name, ()))


def occurs(word: str, text: str) -> bool:
    """True when ``word`` occurs in ``text``; an English word only as a word of its own, or
    inflected (need in needs, cancel in cancelled), never inside another (who in whole, app in
    apply, any in company)."""
    if word not in text:
        return False
    if not _latin_edge(word):
        return True
    return _whole_word(word).search(text) is not None


def _latin_edge(word: str) -> bool:
    return _latin(word[:1]) or _latin(word[-1:])


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


@lru_cache(maxsize=4096)
def _whole_word(word: str) -> re.Pattern[str]:
    before = r"(?<![a-z])" if _latin(word[0]) else ""
    after = r"(?:[a-z]?(?:ed|ing)|e?s|d)?(?![a-z])" if _latin(word[-1]) else ""
    return re.compile(before + re.escape(word) + after, re.IGNORECASE)


def load_vocabulary(path: Path) -> Vocabulary:
    """Read word classes from JSON (keys starting with ``_`` are comments)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Vocabulary({k: tuple(v) for k, v in data.items() if not k.startswith("_")})
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise DataError(f"{path}: word list missing or invalid: {exc}") from exc
