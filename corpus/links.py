"""Links between appendix task rows and the body clauses they summarise.

Appendix groups follow the body's sections in order (group 一 ↔ section 二 in the Fujian notice,
because section 一 is the general part); the offset is learnt from the groups whose titles match
a section title, and inside a section a row goes to the clause whose text covers it best.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.text import is_cjk

_TITLE_MATCH = 0.6
_GLOBAL_MATCH = 0.5


@dataclass(frozen=True)
class LinkTarget:
    """A body clause as the linker sees it."""

    clause_id: str
    section_no: int | None
    section_title: str
    text: str


@dataclass(frozen=True)
class LinkSource:
    """An appendix row as the linker sees it."""

    clause_id: str
    group_no: int
    group_title: str
    text: str


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the CJK runs in ``text`` (kept for texts met again)."""
    return _bigrams(text)


@lru_cache(maxsize=8192)
def _bigrams(text: str) -> frozenset[str]:
    chars = "".join(c if is_cjk(c) else " " for c in text)
    return frozenset(chars[i: i + 2] for i in range(len(chars) - 1) if " " not in chars[i: i + 2])


def coverage(part: str, whole: str) -> float:
    """Share of ``part``'s bigrams found in ``whole``."""
    part_grams = bigrams(part)
    if not part_grams:
        return 0.0
    return len(part_grams & bigrams(whole)) / len(part_grams)


def link(rows: Sequence[LinkSource], body: Sequence[LinkTarget]) -> dict[str, str]:
    """Map each row's clause id to the body clause id it summarises (rows with no match omitted)."""
    sections = {t.section_no: t.section_title for t in body if t.section_no is not None}
    offsets: Counter[int] = Counter()
    for row in rows:
        for number, title in sections.items():
            if number is not None and title and coverage(row.group_title, title) >= _TITLE_MATCH:
                offsets[number - row.group_no] += 1
    offset = offsets.most_common(1)[0][0] if offsets else None

    result: dict[str, str] = {}
    for row in rows:
        candidates = [t for t in body if offset is not None
                      and t.section_no == row.group_no + offset]
        threshold = 0.0
        if not candidates:
            candidates, threshold = list(body), _GLOBAL_MATCH
        best = max(candidates, key=lambda t: coverage(row.text, t.text), default=None)
        if best is not None and coverage(row.text, best.text) >= threshold:
            result[row.clause_id] = best.clause_id
    return result
