"""Suggested questions drawn from the corpus itself: clause headings and the units that lead tasks.

The widget shows them as starters and after ``not_found``; the bot offers them as buttons. Each
candidate is asked once and kept only if the engine answers it, so a suggestion never leads to a
refusal.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from contract.answer import Answer
from contract.errors import DataError, PolicyQAError
from corpus.document import Clause

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data" / "suggestions.json"


@dataclass(frozen=True)
class Templates:
    """Question patterns with ``{heading}`` or ``{unit}`` slots."""

    heading: tuple[str, ...]
    unit: tuple[str, ...]


def load_templates(path: Path = DATA) -> Templates:
    """Read the suggestion templates (a JSON object of lists)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        templates = Templates(heading=tuple(data["heading"]), unit=tuple(data["unit"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: suggestion templates missing or invalid: {exc}") from exc
    if not all("{heading}" in t for t in templates.heading) or \
            not all("{unit}" in t for t in templates.unit):
        raise DataError(f"{path}: every template needs its {{heading}} or {{unit}} slot")
    return templates


def candidates(clauses: Sequence[Clause], templates: Templates, limit: int) -> list[str]:
    """Up to ``limit`` questions, alternating headings spread over the notice and leading units."""
    headed = [c for c in clauses if c.heading and c.kind in ("clause", "article", "item")]
    # Every n-th heading, so the starters cover the whole notice rather than its first section.
    step = max(1, len(headed) // max(1, limit))
    headings = [c.heading for c in headed[::step]]
    leads = Counter(u.name for c in clauses for u in c.units if u.lead)
    units = [name for name, _ in sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))]
    questions: list[str] = []
    for i in range(max(len(headings), len(units))):
        if i < len(headings) and templates.heading:
            questions.append(templates.heading[i % len(templates.heading)].format(
                heading=headings[i]))
        if i < len(units) and templates.unit:
            questions.append(templates.unit[i % len(templates.unit)].format(unit=units[i]))
    return list(dict.fromkeys(questions))[:limit]


class Asker(Protocol):
    """What suggestions need of the engine: answer one question."""

    def ask(self, question: str, top_k: int = ..., doc_id: str | None = ...) -> Answer:
        """Answer one question."""
        ...


def suggest(clauses: Sequence[Clause], answerer: Asker, templates: Templates,
            count: int = 4) -> tuple[str, ...]:
    """``count`` candidate questions that ``answerer`` answers (not ``not_found``)."""
    kept: list[str] = []
    for question in candidates(clauses, templates, limit=count * 3):
        try:
            answer = answerer.ask(question)
        except PolicyQAError as exc:
            logger.warning("suggestion %r not usable: %s", question, exc)
            continue
        if answer.status == "answered":
            kept.append(question)
        if len(kept) == count:
            break
    return tuple(kept)
