"""The answer contract: what ``ask`` returns everywhere (library, CLI, API, bot, eval)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from corpus.document import Clause

Status = Literal["answered", "not_found"]
Verdict = Literal["yes", "no"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CitedUnit(_Model):
    """A responsible unit as cited: its name and whether it leads."""

    name: str
    lead: bool = False


class Citation(_Model):
    """One clause an answer rests on, with the sentence(s) quoted verbatim."""

    doc_id: str
    clause_id: str
    label: str
    quote: str = Field(description="The sentence(s) the answer rests on, verbatim from the clause.")
    text: str = Field(description="The full clause text.")
    units: tuple[CitedUnit, ...] = ()
    deadline: str | None = Field(default=None, description="As written, e.g. 2021年底前.")
    score: float = 0.0

    @classmethod
    def of(cls, clause: Clause, quote: str, score: float, deadline: str | None = None) -> Citation:
        """Cite ``clause`` with ``quote``; the deadline defaults to the clause's own."""
        if deadline is None and clause.deadline:
            deadline = clause.deadline.text
        return cls(doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label,
                   quote=quote, text=clause.text,
                   units=tuple(CitedUnit(name=u.name, lead=u.lead) for u in clause.units),
                   deadline=deadline, score=round(score, 6))


class Answer(_Model):
    """A direct, cited answer to one question, or an honest ``not_found``."""

    question: str
    status: Status
    answer: str = Field(description="The composed answer, plain Chinese text.")
    verdict: Verdict | None = Field(
        default=None, description="The direct answer to a yes/no question as asked.")
    units: tuple[str, ...] = Field(
        default=(), description="Responsible units that matter for this answer, lead first.")
    deadline: str | None = None
    citations: tuple[Citation, ...] = Field(default=(), description="Best first.")

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """The cited clause ids, best first."""
        return tuple(c.clause_id for c in self.citations)
