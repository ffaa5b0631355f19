"""How much lower a local notice's clause may be in meaning than the best clause, for it to
answer first (:meth:`engine.answerer.Answerer`): a figure per embedding model, because cosines
sit on each model's own scale."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

from contract.errors import DataError

logger = logging.getLogger(__name__)

CLOSENESS_FILE = Path(__file__).parent / "data" / "closeness.json"


def load_closeness(model_id: str, path: Path = CLOSENESS_FILE) -> float | None:
    """How much lower a local clause's best cosine may be than the best clause's, for the
    embedding model ``model_id`` (the same model with other weights, ``…+float16``, shares its
    figure), when the local one is to answer first. None: the model has no figure, and the
    check is skipped (logged once per service)."""
    try:
        models = json.loads(path.read_text(encoding="utf-8"))["models"]
        value = models.get(model_id, models.get(model_id.split("+")[0]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: the closeness figures are missing or invalid: {exc}") from exc
    if value is None:
        logger.info("no closeness figure for %s: a local clause close in score answers first "
                    "without comparing meanings", model_id)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or value < 0:
        raise DataError(f"{path}: the closeness figure for {model_id} must be a number ≥ 0, "
                        f"not {value!r}")
    return float(value)
