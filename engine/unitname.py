"""Units a question names: by alias, by full name, or by a department name without its place
(税务局 for every 税务局 of a place the corpus knows)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from corpus.units import UnitAliases

_PLACE = re.compile(r"\w{1,6}?[省市区县]")  # a named place: 福建省, 厦门市 (not a bare 省)


def find_units(text: str, aliases: UnitAliases, known_units: Iterable[str]) -> tuple[str, ...]:
    """Units named in ``text``, canonical, by alias or by name (民政厅 → 省民政厅 when known)."""
    known = frozenset(known_units)  # the same object when given one (its hash is kept)
    found: list[str] = []
    names, by_start = _unit_names(aliases, known)
    # Only names that begin with two characters the text has can be in it: with thousands of
    # units (many notices) this keeps the look-up to a handful of names, longest first.
    starts = {text[i:i + 2] for i in range(len(text) - 1)}
    rest = text
    for position in sorted({p for start in starts for p in by_start.get(start, ())}):
        name = names[position]
        if name not in rest:
            continue
        canonical = aliases.canonical(name)
        candidates = [canonical, *(u for u in known if u.endswith(canonical) and len(u) - len(canonical) <= 1)]
        # 卫健委 names the national 卫健委 and the province's 省卫健委 alike when both are known.
        matches = [c for c in dict.fromkeys(candidates) if c in known] or \
            ([canonical] if name in known else [])
        if not matches and aliases.is_department(canonical):
            # A department named without its place (税务局): every unit that is that department
            # of some place (福建省税务局, 厦门市税务局), in a stable order.
            matches = sorted(u for u in known if u.endswith(canonical)
                             and _PLACE.fullmatch(u[: -len(canonical)]))
        if matches:
            found.extend(m for m in matches if m not in found)
            rest = rest.replace(name, "\0")
    return tuple(found)


@lru_cache(maxsize=16)
def _unit_names(aliases: UnitAliases, known: frozenset[str]
                ) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """Every name a unit may be asked by, longest first (worked out once per corpus), and
    the positions of the names (of two characters or more) by their first two characters.

    Department names without their place as well (福建省税务局 → 税务局), so a citizen who
    leaves the place out still names the unit.
    """
    everything = {*known, *aliases.names()}
    bases = {u[m.end():] for u in known if (m := _PLACE.match(u)) and len(u) - m.end() >= 2}
    bases = {b for b in bases if aliases.is_department(b) and not any(
        n.endswith(b) and n != b and not _PLACE.fullmatch(n[: -len(b)]) for n in everything)}
    names = tuple(sorted(everything | bases, key=len, reverse=True))
    by_start: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        if len(name) >= 2:
            by_start.setdefault(name[:2], []).append(position)
    return names, {start: tuple(found) for start, found in by_start.items()}


_WHO_ACTS = re.compile(r"(?:谁|哪个部门|哪个单位|哪位|哪个机构)(?:来|去|会|能|可以|将|负责|具体)?"
                       r"([\u4e00-\u9fff]{2})")


def acting(question: str, sentence: str) -> str | None:
    """Who ``sentence`` says does what a who-question asks about, when that is a role rather
    than a body (谁来主持院务会议 against 由分管日常工作的副院长主持院务会议: 分管日常工作的
    副院长); None when the question names no act or the sentence gives it to no one."""
    asked = _WHO_ACTS.search(question)
    if asked is None:
        return None
    act = re.escape(asked.group(1))
    done = re.search(rf"由([\u4e00-\u9fff、]{{2,20}}?)(?:负责|统一|具体|牵头)?{act}", sentence)
    return done.group(1) if done else None
