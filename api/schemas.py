"""Request and response models of the HTTP API (the answer contract is policyqa.contract)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corpus.document import Clause

MAX_QUESTION = 500
# "Has a character that is neither whitespace nor a control character", written so that the
# schema's (ECMA) regex, pydantic's regex and Python's str.strip() agree: Python also strips
# \x1c-\x1f and \x85, which ECMA's \s does not match, and ECMA's \s matches \ufeff, which
# Python keeps.
QUESTION_PATTERN = r"[^\s\x00-\x1f\x7f\x85\ufeff]"


class AskRequest(BaseModel):
    """A question to answer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "养老机构还需要许可吗", "top_k": 3}]})

    question: str = Field(min_length=1, max_length=MAX_QUESTION, pattern=QUESTION_PATTERN,
                          description="1–500 characters after trimming.")
    top_k: int = Field(default=3, ge=1, le=20, description="Citations to return.")
    doc_id: str | None = Field(default=None, description="Answer from this document only.")

    @field_validator("question")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the question is empty")
        if len(value) > MAX_QUESTION:
            raise ValueError(f"the question is longer than {MAX_QUESTION} characters")
        return value


class SearchHit(BaseModel):
    """One ranked clause."""

    rank: int
    doc_id: str
    clause_id: str
    label: str
    score: float
    ranks: dict[str, int | None]
    sentences: list[str]


class DocumentSummary(BaseModel):
    """A document without its clause texts."""

    doc_id: str
    title: str
    number: str | None
    issuer: str | None
    published: str | None
    signed: str | None
    clauses: int


class UnitTasks(BaseModel):
    """A unit and the clauses it leads or shares."""

    name: str
    leads: list[str]
    shares: list[str]


class Suggestions(BaseModel):
    """Questions to offer as starters or after ``not_found``."""

    questions: list[str]


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str


def clause_view(clause: Clause) -> dict[str, object]:
    """A clause as the API shows it: the parsed record plus its first deadline spelled out."""
    data: dict[str, object] = clause.model_dump(mode="json")
    data["deadline"] = clause.deadline.model_dump(mode="json") if clause.deadline else None
    return data
