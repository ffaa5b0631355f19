"""Telegram keyboards: a reply's actions as inline buttons whose callback data is the payload."""

from __future__ import annotations

from bot.buttons import keyboard
from bot.reply import Action


def test_keyboard_drops_empty_rows() -> None:
    assert keyboard([[], []]) is None
    markup = keyboard([[Action("clause", "查看原文", "c|abcdef.0123abcd.7.1")], []])
    assert markup is not None and len(markup.inline_keyboard) == 1
    button = markup.inline_keyboard[0][0]
    assert (button.text, button.callback_data) == ("查看原文", "c|abcdef.0123abcd.7.1")


def test_a_payload_telegram_would_refuse_is_left_out() -> None:
    too_long = Action("clause", "查看原文", "c|" + "条" * 30)  # 92 bytes
    fine = Action("related", "相关条款", "m|x")
    markup = keyboard([[too_long, fine]])
    assert markup is not None
    assert [b.text for row in markup.inline_keyboard for b in row] == ["相关条款"]
    assert keyboard([[too_long]]) is None
