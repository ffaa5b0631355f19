"""List questions answered from clause metadata, not similarity: every task of a unit, every
task due by a deadline."""

from __future__ import annotations

from collections.abc import Sequence

from corpus.document import Clause
from engine.question import Question


def by_unit(clauses: Sequence[Clause], unit: str) -> list[Clause]:
    """Clauses the unit carries: those it leads first, then those it shares, in notice order."""
    leads = [c for c in clauses if any(u.name == unit and u.lead for u in c.units)]
    led = {id(c) for c in leads}  # by identity: comparing records field by field is slow
    shares = [c for c in clauses if id(c) not in led and any(u.name == unit for u in c.units)]
    return leads + shares


def by_deadline(clauses: Sequence[Clause], question: Question) -> list[Clause]:
    """Clauses due by the deadline the question names (as written, or by year)."""
    found: list[Clause] = []
    # 截至2030年, 2030年底前: a period ending in the year asked about is due by then too.
    year_end = not question.deadline or question.deadline.endswith(("年底前", "年底", "年前", "年"))
    for clause in clauses:
        for deadline in clause.deadlines:
            if question.deadline and deadline.text.lstrip("到至") == question.deadline.lstrip("到至"):
                found.append(clause)
                break
            if deadline.date and deadline.date.year in question.years and (
                    (not question.deadline and deadline.kind == "by")
                    or (year_end and deadline.kind == "period")):
                found.append(clause)
                break
    # Appendix rows state deadlines as data; the body clauses they summarise follow them.
    return sorted(found, key=lambda c: c.kind != "appendix_task")
