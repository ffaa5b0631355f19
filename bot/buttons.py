"""Inline buttons and their callback data, which Telegram caps at 64 bytes.

Callback data is ``<action>|<arg>|<arg>``: ``c|<document position>|<clause id>`` shows a clause,
``m|<answer key>|<offset>`` shows further citations of a kept answer, ``q|<n>`` asks the n-th
suggested question. Positions and keys keep it short whatever the document ids are.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from contract.errors import InputError

MAX_DATA = 64
SHOW_CLAUSE, MORE, ASK = "c", "m", "q"


@dataclass(frozen=True)
class Press:
    """A decoded button press."""

    action: str
    args: tuple[str, ...]


def encode(action: str, *args: object) -> str:
    """Callback data for a button; InputError when it would exceed Telegram's 64 bytes."""
    data = "|".join([action, *(str(a) for a in args)])
    if len(data.encode("utf-8")) > MAX_DATA:
        raise InputError(f"callback data over {MAX_DATA} bytes: {data!r}")
    return data


def decode(data: str | None) -> Press:
    """The press behind callback data; InputError for anything this bot did not send."""
    parts = (data or "").split("|")
    if parts[0] not in (SHOW_CLAUSE, MORE, ASK) or len(data or "") > MAX_DATA:
        raise InputError(f"unknown button {data!r}")
    return Press(parts[0], tuple(parts[1:]))


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """Rows of (label, callback data); None when there is no button."""
    rows = [row for row in rows if row]
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows])
