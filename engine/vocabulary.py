"""Word classes read from a data file: question cue words, verdict signal words."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from contract.errors import DataError


@dataclass(frozen=True)
class Vocabulary:
    """Named classes of words (``{"relax": ("取消", …), …}``)."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def found(self, name: str, text: str) -> list[str]:
        """The words of class ``name`` that occur in ``text``, longest first."""
        return sorted((w for w in self.words.get(name, ()) if w in text), key=len, reverse=True)

    def has(self, name: str, text: str) -> bool:
        """True when a word of class ``name`` occurs in ``text``."""
        return any(w in text for w in self.words.get(name, ()))


def load_vocabulary(path: Path) -> Vocabulary:
    """Read word classes from JSON (keys starting with ``_`` are comments)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Vocabulary({k: tuple(v) for k, v in data.items() if not k.startswith("_")})
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise DataError(f"{path}: word list missing or invalid: {exc}") from exc
