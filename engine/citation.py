"""How a clause is cited: the record an answer carries for it, and the sentence that stands for
it when nothing narrower was chosen."""

from __future__ import annotations

from contract.answer import Citation, Unit
from corpus.document import Clause


def cite(clause: Clause, quote: str, score: float, deadline: str | None,
         doc_title: str = "") -> Citation:
    """Cite ``clause`` with ``quote`` and the deadline that belongs to that quote."""
    return Citation(doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label,
                    doc_title=doc_title, quote=quote, text=clause.text,
                    units=tuple(Unit(name=u.name, lead=u.lead) for u in clause.units),
                    deadline=deadline, score=round(score, 6))


def bare_heading(clause: Clause, index: int) -> bool:
    """True when sentence ``index`` of ``clause`` only repeats the clause's heading."""
    return bool(clause.heading) and \
        clause.sentences[index].text.rstrip("。；;. ") == clause.heading


def substance(clause: Clause) -> str:
    """The clause's first sentence that says more than its heading (its text if none does)."""
    for index, sentence in enumerate(clause.sentences):
        if not bare_heading(clause, index):
            return sentence.text
    return clause.text
