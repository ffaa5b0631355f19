"""Quality floors: minimum scores a release must keep, per answering mode, in a data file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from policyqa.errors import InputError

FLOORS_FILE = Path(__file__).parent / "floors.json"


def load_floors(path: Path = FLOORS_FILE) -> dict[str, dict[str, float]]:
    """Read ``{mode: {metric: floor}}`` from a JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {mode: {k: float(v) for k, v in metrics.items()}
                for mode, metrics in data.items() if not mode.startswith("_")}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise InputError(f"{path}: cannot read the floors file: {exc}") from exc


def violations(metrics: Mapping[str, float | None], floors: Mapping[str, float]) -> list[str]:
    """One line per metric below its floor (a metric that is missing counts as 0)."""
    found = {name: metrics.get(name) or 0.0 for name in floors}
    return [f"{name} {found[name]:.3f} < floor {floor:.3f}"
            for name, floor in sorted(floors.items()) if found[name] < floor]
