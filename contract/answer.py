"""The answer contract: what ``ask`` returns everywhere (library, CLI, API, bot, eval)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contract.errors import InputError

MAX_QUESTION = 500
"""A question's length limit in characters, after trimming (everywhere: API, bot, CLI, widget)."""

# The characters Python's str.strip() removes, written out so that the schema's ECMA regexes,
# Python's re and str.strip() agree (ECMA's \s differs from Python's whitespace).
_STRIPPED = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Characters that show nothing: controls and Unicode format characters (zero-width, bidi).
_INVISIBLE = r"\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
QUESTION_PATTERNS = (
    f"[^{_STRIPPED}{_INVISIBLE}]",  # something visible
    # at most MAX_QUESTION characters from the first to the last one str.strip() keeps
    f"^[{_STRIPPED}]*(?:[^{_STRIPPED}](?:[\\s\\S]{{0,{MAX_QUESTION - 2}}}[^{_STRIPPED}])?)?"
    f"[{_STRIPPED}]*$",
)
"""The question rule as regular expressions (for a published schema); :func:`checked_question`
applies the same rule."""
_VISIBLE = re.compile(QUESTION_PATTERNS[0])


def checked_question(text: str) -> str:
    """The question trimmed, or InputError when nothing visible is left or it is too long."""
    trimmed = text.strip()
    if not _VISIBLE.search(trimmed):
        raise InputError("the question is empty")
    if len(trimmed) > MAX_QUESTION:
        raise InputError(f"the question is longer than {MAX_QUESTION} characters")
    return trimmed

Status = Literal["answered", "not_found"]
Verdict = Literal["yes", "no"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Unit(_Model):
    """A responsible unit, normalised (省住建厅), and whether it leads the task."""

    name: str
    lead: bool = False


class Citation(_Model):
    """One clause an answer rests on, with the sentence(s) quoted verbatim."""

    doc_id: str
    clause_id: str
    label: str
    doc_title: str = Field(default="", description="The cited document's short title.")
    quote: str = Field(description="The sentence(s) the answer rests on, verbatim from the clause.")
    text: str = Field(description="The full clause text.")
    units: tuple[Unit, ...] = ()
    deadline: str | None = Field(
        default=None, description="The quoted sentence's deadline (or its appendix row's), as "
                                  "written, e.g. 2021年底前.")
    score: float = 0.0


class Answer(_Model):
    """A direct, cited answer to one question, or an honest ``not_found``."""

    question: str
    status: Status
    kind: str | None = Field(
        default=None, description="The kind of answer the question asked for: yesno, who, when, "
                                  "how_many, what, list_unit or list_deadline.")
    answer: str = Field(description="The composed answer, plain Chinese text.")
    verdict: Verdict | None = Field(
        default=None, description="The direct answer to a yes/no question as asked.")
    units: tuple[str, ...] = Field(
        default=(), description="Responsible units that matter for this answer, lead first.")
    deadline: str | None = None
    citations: tuple[Citation, ...] = Field(default=(), description="Best first.")
    confidence: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="The calibrated probability that the notices answer the question "
                    "(None for list answers, which come from clause data).")

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """The cited clause ids, best first."""
        return tuple(c.clause_id for c in self.citations)
