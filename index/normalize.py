"""Question normalisation: traditional → simplified characters (OpenCC's data), full-width
ASCII → ASCII, and collapsed whitespace. Notices are in simplified Chinese."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Full-width letters and digits become ASCII; Chinese punctuation (，。？) is kept as it is.
_ASCII_ONLY = {k: v for k, v in _FULLWIDTH.items() if chr(v).isalnum()}
_SPACES = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=1)
def _converter() -> tuple[Any, frozenset[str] | None]:
    """OpenCC's t2s converter, and a character of each entry it changes (None when its tables
    are not laid out as read here: every text is then converted)."""
    from opencc import OpenCC

    converter = OpenCC("t2s")
    converter.convert("")  # loads the dictionaries
    try:
        marks = frozenset(_mark(key, value) for group in converter._dict_chain_data
                          for _, _, table in group for key, value in table.items()
                          if key and value != key)
    except (AttributeError, TypeError, ValueError):
        marks = None
    return converter, marks


def _mark(key: str, value: object) -> str:
    """A character that every occurrence of ``key`` brings along: one the conversion changes
    (its first where the two differ), so a text without any such mark converts to itself."""
    if isinstance(value, str) and len(value) == len(key):
        return next((k for k, v in zip(key, value, strict=True) if k != v), key[0])
    return key[0]


def normalize_question(text: str) -> str:
    """The question as the index sees it: simplified, half-width alphanumerics, single spaces."""
    text = _SPACES.sub(" ", text.translate(_ASCII_ONLY)).strip()
    converter, marks = _converter()
    # Most questions are simplified already; OpenCC's parse costs ~0.1 ms even then, and a
    # text holding no entry that changes (none of their marks) comes out unchanged.
    if marks is not None and marks.isdisjoint(text):
        return text
    return str(converter.convert(text))
