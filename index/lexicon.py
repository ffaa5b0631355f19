"""The domain lexicon: everyday words → the official terms notices use (a data file)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policyqa.errors import DataError

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.json"
STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.txt"


@dataclass(frozen=True)
class Lexicon:
    """Query expansion terms, keyed by the everyday word (lower-cased for Latin script)."""

    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def expand(self, tokens: list[str], text: str) -> list[str]:
        """Official terms for the everyday words found in ``tokens`` or in the raw ``text``."""
        lowered = text.lower()
        found: list[str] = []
        for word, targets in self.terms.items():
            if word in tokens or word in lowered:
                found.extend(t for t in targets if t not in found)
        return found

    def words(self) -> list[str]:
        """Every word the lexicon knows, on both sides (for the tokenizer's dictionary)."""
        return sorted({*self.terms, *(t for targets in self.terms.values() for t in targets)})


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
