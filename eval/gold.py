"""Gold questions: the data every answer is scored against (never read to decide an answer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from contract.errors import InputError

GOLD_DIR = Path(__file__).parent / "gold"
DEFAULT_GOLD = (GOLD_DIR / "fujian.jsonl",)


class GoldQuestion(BaseModel):
    """One gold question and what a correct answer must contain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    question: str
    clauses: tuple[str, ...]
    """Acceptable clause ids, any of which counts as correct; empty for out of scope."""
    units: tuple[str, ...] = ()
    verdict: Literal["yes", "no"] | None = None
    deadline: str | None = None
    kind: str
    doc_id: str | None = None
    split: Literal["tune", "test"] | None = None
    """For sets written outside the team: ``tune`` may guide development, ``test`` only measures."""
    persona: str | None = None
    style: str | None = None
    """How the question is written (everyday, long, typo, two, courtesy, english, official…)."""

    @property
    def in_scope(self) -> bool:
        """True when the notices answer the question."""
        return bool(self.clauses)


def load_gold(path: Path) -> list[GoldQuestion]:
    """Read a gold file (JSON lines); a malformed line is an InputError naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the gold file: {exc}") from exc
    questions: list[GoldQuestion] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            questions.append(GoldQuestion.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise InputError(f"{path}:{number}: invalid gold question: {exc}") from exc
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        raise InputError(f"{path}: gold question ids are not unique")
    if not questions:
        raise InputError(f"{path}: no gold questions")
    return questions
