"""Request and response models of the HTTP API (the answer contract is policyqa.contract)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corpus.document import Clause
from policyqa.contract import QUESTION_PATTERNS, checked_question
from policyqa.errors import InputError

# The question rule as the schema publishes it: both patterns must match (see
# policyqa.contract), so that what the schema allows is exactly what the service accepts.
QUESTION_SCHEMA: dict[str, Any] = {"allOf": [{"pattern": p} for p in QUESTION_PATTERNS]}


class AskRequest(BaseModel):
    """A question to answer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "养老机构还需要许可吗", "top_k": 3}]})

    question: str = Field(description="1–500 characters after trimming, something visible.",
                          json_schema_extra=QUESTION_SCHEMA)
    top_k: int = Field(default=3, ge=1, le=20, description="Citations to return.")
    doc_id: str | None = Field(default=None, description="Answer from this document only.")

    @field_validator("question")
    @classmethod
    def _checked(cls, value: str) -> str:
        try:
            return checked_question(value)
        except InputError as exc:
            raise ValueError(str(exc)) from None


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
