"""Quality floors: minimum scores a release must keep, per question set and answering mode, in a
data file.

A set is named by its gold files, the half asked and the number of documents indexed:
``fujian`` (the team's gold over the Fujian index), ``citizens:test`` (the test half of the
outside-written set), ``govcn:test@61docs`` (the State Council set with all 61 documents).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from contract.errors import InputError

FLOORS_FILE = Path(__file__).parent / "floors.json"


Floors = dict[str, dict[str, dict[str, float]]]
"""Set name → mode → metric → floor."""


def load_floors(path: Path = FLOORS_FILE) -> Floors:
    """Read ``{set: {mode: {metric: floor}}}`` from a JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {name: {mode: {k: float(v) for k, v in metrics.items()}
                       for mode, metrics in modes.items()}
                for name, modes in data.items() if not name.startswith("_")}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise InputError(f"{path}: cannot read the floors file: {exc}") from exc


def set_name(gold: Sequence[Path], split: str | None, documents: int) -> str:
    """The floors' name for a question set asked of an index of ``documents`` documents."""
    name = "+".join(path.stem for path in gold)
    if split:
        name += f":{split}"
    return name + (f"@{documents}docs" if documents > 1 else "")


def violations(metrics: Mapping[str, float | None], floors: Mapping[str, float]) -> list[str]:
    """One line per metric below its floor (a metric that is missing counts as 0)."""
    found = {name: metrics.get(name) or 0.0 for name in floors}
    return [f"{name} {found[name]:.3f} < floor {floor:.3f}"
            for name, floor in sorted(floors.items()) if found[name] < floor]
