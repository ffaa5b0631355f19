"""The records a notice is parsed into: Document, Clause, Sentence, Deadline (and Unit, which
the answer contract shares)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from contract.answer import Unit as Unit  # the one unit record, shared with answers

ClauseKind = Literal["preamble", "section", "clause", "item", "appendix_task", "article"]
Level = Literal["national", "provincial", "municipal"]
Status = Literal["现行", "废止", "已修订"]
"""In force, repealed (never cited as current) or amended (cited, with a note)."""
STATUSES: tuple[Status, ...] = ("现行", "废止", "已修订")
_NATIONAL = re.compile(r"^(国务院|中华人民共和国|中共中央|全国人民代表大会)")
_PROVINCE = re.compile(r"^(\w{2,3}?)(省|自治区)")
_CITY = re.compile(r"^(\w{2,4}?)市")
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
# Lines that describe the document rather than say anything: its number, dates, addressees,
# publication notes, the signature.
_METADATA = re.compile(
    r"^(?:(?:发布|成文|印发)日期|索引号|主题分类|发文机关|发文字号|标题|来源)[:：]"
    r"|^[（(]此件[^）)]*[）)]$"
    r"|^\S{0,12}〔\d{4}〕\d+号$"
    r"|^\d{4}年\d{1,2}月\d{1,2}日$"
    r"|^[^。；]*(?:人民政府|各部委|直属机构|各部门|管委会)[^。；]*[:：]$")
_SHORT = re.compile(r"关于(?:印发)?(.+?)的(?:通知|(?:指导|若干|实施)?意见|决定|批复|复函|函|通报|答复)$")
DeadlineKind = Literal["by", "from", "period", "within", "ongoing"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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

    def deadline_of(self, quote: str) -> Deadline | None:
        """The deadline that belongs to ``quote``: the one written in that sentence, or, for an
        appendix row (one task), the row's own. Never another sentence's."""
        if self.kind == "appendix_task":
            return self.deadline
        for sentence in self.sentences:
            if sentence.text in quote or quote in sentence.text:
                return sentence.deadlines[0] if sentence.deadlines else None
        return None

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
    """The URL or file name the notice was read from."""
    status: Status = "现行"
    attachments: tuple[str, ...] = ()
    closing: str = ""
    """Signature block after the last clause (issuer, date, 此件公开发布)."""
    clauses: tuple[Clause, ...] = ()

    @property
    def level(self) -> Level | None:
        """National, provincial or municipal, read from the issuer (or the title)."""
        origin = self.issuer or self.title
        if _NATIONAL.match(origin):
            return "national"
        if _PROVINCE.match(origin) or origin.startswith(_MUNICIPALITIES):
            return "provincial"
        return "municipal" if _CITY.match(origin) else None

    @property
    def region(self) -> str | None:
        """The province or city the document belongs to (福建, 厦门); None for national ones."""
        origin = self.issuer or self.title
        if self.level == "provincial":
            found = _PROVINCE.match(origin)
            return found.group(1) if found else origin[:2]
        if self.level == "municipal":
            found = _CITY.match(origin)
            return found.group(1) if found else None
        return None

    def is_metadata(self, sentence: str) -> bool:
        """True for a line about the document (文号, dates, addressees, 此件公开, the title or the
        issuer on a line of its own), which answers no question."""
        text = sentence.strip()
        if not text or _METADATA.search(text):
            return True
        return text in (self.issuer or "") or (len(text) >= 4 and text in self.title)

    @property
    def short_title(self) -> str:
        """What the document is about, without 关于印发…的通知 around it."""
        found = _SHORT.search(self.title)
        return found.group(1).strip("《》") if found else self.title

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; KeyError when there is none."""
        for clause in self.clauses:
            if clause.clause_id == clause_id:
                return clause
        raise KeyError(clause_id)


def clause_record(clause: Clause) -> dict[str, object]:
    """A clause as a JSON object (API, ``policyqa parse``), with its first deadline spelled out."""
    data: dict[str, object] = clause.model_dump(mode="json")
    data["deadline"] = clause.deadline.model_dump(mode="json") if clause.deadline else None
    return data
