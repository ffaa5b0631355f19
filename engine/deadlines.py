"""The corpus's deadlines as written, found in a question's words."""

from __future__ import annotations

from collections.abc import Iterable

# 按照上级要求落实 is asked as 按上级要求落实: the short forms of a deadline's wording.
_SHORT_FORMS = (("按照", "按"), ("依照", "依"), ("根据", "据"))


class KnownDeadlines:
    """The corpus's deadlines as written (2021年底前), found in a question by looking up the
    deadlines that start with each two characters of it: the work follows the question's
    length, not the number of deadlines in the corpus. The longest found wins (then the first
    in text order)."""

    def __init__(self, deadlines: Iterable[str]) -> None:
        # 按照上级要求落实 is asked as 按上级要求落实 too: the short form finds the written one.
        self._written = {d: d for d in deadlines if len(d) >= 4}
        for deadline in list(self._written):
            for long, short in _SHORT_FORMS:
                self._written.setdefault(deadline.replace(long, short), deadline)
        order = sorted(self._written, key=lambda d: (-len(d), d))
        self._rank = {d: i for i, d in enumerate(order)}
        self._by_head: dict[str, list[str]] = {}
        for deadline in order:
            self._by_head.setdefault(deadline[:2], []).append(deadline)

    def find(self, text: str) -> str | None:
        """The best known deadline written in ``text`` (as the corpus writes it), or None."""
        best: str | None = None
        for i in range(len(text) - 3):
            for deadline in self._by_head.get(text[i:i + 2], ()):
                if text.startswith(deadline, i) and (
                        best is None or self._rank[deadline] < self._rank[best]):
                    best = deadline
        return None if best is None else self._written[best]
