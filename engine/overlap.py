"""Word-for-word overlap: a phrase of the question that a clause says as written is surer
evidence of what the question is about than a few words spread over the clause (能否向村民收取
管理费 against 不得向村民收取管理费)."""

from __future__ import annotations

import re

from engine.question import Question
from index.search import Hit

# Of the first HITS hits, one scoring at least SCORE of the best and sharing at least MIN
# characters of the question word for word (places and the deadline aside), GAP more than the
# first hit, answers instead (fitted on tune halves).
HITS, MIN, GAP, SCORE = 3, 6, 3, 0.6
_A_NOT_A = re.compile(r"([\u4e00-\u9fff]{2}|[\u4e00-\u9fff])不\1")
"""享不享受, 同意不同意: the verb as the notice writes it (享受, 同意)."""


def verbatim_first(q: Question, hits: list[Hit]) -> list[Hit]:
    """A close hit that shares a clearly longer stretch of the question word for word
    (能否向村民收取管理费 against 不得向村民收取管理费) moves first: a phrase the notice uses
    is surer evidence than a few words spread about. Place names and the deadline asked about
    do not count (在福州, 2022年底前 say nothing of the topic)."""
    asked = _A_NOT_A.sub(r"\1", q.normalized)
    for word in (*q.places, q.deadline or ""):
        asked = asked.replace(word, "\0") if word else asked
    shared = [longest_shared(asked, h.clause.text) for h in hits[:HITS]]
    best = max(range(len(shared)), key=lambda i: (shared[i], -i), default=0)
    if best == 0 or shared[best] < MIN or shared[best] < shared[0] + GAP \
            or hits[best].score < SCORE * hits[0].score:
        return hits
    return [hits[best], *hits[:best], *hits[best + 1:]]


def longest_shared(question: str, text: str) -> int:
    """The length of the longest stretch of ``question`` found word for word in ``text``
    (substring tests, each a C-level search, only ever trying to beat the best so far)."""
    best = 0
    for start in range(len(question)):
        while start + best < len(question) and question[start:start + best + 1] in text:
            best += 1
    return best
