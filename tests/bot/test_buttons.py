"""Callback data: within Telegram's 64 bytes, and nothing foreign is obeyed."""

from __future__ import annotations

import pytest

from bot.buttons import ASK, MORE, SHOW_CLAUSE, Press, decode, encode, keyboard
from contract.errors import InputError


def test_round_trip() -> None:
    assert decode(encode(SHOW_CLAUSE, 0, "A1.8")) == Press("c", ("0", "A1.8"))
    assert decode(encode(MORE, "1f", 3)) == Press("m", ("1f", "3"))
    assert decode(encode(ASK, 2)) == Press("q", ("2",))


def test_too_long_for_telegram() -> None:
    with pytest.raises(InputError, match="64 bytes"):
        encode(SHOW_CLAUSE, 0, "条" * 30)


@pytest.mark.parametrize("data", [None, "", "x|1", "c" + "|1" * 40, "delete|all"])
def test_foreign_data_is_refused(data: str | None) -> None:
    with pytest.raises(InputError):
        decode(data)


def test_keyboard_drops_empty_rows() -> None:
    assert keyboard([[], []]) is None
    markup = keyboard([[("查看原文", "c|0|7.1")], []])
    assert markup is not None and markup.inline_keyboard[0][0].callback_data == "c|0|7.1"
