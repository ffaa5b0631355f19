"""Prefecture-level cities and the province holding each, read from a data file: a place
named in a text is known to be a city (泉州), not a district or county that may lie inside one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contract.errors import DataError

CITIES_FILE = Path(__file__).parent / "data" / "cities.json"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BEFORE = "在到去回住往赴从自于来和与跟及、，,。；;：:（(“\"' 　"
"""What may stand right before a place name (在泉州, 回泉州, 福州、泉州)."""


@dataclass(frozen=True)
class Cities:
    """City names (without 市) and the province of each."""

    province_of: dict[str, str] = field(default_factory=dict)
    ambiguous: frozenset[str] = frozenset()
    """Names that are also common words (长治久安): a city only when written with 市."""
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Cities, provinces or municipalities named together by their first characters (厦漳泉:
    厦门, 漳州, 泉州; 京津冀: 北京, 天津, 河北)."""
    provinces: frozenset[str] = frozenset()
    """The provinces holding the cities (read once, with them)."""

    def found(self, text: str) -> frozenset[str]:
        """The cities named in ``text``: written with 市, or standing where a place name
        does (at the start, after 在/到/回…, punctuation or a province), not inside another
        word (医保定点 holds no 保定, 复合肥 no 合肥) or a longer name (马鞍山 no 鞍山). A
        name that is also a province's (吉林) or a common word (长治久安) needs 市. A group
        (长株潭) names each of its cities."""
        provinces = self.provinces
        names = {name for name in self.province_of for at in _starts(text, name)
                 if text.startswith("市", at + len(name)) or (
                     name not in self.ambiguous and name not in provinces
                     and _placed(text[:at], provinces))}
        names = {n for n in names if not any(n != m and n in m for m in names)}
        # A group standing on its own (在“厦漳泉”…), not inside a word (推广佛山) or a longer
        # group (厦漳泉龙).
        return frozenset(names.union(*(
            members for group, members in self.groups.items() for at in _starts(text, group)
            if _placed(text[:at], provinces) and not _CJK.match(text[at + len(group):]))))


def _starts(text: str, name: str) -> list[int]:
    """Where ``name`` starts in ``text`` (most names are in no text: one search says so)."""
    found, at = [], text.find(name)
    while at >= 0:
        found.append(at)
        at = text.find(name, at + 1)
    return found


def _placed(before: str, provinces: frozenset[str]) -> bool:
    """True when a place name may start after ``before``."""
    return not before or before[-1] in _BEFORE or before.endswith("省") \
        or any(before.endswith(province) for province in provinces)


@lru_cache(maxsize=4)
def load_cities(path: Path = CITIES_FILE) -> Cities:
    """Read the cities by province (keys starting with ``_`` are comments)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ambiguous = frozenset(data.pop("ambiguous", ()))
        groups = {name: tuple(members) for name, members in data.pop("groups", {}).items()}
        province_of = {city: province for province, cities in data.items()
                       if not province.startswith("_") for city in cities}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise DataError(f"{path}: city list missing or invalid: {exc}") from exc
    return Cities(province_of, ambiguous, groups, frozenset(province_of.values()))
