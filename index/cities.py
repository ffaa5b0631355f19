"""Prefecture-level cities and the province holding each, read from a data file: a place
named in a text is known to be a city (泉州), not a district or county that may lie inside one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contract.errors import DataError

CITIES_FILE = Path(__file__).parent / "data" / "cities.json"


@dataclass(frozen=True)
class Cities:
    """City names (without 市) and the province of each."""

    province_of: dict[str, str] = field(default_factory=dict)
    ambiguous: frozenset[str] = frozenset()
    """Names that are also common words (长治久安): a city only when written with 市."""

    def found(self, text: str) -> frozenset[str]:
        """The cities named in ``text``."""
        return frozenset(name for name in self.province_of if name in text and (
            name not in self.ambiguous or name + "市" in text))


@lru_cache(maxsize=4)
def load_cities(path: Path = CITIES_FILE) -> Cities:
    """Read the cities by province (keys starting with ``_`` are comments)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ambiguous = frozenset(data.pop("ambiguous", ()))
        province_of = {city: province for province, cities in data.items()
                       if not province.startswith("_") for city in cities}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise DataError(f"{path}: city list missing or invalid: {exc}") from exc
    return Cities(province_of, ambiguous)
