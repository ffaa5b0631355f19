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
def _converter() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def normalize_question(text: str) -> str:
    """The question as the index sees it: simplified, half-width alphanumerics, single spaces."""
    text = _SPACES.sub(" ", text.translate(_ASCII_ONLY)).strip()
    return str(_converter().convert(text))
