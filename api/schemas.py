"""Request and response models of the HTTP API (the answer contract is contract.answer)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contract.answer import MAX_QUESTION, QUESTION_PATTERNS, Answer, checked_question
from contract.errors import InputError
from corpus.document import Document
from index.search import Hit
from usage.record import MAX_COMMENT, Reason

# The question rule as the schema publishes it: both patterns must match (see
# contract.answer), so that what the schema allows is exactly what the service accepts.
QUESTION_SCHEMA: dict[str, Any] = {"allOf": [{"pattern": p} for p in QUESTION_PATTERNS]}
CONVERSATION_PATTERN = r"^[A-Za-z0-9._:-]{16,64}$"
"""A conversation id: an opaque token long enough that two clients never pick the same one
(the service makes uuid4 hex ones); a context is never shared between conversations."""


class AskRequest(BaseModel):
    """A question to answer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "养老机构还需要许可吗", "top_k": 3}]})

    question: str = Field(description="1–500 characters after trimming, something visible.",
                          json_schema_extra=QUESTION_SCHEMA)
    top_k: int = Field(default=3, ge=1, le=20, description="Citations to return.")
    doc_id: str | None = Field(default=None, description="Answer from this document only.")
    conversation_id: str | None = Field(
        default=None, pattern=CONVERSATION_PATTERN,
        description="The conversation this question belongs to: the conversation_id of a "
                    "previous response (or 16–64 letters, digits, '.', '_', ':' or '-' the "
                    "client chooses, random enough that nobody can guess them: whoever sends "
                    "an id continues that conversation). A question that only makes sense after the previous "
                    "answer (谁牵头, 什么时候完成, 那福州呢) is read against it; without one a "
                    "new conversation starts.")
    channel: Literal["api", "widget"] = Field(
        default="api", description="Where the question was asked, for the usage report: the "
                                   "web widget sends widget.")

    @field_validator("question")
    @classmethod
    def _checked(cls, value: str) -> str:
        try:
            return checked_question(value)
        except InputError as exc:
            raise ValueError(str(exc)) from None


class AskResponse(Answer):
    """An answer, with what a client needs to rate it and to ask a follow-up."""

    answer_id: str = Field(description="This answer's id (new for every answer).")
    conversation_id: str = Field(
        description="The request's conversation_id, or a new one when it had none: send it "
                    "with the next question to continue the conversation.")
    follow_up: bool = Field(
        description="The question was read as a follow-up of the conversation's previous "
                    "answer.")


ANSWER_ID_PATTERN = r"^[0-9a-f]{32}$"


class ThumbsUp(BaseModel):
    """👍: the answer helped."""

    model_config = ConfigDict(extra="forbid")

    answer_id: str = Field(pattern=ANSWER_ID_PATTERN,
                           description="The answer_id of the response being rated.")
    rating: Literal["up"]


class ThumbsDown(BaseModel):
    """👎, with an optional reason and comment."""

    model_config = ConfigDict(extra="forbid")

    answer_id: str = Field(pattern=ANSWER_ID_PATTERN,
                           description="The answer_id of the response being rated.")
    rating: Literal["down"]
    reason: Reason | None = Field(
        default=None, description="Why: off_topic (答非所问), outdated (条款过时), unclear (没说清楚) "
                                  "or other (其他, say what in comment).")
    comment: str | None = Field(default=None, max_length=MAX_COMMENT,
                                description="Free text, at most 500 characters.")

    @field_validator("comment")
    @classmethod
    def _visible(cls, comment: str | None) -> str | None:
        trimmed = comment.strip() if comment is not None else None
        return trimmed or None


FeedbackRequest = Annotated[ThumbsUp | ThumbsDown, Field(discriminator="rating")]
"""A rating of one answer: up, or down with a reason (only a down rating has one)."""


class SearchHit(BaseModel):
    """One ranked clause."""

    rank: int
    doc_id: str
    clause_id: str
    label: str
    score: float
    ranks: dict[str, int | None]
    sentences: list[str]

    @classmethod
    def of(cls, rank: int, hit: Hit) -> SearchHit:
        """A retrieval hit as the API shows it."""
        clause = hit.clause
        return cls(rank=rank, doc_id=clause.doc_id, clause_id=clause.clause_id,
                   label=clause.label, score=hit.score, ranks=dict(hit.ranks),
                   sentences=[clause.sentences[s].text for s in hit.sentences])


class DocumentSummary(BaseModel):
    """A document without its clause texts."""

    doc_id: str
    title: str
    number: str | None
    issuer: str | None
    published: str | None
    signed: str | None
    clauses: int
    level: str | None = None
    region: str | None = None

    @classmethod
    def of(cls, document: Document) -> DocumentSummary:
        """A document without its clauses."""
        return cls(doc_id=document.doc_id, title=document.title, number=document.number,
                   issuer=document.issuer,
                   published=str(document.published) if document.published else None,
                   signed=str(document.signed) if document.signed else None,
                   clauses=len(document.clauses), level=document.level, region=document.region)


class UnitTasks(BaseModel):
    """A unit and the clauses it leads or shares."""

    name: str
    leads: list[str]
    shares: list[str]


class Suggestions(BaseModel):
    """Questions to offer as starters or after ``not_found``."""

    questions: list[str]


class Limits(BaseModel):
    """The question rule, published so that clients need not copy it."""

    max_question: int = Field(default=MAX_QUESTION, description="Characters, after trimming.")
    patterns: list[str] = Field(default=list(QUESTION_PATTERNS),
                                description="Regular expressions a question must match.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
