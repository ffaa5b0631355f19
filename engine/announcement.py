"""A lead that announces what follows (…提出了以下意见：, 通知如下：) says nothing itself: of the
clauses under it, a close one answers first. A notice's preamble (why it is issued, to whom,
现通知如下) is such a lead for the whole notice."""

from __future__ import annotations

from engine.question import Question
from index.search import Hit

ITEM_MARGIN = 0.75
"""An item answers instead of its lead when it scores at least this share of the lead."""
_ANNOUNCES = ("：", ":")
_WHICH = ("哪些", "哪几")


def items_first(q: Question, hits: list[Hit]) -> list[Hit]:
    """The closest item under the first hit moves before it when the first hit's own text ends
    announcing the items (大连市请求…。证监会提出了以下意见：, then 6.1, 6.2); not for a question
    asking for the items themselves (哪些, 哪几), which the lead gathers."""
    if not hits or not hits[0].clause.text.rstrip().endswith(_ANNOUNCES) \
            or q.kind.startswith("list") or any(w in q.asking for w in _WHICH):
        return hits
    lead = hits[0].clause
    under = next((h for h in hits[1:] if h.clause.doc_id == lead.doc_id
                  and h.clause.clause_id.startswith(lead.clause_id + ".")
                  and h.score >= ITEM_MARGIN * hits[0].score), None)
    if under is None:
        return hits
    return [under, *(h for h in hits if h is not under)]


def preamble_last(hits: list[Hit], about_notice: bool) -> list[Hit]:
    """When the preamble comes first, the closer of the next two hits that is a numbered clause
    of the same notice and scores at least ``ITEM_MARGIN`` of it answers instead (the preamble
    names the topic, the clause says what is done); not for a question about the notice
    itself (为什么出台, 目的是什么), which the preamble answers."""
    if about_notice or len(hits) < 2 or hits[0].clause.kind != "preamble":
        return hits
    lead = hits[0]
    clause = next((h for h in hits[1:3] if h.clause.doc_id == lead.clause.doc_id
                   and h.clause.kind != "preamble" and h.score >= ITEM_MARGIN * lead.score),
                  None)
    if clause is None:
        return hits
    return [clause, *(h for h in hits if h is not clause)]
