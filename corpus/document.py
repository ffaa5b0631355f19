"""The records a notice is parsed into: Document, Clause, Sentence, Unit, Deadline."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

ClauseKind = Literal["preamble", "section", "clause", "item", "appendix_task", "article"]
DeadlineKind = Literal["by", "from", "period", "within", "ongoing"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Unit(_Record):
    """A responsible unit, normalised (省住建厅), and whether it leads the task."""

    name: str
    lead: bool = False


class Deadline(_Record):
    """A deadline as written (2021年底前) with the date it stands for, where there is one."""

    text: str
    kind: DeadlineKind
    date: dt.date | None = None


class Sentence(_Record):
    """One sentence of a clause with the deadlines written in it."""

    text: str
    deadlines: tuple[Deadline, ...] = ()


class Clause(_Record):
    """One numbered part of a notice: preamble, section, sub-clause, item, article or task row."""

    doc_id: str
    clause_id: str
    kind: ClauseKind
    number: str = ""
    """The numbering as written (``（一）``, ``1.``, ``第五条``, ``六-1``)."""
    label: str
    heading: str = ""
    section: str = ""
    """Title of the enclosing section, chapter or appendix group."""
    text: str
    sentences: tuple[Sentence, ...] = ()
    units: tuple[Unit, ...] = ()
    standing_units: tuple[str, ...] = ()
    """Units a standing rule of the notice adds to every later task (各设区市人民政府 …)."""
    notes: tuple[str, ...] = ()
    """Rules stated with the units (以下任务均需…落实，不再列出; 列第一位者为牵头单位，下同)."""
    deadlines: tuple[Deadline, ...] = ()
    links: tuple[str, ...] = ()
    """Clause ids of the appendix rows that summarise this clause, or of the body clause a row
    summarises."""

    @property
    def deadline(self) -> Deadline | None:
        """The clause's first deadline (an appendix row's 完成时限), if any."""
        return self.deadlines[0] if self.deadlines else None

    @property
    def lead_units(self) -> tuple[str, ...]:
        """Names of the lead units."""
        return tuple(unit.name for unit in self.units if unit.lead)


class Document(_Record):
    """A parsed notice: its metadata and its clauses in reading order."""

    doc_id: str
    title: str
    number: str | None = None
    """文号, e.g. 国发〔2018〕39号."""
    issuer: str | None = None
    published: dt.date | None = None
    signed: dt.date | None = None
    source: str = ""
    attachments: tuple[str, ...] = ()
    closing: str = ""
    """Signature block after the last clause (issuer, date, 此件公开发布)."""
    clauses: tuple[Clause, ...] = ()

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; KeyError when there is none."""
        for clause in self.clauses:
            if clause.clause_id == clause_id:
                return clause
        raise KeyError(clause_id)
