"""Telegram inline keyboards for a reply's actions: each button's ``callback_data`` is the
action's payload (:mod:`bot.payload`), which fits Telegram's 64 bytes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.payload import MAX_BYTES, fits
from bot.reply import Action

logger = logging.getLogger(__name__)

MAX_DATA = MAX_BYTES


def keyboard(rows: Sequence[Sequence[Action]]) -> InlineKeyboardMarkup | None:
    """Rows of buttons; None when there is none. An action whose payload would not fit
    Telegram is left out (and logged) rather than failing the whole message."""
    kept: list[list[InlineKeyboardButton]] = []
    for row in rows:
        buttons = []
        for action in row:
            if fits(action.payload, MAX_DATA):
                buttons.append(InlineKeyboardButton(action.label, callback_data=action.payload))
            else:
                logger.warning("button %r left out: payload over %d bytes", action.label,
                               MAX_DATA)
        if buttons:
            kept.append(buttons)
    return InlineKeyboardMarkup(kept) if kept else None
