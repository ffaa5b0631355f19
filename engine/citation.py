"""How a clause is cited: the record an answer carries for it, the sentence that stands for it
when nothing narrower was chosen, and which of a sentence's deadlines is shown with it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from contract.answer import Citation, Unit
from corpus.document import Clause
from corpus.links import bigrams


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


def asked_deadline(sentence: str, deadlines: Sequence[str], question: str) -> str:
    """Of a sentence's deadlines, the one whose part of the sentence the question is about
    (2030年6月底前完成设计，2031年底前通过验收 and 哪年能通过验收: the second);
    the first when the question favours none."""
    if len(deadlines) < 2 or not question:
        return deadlines[0]
    wanted = bigrams(question)
    # The clause that asks (最晚哪天要验收) before a story sharing words with another part
    # (当初的设计方案改过 against 完成设计方案).
    asking = bigrams(next((c for c in reversed(re.split(r"[，,；;。]", question)) if c.strip()), ""))
    best, best_overlap = deadlines[0], (0, 0)
    for deadline in deadlines:
        at = sentence.find(deadline)
        if at < 0:
            continue
        start = max((sentence.rfind(p, 0, at) for p in "，,；;。"), default=-1) + 1
        ends = [e for p in "，,；;。" if (e := sentence.find(p, at)) >= 0]
        part = sentence[start: min(ends) if ends else len(sentence)].replace(deadline, "")
        said = bigrams(part)
        overlap = (len(asking & said), len(wanted & said))
        if overlap > best_overlap:
            best, best_overlap = deadline, overlap
    return best
