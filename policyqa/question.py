"""Understanding a question: what kind of answer it wants, which units and deadlines it names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from corpus.units import UnitAliases
from index.normalize import normalize_question
from policyqa.vocabulary import Vocabulary, load_vocabulary

CUES_FILE = Path(__file__).parent / "data" / "question_cues.json"

_PLACE = re.compile(r"\w{1,6}?[省市区县]")  # a named place: 福建省, 厦门市 (not a bare 省)
QuestionKind = Literal["yesno", "who", "when", "how_many", "list_unit", "list_deadline", "what"]
Polarity = Literal["need", "can", "has"]
_YEAR = re.compile(r"(20\d{2})\s*年?")
_TRAILING = re.compile(r"[\s？?。！!，,、.]+$")
_LATIN = re.compile(r"[A-Za-z]")


Cues = Vocabulary
"""Cue words per answer kind."""


def load_cues(path: Path = CUES_FILE) -> Cues:
    """Read the question cue words."""
    return load_vocabulary(path)


@dataclass(frozen=True)
class Question:
    """A question as the engine understands it."""

    text: str
    normalized: str
    kind: QuestionKind
    polarity: Polarity | None = None
    units: tuple[str, ...] = ()
    deadline: str | None = None
    years: tuple[int, ...] = ()
    english: bool = False


def understand(text: str, cues: Cues, aliases: UnitAliases, known_units: Iterable[str],
               known_deadlines: Iterable[str]) -> Question:
    """Classify a question and pick out the units, deadlines and years it names."""
    normalized = normalize_question(text)
    lowered = normalized.lower()
    english = len(_LATIN.findall(normalized)) > len(normalized) / 2
    units = find_units(normalized, aliases, known_units)
    deadline = next((d for d in sorted(known_deadlines, key=len, reverse=True)
                     if len(d) >= 4 and d in normalized), None)
    years = tuple(int(y) for y in _YEAR.findall(normalized))
    stripped = _TRAILING.sub("", normalized)
    asks_list = bool(cues.found("list", lowered))
    kind: QuestionKind
    if asks_list and units and not cues.found("who", lowered):
        kind = "list_unit"
    elif asks_list and (deadline or years):
        kind = "list_deadline"
    elif cues.found("who", lowered):
        kind = "who"
    elif cues.found("when", lowered):
        kind = "when"
    elif cues.found("how_many", lowered):
        kind = "how_many"
    elif (_asks_yes_no(stripped, cues)
          or cues.found("yesno", lowered)
          or (english and lowered.startswith(tuple(cues.words.get("english_yesno", ()))))):
        kind = "yesno"
    else:
        kind = "what"
    polarity: Polarity | None = None
    if kind == "yesno":
        polarity = _polarity(lowered, cues)
    return Question(text=text, normalized=normalized, kind=kind, polarity=polarity, units=units,
                    deadline=deadline, years=years, english=english)


def _asks_yes_no(text: str, cues: Cues) -> bool:
    """Ends in a yes/no particle (吗, 么 — but not 什么/怎么, which ask for content)."""
    if text.endswith(("什么", "怎么", "为什么", "那么", "多么")):
        return False
    return text.endswith(tuple(cues.words.get("yesno_tail", ())))


def _polarity(text: str, cues: Cues) -> Polarity:
    """need (还需要…吗), can (能…吗) or has (有…吗): the cue that comes first decides."""
    positions: list[tuple[int, Polarity]] = []
    for name in ("need", "can"):
        for word in cues.found(name, text):
            positions.append((text.find(word), "need" if name == "need" else "can"))
    return min(positions)[1] if positions else "has"


def find_units(text: str, aliases: UnitAliases, known_units: Iterable[str]) -> tuple[str, ...]:
    """Units named in ``text``, canonical, by alias or by name (民政厅 → 省民政厅 when known)."""
    known = set(known_units)
    found: list[str] = []
    # Department names without their place as well (福建省税务局 → 税务局), so a citizen who
    # leaves the place out still names the unit.
    everything = {*known, *aliases.names()}
    bases = {u[m.end():] for u in known if (m := _PLACE.match(u)) and len(u) - m.end() >= 2}
    bases = {b for b in bases if aliases.is_department(b) and not any(
        n.endswith(b) and n != b and not _PLACE.fullmatch(n[: -len(b)]) for n in everything)}
    names = sorted(everything | bases, key=len, reverse=True)
    rest = text
    for name in names:
        if len(name) < 2 or name not in rest:
            continue
        canonical = aliases.canonical(name)
        candidates = [canonical, *(u for u in known if u.endswith(canonical) and len(u) - len(canonical) <= 1)]
        match = next((c for c in candidates if c in known), canonical if name in known else None)
        matches = [match] if match else []
        if not matches and aliases.is_department(canonical):
            # A department named without its place (税务局): every unit that is that department
            # of some place (福建省税务局, 厦门市税务局), in a stable order.
            matches = sorted(u for u in known if u.endswith(canonical)
                             and _PLACE.fullmatch(u[: -len(canonical)]))
        if matches:
            found.extend(m for m in matches if m not in found)
            rest = rest.replace(name, "\0")
    return tuple(found)
