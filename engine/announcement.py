"""A lead that announces what follows (…提出了以下意见：, 通知如下：) says nothing itself: of the
clauses under it, a close one answers first."""

from __future__ import annotations

from index.search import Hit

ITEM_MARGIN = 0.75
"""An item answers instead of its lead when it scores at least this share of the lead."""
_ANNOUNCES = ("：", ":")


def items_first(hits: list[Hit]) -> list[Hit]:
    """The closest item under the first hit moves before it when the first hit's own text ends
    announcing the items (大连市请求…。证监会提出了以下意见：, then 6.1, 6.2)."""
    if not hits or not hits[0].clause.text.rstrip().endswith(_ANNOUNCES):
        return hits
    lead = hits[0].clause
    under = next((h for h in hits[1:] if h.clause.doc_id == lead.doc_id
                  and h.clause.clause_id.startswith(lead.clause_id + ".")
                  and h.score >= ITEM_MARGIN * hits[0].score), None)
    if under is None:
        return hits
    return [under, *(h for h in hits if h is not under)]
