"""Cells a spreadsheet would run as a formula, made text: the log's CSV export and the report's
CSV tables both write what people typed."""

from __future__ import annotations

from typing import TypeVar, cast

FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""What a cell that a spreadsheet reads as a formula (or DDE) starts with."""

_Value = TypeVar("_Value")


def formula_safe(value: _Value) -> _Value:
    """A text starting with one of :data:`FORMULA` with ``'`` before it; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA):
        return cast(_Value, "'" + value)
    return value
